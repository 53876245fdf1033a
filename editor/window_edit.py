"""The Edit and View menus: undo and redo, the clipboard, deleting, zoom and focus."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication

from editor.export import scenario_rect
from editor.graph import node_by_id
from editor.i18n import counted, translate
from editor.nodegraph import BaseNode, StableViewer, fit_scene

# Below this scale a node's title (16 px at 100 %) is under 11.5 px on screen, too small to read at a glance.
READABLE_SCALE = 0.72


class EditCommands:
    """Mixed into the main window (:class:`editor.window.MainWindow`), whose document, session,
    preferences and widgets it uses."""

    def _view_centre(self) -> tuple[float, float]:
        viewer = self.doc.graph.viewer()
        centre = viewer.mapToScene(viewer.viewport().rect().center())
        return centre.x(), centre.y()

    def add_node_at_centre(self, type_name: str) -> BaseNode:
        """Add a node of a type in the middle of the visible canvas, or the nearest free spot."""
        node = self.doc.add_node(type_name, self._view_centre())
        self.doc.graph.select_only([node])
        return node

    def undo(self) -> None:
        """Undo the last edit (a pending typed edit is committed first)."""
        if self.form is not None:
            self.form.flush()
        self.doc.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone edit."""
        self.doc.undo_stack.redo()

    def copy(self) -> bool:
        """Copy the selected nodes (with the edges between them) to the clipboard."""
        text = self.doc.copy_selected()
        if text is None:
            self.statusBar().showMessage(translate("MainWindow", "Select nodes to copy."), 4000)
            return False
        QGuiApplication.clipboard().setText(text)
        return True

    def cut(self) -> None:
        """Copy, then delete, the selected nodes."""
        if self.copy():
            self.doc.delete_selected()

    def paste(self) -> None:
        """Paste nodes copied in this or another window, with new ids."""
        try:
            made = self.doc.paste(QGuiApplication.clipboard().text())
        except ValueError as exc:
            self.statusBar().showMessage("⛔ " + str(exc), 6000)
            return
        notes = self.doc.graph.notes.selected()  # the pasted ones
        self.doc.graph.select_only(made)
        self.doc.graph.notes.select(notes)
        said = counted().pasted_items(len(made) + len(notes)) if notes else counted().pasted(len(made))
        self.statusBar().showMessage(said.format(n=len(made) + len(notes)), 4000)

    def duplicate(self) -> None:
        """Copy and paste the selection in one step."""
        text = self.doc.copy_selected()
        if text:
            self.doc.graph.select_only(self.doc.paste(text))

    def delete(self) -> None:
        """Delete the selected nodes and notes, or the selected edges."""
        graph = self.doc.graph
        pipes = graph.selected_pipes()
        if graph.selected_nodes() or graph.notes.selected():
            self.doc.delete_selected()
        elif pipes:
            self.doc.undo_stack.beginMacro(translate("MainWindow", "delete edges"))  # named as the menu names it
            for a, b in pipes:
                a.disconnect_from(b)
            self.doc.undo_stack.endMacro()

    def select_all(self) -> None:
        """Select every node."""
        self.doc.graph.select_all()

    def zoom_to_fit(self) -> None:
        """Frame the whole scenario (nodes, their counts, notes and frames), unless that would make
        it too small to read: then show its start at the smallest readable size, say the rest is a
        scroll away, and the overview appears in the corner."""
        graph = self.doc.graph
        if not graph.all_nodes() and not graph.notes.items:
            return
        content = scenario_rect(graph, margin=24)
        view = graph.viewer().viewport().size()
        scale = min(view.width() / content.width(), view.height() / content.height(), 1.0)
        beyond = translate("MainWindow", "Part of the scenario is beyond the canvas: the wheel zooms out, the middle "
                                         "button drags.")
        fits = scale >= READABLE_SCALE
        if not fits:
            scale = READABLE_SCALE
            self.statusBar().showMessage(beyond, 10000)
        elif self.statusBar().currentMessage() == beyond:
            self.statusBar().clearMessage()  # it did not fit a smaller canvas; now it does
        inner = 2 * StableViewer.FIT_MARGIN  # fitInView keeps a margin: take it out, or the zoom ends a hair smaller
        width, height = (view.width() - inner) / scale, (view.height() - inner) / scale
        left = content.left() if content.width() * scale > view.width() else content.center().x() - width / 2
        # Not all of it fits: its start from the top, which leaves the bottom corner to the overview.
        tall = not fits or content.height() * scale > view.height()
        top = content.top() if tall else content.center().y() - height / 2
        fit_scene(graph, QRectF(left, top, width, height))

    def focus_node(self, node_id: str) -> None:
        """Select a node and centre the canvas on it."""
        node = node_by_id(self.doc.graph, node_id)
        if node is None:
            return
        self.doc.graph.select_only([node])
        self.doc.graph.center_on([node])

"""The Edit and View menus: undo and redo, the clipboard, deleting, zoom and focus."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication

from editor.graph import node_by_id
from editor.i18n import counted, translate
from editor.nodegraph import BaseNode, fit_scene

# Below this scale a node's title (16 px at 100 %) is under 12 px on screen, too small to read at a glance.
READABLE_SCALE = 0.75


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
        self.doc.graph.select_only(made)
        self.statusBar().showMessage(counted().pasted(len(made)).format(n=len(made)), 4000)

    def duplicate(self) -> None:
        """Copy and paste the selection in one step."""
        text = self.doc.copy_selected()
        if text:
            self.doc.graph.select_only(self.doc.paste(text))

    def delete(self) -> None:
        """Delete the selected nodes, or the selected edges."""
        graph = self.doc.graph
        pipes = graph.selected_pipes()
        if graph.selected_nodes():
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
        """Frame every node, unless that would make them too small to read: then show the start
        of the scenario at the smallest readable size and say the rest is a scroll away."""
        nodes = self.doc.graph.all_nodes()
        if not nodes:
            return
        rect = QRectF()
        for node in nodes:
            rect = rect.united(node.view.sceneBoundingRect())
        rect = rect.adjusted(-40, -60, 40, 40)
        viewer = self.doc.graph.viewer()
        view = viewer.viewport().size()
        if min(view.width() / rect.width(), view.height() / rect.height()) < READABLE_SCALE:
            width, height = view.width() / READABLE_SCALE, view.height() / READABLE_SCALE
            top = rect.top() if rect.height() > height else rect.center().y() - height / 2
            rect = QRectF(rect.left(), top, width, height)
            self.statusBar().showMessage(translate(
                "MainWindow", "Part of the scenario is beyond the canvas: the wheel zooms out, the middle button "
                              "drags."), 10000)
        fit_scene(self.doc.graph, rect)
        if viewer.get_zoom() > 0.1:  # never blow a small scenario up beyond its natural size
            viewer.reset_zoom(rect.center())

    def focus_node(self, node_id: str) -> None:
        """Select a node and centre the canvas on it."""
        node = node_by_id(self.doc.graph, node_id)
        if node is None:
            return
        self.doc.graph.select_only([node])
        self.doc.graph.center_on([node])

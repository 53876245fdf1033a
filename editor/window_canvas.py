"""The canvas's commands: add a node by searching, find a node, move between nodes with the keys,
open and rename, arrange, notes and frames, and the list of shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QTextCursor

from editor.arrange import arrange
from editor.canvas_keys import neighbour
from editor.chooser import Choice, Chooser
from editor.forms import NodeForm
from editor.graph import node_by_id
from editor.i18n import translate, type_description, type_title
from editor.messages import shown
from editor.note_editor import NoteEditor
from editor.notes import FRAME_PAD, NOTE_SIZE, NoteItem
from editor.placement import free_corner
from editor.shortcuts import ShortcutsDialog
from editor.theme import node_icon
from engine.nodes import REGISTRY

FRAME_SIZE = (420.0, 260.0)
NOTE, FRAME = "note:note", "note:frame"


class CanvasCommands:
    """Mixed into the main window (:class:`editor.window.MainWindow`), whose document and widgets it uses."""

    # -- adding and finding by name -------------------------------------------------------------------
    def quick_add(self, at: QPoint | None = None) -> Chooser:
        """The search of node types (and notes, frames) at ``at`` on the canvas (its middle by
        default); the chosen one is added there."""
        viewer = self.doc.graph.viewer()
        at = at if at is not None else viewer.viewport().rect().center()
        scene_at = viewer.mapToScene(at)
        choices = [Choice(type_title(name), name, node_icon(decl.icon, decl.color), [name, type_description(name)],
                          type_description(name)) for name, decl in REGISTRY.items()]
        choices += [Choice(translate("Canvas", "Note"), NOTE, also=["note", translate("Canvas", "text")],
                           hint=translate("Canvas", "A sticky note: words for whoever reads the scenario")),
                    Choice(translate("Canvas", "Frame"), FRAME, also=["frame", translate("Canvas", "group")],
                           hint=translate("Canvas", "A titled frame; the nodes inside move with it"))]
        chooser = Chooser(self, translate("Canvas", "Add to the canvas"), translate("Canvas", "Type to search…"),
                          choices, lambda value: self._add_chosen(value, scene_at))
        chooser.open_at(viewer.viewport().mapToGlobal(at))
        self.chooser = chooser
        return chooser

    def _add_chosen(self, value: str, at: QPointF) -> None:
        if value in (NOTE, FRAME):
            kind = value.split(":")[1]
            size = NOTE_SIZE if kind == "note" else FRAME_SIZE
            corner = free_corner(self.doc.graph, (at.x() - size[0] / 2, at.y() - 20), size) if kind == "note" \
                else (at.x() - size[0] / 2, at.y() - 20)
            text = "" if kind == "note" else translate("Canvas", "Frame")
            self.edit_note(self.doc.graph.notes.add(kind, text, corner, size))
            return
        self.doc.add_node(value, (at.x(), at.y()), into_edge=True)

    def find_node(self) -> Chooser:
        """Find a node by its title (or its type's name) and go to it."""
        choices = []
        for node in sorted(self.doc.graph.all_nodes(), key=lambda n: (n.pos()[0], n.pos()[1])):
            decl = REGISTRY[node.scenarist_type]
            choices.append(Choice(node.name(), node.get_property("node_id"), node_icon(decl.icon, decl.color),
                                  [type_title(node.scenarist_type), node.get_property("node_id")],
                                  type_title(node.scenarist_type)))
        viewer = self.doc.graph.viewer()
        chooser = Chooser(self, translate("Canvas", "Find a node"), translate("Canvas", "Part of its title…"),
                          choices, self.focus_node)
        chooser.open_at(viewer.viewport().mapToGlobal(QPoint(16, 16)))
        self.chooser = chooser
        return chooser

    # -- the customers at a node ---------------------------------------------------------------------
    def customers_at(self, node_id: str, at: QPoint | None = None) -> Chooser:
        """The customers at a node (waiting there now, else those who reached it), searchable;
        the chosen one opens in the Customer lookup pane."""
        try:
            found = self.session.customers_at(self.scenario(), node_id)
            node = node_by_id(self.doc.graph, node_id)
            title = translate("Canvas", "Customers at “{step}”: {n}").format(
                step=node.name() if node is not None else node_id, n=len(found))
        except Exception as exc:  # no CRM: the list says why instead
            found, title = [], "⚠ " + shown(getattr(exc, "text", None) or str(exc))
        choices = [Choice(label, str(customer_id)) for customer_id, label in found]
        viewer = self.doc.graph.viewer()
        chooser = Chooser(self, title, translate("Canvas", "Part of a name, email or phone…"), choices,
                          self.look_up_customer)
        chooser.open_at(viewer.viewport().mapToGlobal(at if at is not None else QPoint(16, 16)))
        self.chooser = chooser
        return chooser

    def look_up_customer(self, customer_id: str) -> None:
        """Show a customer in the Customer lookup pane."""
        self.docks["lookup"].show()
        self.docks["lookup"].raise_()
        self.lookup.search.setText(customer_id)
        self.lookup.show_customer(customer_id)

    # -- the keys -------------------------------------------------------------------------------------
    def go_to(self, direction: str) -> None:
        """Select the node an arrow key leads to from the selected one (see :func:`neighbour`)."""
        graph = self.doc.graph
        selected = graph.selected_nodes()
        target = neighbour(graph, selected[0] if len(selected) == 1 else None, direction)
        if target is None:
            return
        graph.select_only([target])
        viewer = graph.viewer()
        if not viewer.visible_rect().contains(target.view.sceneBoundingRect()):
            viewer.centre_at(target.view.sceneBoundingRect().center())

    def open_selected(self) -> bool:
        """Enter: the selected node's form, ready for typing (or the selected note's text)."""
        notes = self.doc.graph.notes.selected()
        if len(notes) == 1 and not self.doc.graph.selected_nodes():
            self.edit_note(notes[0])
            return True
        if len(self.doc.graph.selected_nodes()) != 1:
            return False
        self._selection_changed()  # the form follows the selection now, not after the timer
        if isinstance(self.form, NodeForm):
            self.docks["properties"].show()
            self.docks["properties"].raise_()
            self.form.title.setFocus()
            self.form.title.selectAll()
        return True

    def rename_selected(self) -> bool:
        """F2: type the selected node's new title on the canvas (Enter keeps it, Escape does not)."""
        nodes, notes = self.doc.graph.selected_nodes(), self.doc.graph.notes.selected()
        if len(notes) == 1 and not nodes:
            self.edit_note(notes[0])
            return True
        if len(nodes) != 1:
            return False
        text = nodes[0].view.text_item
        self.doc.graph.viewer().setFocus()
        text.set_editable(True)
        text.setFocus()
        cursor = text.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        text.setTextCursor(cursor)
        return True

    # -- arranging, notes and frames ------------------------------------------------------------------------
    def arrange(self) -> None:
        """Lay the scenario out left to right by its flow, in one undo step, and show it all."""
        if arrange(self.doc.graph):
            self.zoom_to_fit()
        else:
            self.statusBar().showMessage(translate("MainWindow", "The scenario is arranged already."), 4000)

    def add_note(self) -> NoteItem:
        """A new note in the middle of the canvas, where it covers nothing, ready for typing."""
        centre = self.doc.graph.viewer().visible_rect().center()
        corner = free_corner(self.doc.graph, (centre.x() - NOTE_SIZE[0] / 2, centre.y() - NOTE_SIZE[1] / 2),
                             NOTE_SIZE)
        return self.edit_note(self.doc.graph.notes.add("note", "", corner))

    def frame_selection(self) -> NoteItem | None:
        """A frame around the selected nodes and notes, with a title to type."""
        graph = self.doc.graph
        items = [n.view for n in graph.selected_nodes()] + graph.notes.selected()
        if not items:
            self.statusBar().showMessage(translate("MainWindow", "Select the nodes to frame first."), 5000)
            return None
        area = QRectF()
        for item in items:
            area = area.united(item.sceneBoundingRect())
        area = area.adjusted(-FRAME_PAD, -FRAME_PAD - 36, FRAME_PAD, FRAME_PAD)
        frame = graph.notes.add("frame", translate("Canvas", "Frame"), (area.x(), area.y()),
                                (area.width(), area.height()), name=translate("Canvas", "frame the selection"))
        return self.edit_note(frame)

    def edit_note(self, item: NoteItem) -> NoteItem:
        """Write in a note (or a frame's title) on the canvas."""
        self.doc.graph.notes.select([item])
        self.note_editor = NoteEditor(self.doc.graph.viewer(), item)
        return item

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help → Keyboard shortcuts."""
        dialog = ShortcutsDialog(self.shortcut_entries(), self)
        dialog.show()
        return dialog

"""The scenario checked and counted after every edit: problems, badges, the preview, the form."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from app.preview import TickResult
from editor.badges import decor_of
from editor.conditions_editor import ConditionContext
from editor.forms import NodeForm
from editor.graph import params_of
from editor.i18n import interface_language, translate
from editor.messages import shown
from editor.settings_form import SettingsForm
from engine.describe import titles_of
from engine.nodes import REGISTRY


class CheckWiring:
    """Mixed into the main window (:class:`editor.window.MainWindow`), whose document, session,
    preferences and widgets it uses."""

    def _flow_changed(self) -> None:
        """After an edit, undo or redo: check and count again, unless only notes changed (they are
        for readers: the counts stay as they are, not greyed while nothing is recounted)."""
        if replace(self.scenario(), notes=[]) != getattr(self, "_checked_flow", None):
            self._edited()
        else:
            self._update_title()

    def _edited(self) -> None:
        scenario = self.scenario()
        self._checked_flow = replace(scenario, notes=[])
        problems = self.session.set_scenario(scenario)
        titles = titles_of(scenario, interface_language())
        by_node: dict[str, list[str]] = {}
        for p in problems:
            if p.node:
                by_node.setdefault(p.node, []).append(f"{p.field + ': ' if p.field else ''}{shown(p, titles)}")
        for node in self.doc.graph.all_nodes():
            decor = decor_of(node.view)
            decor.set_problems(by_node.get(node.get_property("node_id"), []))
            decor.set_stale(True)
        self.problems_pane.show_problems(problems, titles)
        self.docks["problems"].setWindowTitle(translate("MainWindow", "Problems ({n})").format(n=len(problems)))
        self.preview.set_stale(True)
        self._refresh_form()
        self._update_title()
        self._request_counts()

    def _request_counts(self, now: bool = False) -> None:
        """Count the part of the scenario that can be counted; the rest is marked "not counted"."""
        part = self.session.countable()
        self.not_counted = part.not_counted
        if part.scenario is None:
            self.counter.request(self.scenario(), None)
            self.statusBar().showMessage(translate("MainWindow", "Counts wait until the problems are fixed."), 5000)
        else:
            self.counter.request(part.scenario, self.prefs.crm or None, now=now)

    def _counting(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def _counted(self, result: TickResult) -> None:
        self.last_result = result
        not_counted = getattr(self, "not_counted", {})
        for node in self.doc.graph.all_nodes():
            nid = node.get_property("node_id")
            decor = decor_of(node.view)
            if nid in not_counted:
                decor.set_not_counted(shown(not_counted[nid]))
                continue
            declared = REGISTRY[node.scenarist_type]
            ports = result.ports.get(nid)
            passed = ports.get(declared.passing_port) if ports and declared.passing_port else None
            decor.set_counts(result.reached.get(nid, 0), result.waiting.get(nid, 0) if declared.holds else None,
                             ports=ports, passed=passed)
        self.preview.show_result(self.scenario(), result, not_counted)
        if self.results_bar.results.isChecked():  # the badges show results: the nodes may have changed
            self.show_badges()
        seconds = QLocale().toString(result.seconds, "f", 2)  # 0.17 in English, 0,17 in Russian
        if not self.statusBar().currentMessage():  # a word about the user's own action stays in view
            self.statusBar().showMessage(translate("MainWindow", "Counted in {s} s").format(s=seconds), 4000)

    def _count_failed(self, message: object) -> None:
        self.statusBar().showMessage("⚠ " + translate("MainWindow", "Counts unavailable: {m}").format(
            m=shown(message)), 10000)

    def recount(self) -> None:
        """Count again now (the CRM's data may have changed)."""
        self._request_counts(now=True)

    def _selection_changed(self) -> None:
        selected = self.doc.graph.selected_nodes()
        current = self.form.node if isinstance(self.form, NodeForm) else None
        if (len(selected) == 1 and selected[0] is not current) or (len(selected) != 1 and current is not None) \
                or self.form is None:
            self._show_form()

    def _show_form(self) -> None:
        if self.form is not None:
            self.form.flush()
        selected = self.doc.graph.selected_nodes()
        if len(selected) == 1:
            self.form = NodeForm(self.doc, selected[0], self._condition_context(), self._sample, self._customers,
                                 tests=_Tests(self))
        else:
            self.form = SettingsForm(self.doc, self._condition_context())
        holder = QWidget()  # keeps the form at the top of the pane
        column = QVBoxLayout(holder)
        column.addWidget(self.form)
        column.addStretch(1)
        self.properties.setWidget(holder)
        self._place_properties()

    def _place_properties(self) -> None:
        """The properties pane appears with a node's form and goes with it, so the canvas keeps the
        room; the scenario's own form stays only when the user asked for it."""
        dock = self.docks["properties"]
        if isinstance(self.form, NodeForm):
            self.properties_wanted = False
            dock.show()
        elif self.properties_wanted:
            dock.show()
            dock.raise_()
        else:
            dock.hide()
            return
        self._widen_properties()

    def _widen_properties(self) -> None:
        """Make the pane as wide as its form needs (up to half the window), so no field is cut at
        its right edge; a form wider still scrolls sideways."""
        holder = self.properties.widget()
        if holder is None:
            return
        needed = holder.minimumSizeHint().width() + self.properties.verticalScrollBar().sizeHint().width() \
            + 2 * self.properties.frameWidth() + 4
        dock = self.docks["properties"]
        if dock.width() < needed:
            self.resizeDocks([dock], [min(needed, self.width() // 2)], Qt.Orientation.Horizontal)

    def _properties_toggled(self, shown: bool) -> None:
        self.properties_wanted = shown
        if shown and not isinstance(self.form, NodeForm):
            self._place_properties()

    def show_scenario_settings(self) -> None:
        """Show the scenario's form (name, timezone, re-entry, dates) in the properties pane."""
        self.doc.graph.clear_selection()
        self.properties_wanted = True
        self._show_form()

    def _refresh_form(self) -> None:
        """After undo or redo, a form showing other values than the document is rebuilt."""
        form = self.form
        if isinstance(form, NodeForm):
            gone = form.node.id not in self.doc.graph.model.nodes
            if gone or params_of(form.node) != form.shown:
                self._show_form()  # an undo or redo changed what the form shows
            elif form.title.text() != form.node.name():
                # Only the title changed (it follows the parameters, or an undo renamed the node): the
                # form the user is typing in stays, its title field says the new title.
                form.title.setText(form.node.name())
        elif isinstance(form, SettingsForm):
            meta = self.doc.meta
            shown = (form.name.text(), form.reenter.isChecked(), form.timezone.currentText(), form.goal_value())
            if shown != (meta.name, meta.settings.get("reentry_days") is not None, meta.settings.get("timezone"),
                         meta.settings.get("goal")):
                self._show_form()

    def _condition_context(self) -> ConditionContext:
        def node_ids(flag: str | None) -> list[str]:
            return [n.get_property("node_id") for n in self.doc.graph.all_nodes()
                    if flag is None or getattr(REGISTRY[n.scenarist_type], flag)]
        return ConditionContext(self.session.field_names, node_ids,
                                lambda: {n.get_property("node_id"): n.name() for n in self.doc.graph.all_nodes()})

    def _sample(self, params: dict, customer_id: int) -> tuple[str, str]:
        try:
            return self.session.render_sample(params, customer_id)
        except LookupError as exc:
            raise LookupError(translate("MainWindow", "no CRM connected")) from exc

    def _customers(self) -> list[tuple[int, str]]:
        if self.session.crm is None:
            reason = shown(self.session.crm_error) if self.session.crm_error \
                else translate("MainWindow", "not connected")
            raise LookupError(reason)
        return self.session.sample_customers()


class _Tests:
    """What the message form's *Send a test…* needs of the window: the session sends, the
    preferences remember the recipient."""

    def __init__(self, window: Any) -> None:
        self.window = window

    def send(self, params: dict, customer_id: int, to: str) -> Any:
        return self.window.session.send_test(params, customer_id, to)

    def recipient(self) -> str:
        return self.window.prefs.test_recipient

    def remember(self, to: str) -> None:
        if to and to != self.window.prefs.test_recipient:
            self.window.prefs.test_recipient = to
            self.window.prefs.save()

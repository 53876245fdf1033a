"""The questions the window asks before anything is sent for real: what *Run now* would do,
what switching a scenario on would do, and, for a scenario that is off, a simulation instead.

Each question shows what will happen, from a preview of the run (nothing is written to ask it),
and is answered with a button that names the action; Cancel (or Esc) changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QMessageBox, QWidget

from app.scheduling import RunPlan
from connectors.texts import money
from editor.badges import fmt
from editor.i18n import choice_label, counted, interface_language, translate


def effects(plan: RunPlan) -> str:
    """What the run would do, in sentences: who enters, what is queued and granted."""
    lines = [counted().would_enter(plan.entered).format(n=fmt(plan.entered))]
    messages = plan.messages()
    if messages:
        listed = ", ".join(f"{choice_label(channel)}: {fmt(n)}" for channel, n in sorted(messages.items()))
        lines.append(translate("RunQuestions", "Messages that would be queued and sent: {listed}.").format(
            listed=listed))
    else:
        lines.append(translate("RunQuestions", "No message would be sent."))
    if plan.skipped:
        lines.append(translate("RunQuestions", "Skipped for no consent or no address: {n}.").format(
            n=fmt(plan.skipped)))
    if plan.capped:
        lines.append(translate("RunQuestions", "Held back by the frequency cap: {n}.").format(n=fmt(plan.capped)))
    if plan.tasks:
        lines.append(translate("RunQuestions", "Tasks for managers: {n}.").format(n=fmt(plan.tasks)))
    if plan.parts:
        cost = plan.sms_cost
        line = translate("RunQuestions", "SMS parts: {parts}.") if cost is None else \
            translate("RunQuestions", "SMS parts: {parts}, costing {cost}.")
        lines.append(line.format(parts=fmt(plan.parts), cost=money(cost or 0, interface_language(),
                                                                   plan.currency, cents=True)))
    if plan.points or plan.codes:
        lines.append(translate("RunQuestions", "Bonuses granted: {points} points, {codes} promo codes.").format(
            points=fmt(plan.points), codes=fmt(plan.codes)))
    return "\n".join(lines)


def _ask(parent: QWidget, name: str, title: str, text: str, yes: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName(name)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)  # Enter does not send: the user names the action
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


def ask_run_now(parent: QWidget, plan: RunPlan, at: datetime) -> bool:
    """Whether to run the scenario now for real, after saying what it would do."""
    text = translate("RunQuestions", "Run “{name}” now, for real? Version {version}, {at} ({zone}).").format(
        name=plan.scenario.name, version=plan.version, at=f"{at:%d.%m.%Y %H:%M}",
        zone=plan.scenario.settings.get("timezone")) + "\n\n" + effects(plan)
    return _ask(parent, "confirm_run", translate("RunQuestions", "Run now"), text,
                translate("RunQuestions", "Run and send"))


def ask_switch_on(parent: QWidget, plan: RunPlan, first: datetime) -> bool:
    """Whether to switch the scenario on, after saying which version will run and when."""
    version = (translate("RunQuestions", "It will be published as version {v}.") if plan.new_version
               else translate("RunQuestions", "It runs as version {v}, which is already published.")).format(
        v=plan.version)
    when = translate("RunQuestions", "From then on it runs every day by itself; the first run is on {at} ({zone}).")
    text = (translate("RunQuestions", "Switch “{name}” on?").format(name=plan.scenario.name) + "\n\n" + version + " "
            + when.format(at=f"{first:%d.%m.%Y %H:%M}", zone=plan.scenario.settings.get("timezone")) + "\n\n"
            + translate("RunQuestions", "If it ran now:") + "\n" + effects(plan))
    return _ask(parent, "confirm_switch_on", translate("RunQuestions", "Switch on"), text,
                translate("RunQuestions", "Switch on"))


def offer_simulation(parent: QWidget, name: str) -> bool:
    """A switched-off scenario does not run for real from the window: whether to simulate it instead."""
    text = translate("RunQuestions", "“{name}” is switched off, so it does not run for real from here: nothing "
                                     "would be sent. Switch it on to run it, or simulate it on a copy of the CRM to "
                                     "see what it would do.").format(name=name)
    return _ask(parent, "offer_simulation", translate("RunQuestions", "Run now"), text,
                translate("RunQuestions", "Simulate…"))

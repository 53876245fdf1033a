"""The scenario's own form: name, description, timezone, re-entry, campaign dates, the
sending window and the goal, each change one undoable step."""

from __future__ import annotations

import zoneinfo
from typing import Any

from PySide6.QtCore import QDate, QLocale, QTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from editor.conditions_editor import ConditionContext, ConditionList, compact
from editor.document import Document
from editor.form_widgets import COMMIT_DELAY_MS
from editor.i18n import interface_language, translate


class SettingsForm(QWidget):
    """The scenario's own fields: name, description, timezone, re-entry, active dates and the
    sending window."""

    def __init__(self, doc: Document, context: ConditionContext | None = None) -> None:
        super().__init__()
        self.doc = doc
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        heading = QLabel("<b>" + translate("Forms", "Scenario") + "</b>")
        heading.setObjectName("formHeading")
        form.addRow(heading)
        self.name = QLineEdit(doc.meta.name)
        self.name.setObjectName("setting_name")
        self.name.editingFinished.connect(lambda: doc.set_meta("name", self.name.text().strip() or doc.meta.name))
        form.addRow(translate("Forms", "Name"), self.name)
        self.description = QPlainTextEdit(doc.meta.description)
        self.description.setObjectName("setting_description")
        self.description.setMaximumHeight(90)
        self._desc_timer = QTimer(self, singleShot=True, interval=COMMIT_DELAY_MS)
        self._desc_timer.timeout.connect(lambda: doc.set_meta("description", self.description.toPlainText()))
        self.description.textChanged.connect(self._desc_timer.start)
        form.addRow(translate("Forms", "Description"), self.description)
        self.timezone = QComboBox()
        self.timezone.setObjectName("setting_timezone")
        self.timezone.setEditable(True)
        self.timezone.addItems(sorted(zoneinfo.available_timezones()))
        self.timezone.setCurrentText(doc.meta.settings.get("timezone", "Europe/Moscow"))
        self.timezone.lineEdit().editingFinished.connect(self._timezone)
        self.timezone.activated.connect(self._timezone)
        form.addRow(translate("Forms", "Timezone"), self.timezone)
        form.addRow(translate("Forms", "Customers"), self._reentry_editor(doc.meta.settings.get("reentry_days")))
        self.dates: dict[str, tuple[QCheckBox, QDateEdit]] = {}
        for key, label in (("active_from", translate("Forms", "Active from")),
                           ("active_until", translate("Forms", "Active until"))):
            form.addRow(label, self._date_editor(key, doc.meta.settings.get(key)))
        form.addRow(translate("Forms", "Sending window"), self._window_editor(doc.meta.settings.get("send_window")))
        form.addRow(translate("Forms", "Control group"), self._control_editor(doc.meta.settings.get("control_share")))
        self.conversion_days = QSpinBox()
        self.conversion_days.setObjectName("setting_conversion_days")
        self.conversion_days.setRange(0, 365)
        self.conversion_days.setSpecialValueText(translate("Forms", "7 days (the default)"))
        self.conversion_days.setSuffix(translate("Forms", " days"))
        self.conversion_days.setValue(doc.meta.settings.get("conversion_days") or 0)
        self.conversion_days.setToolTip(translate(
            "Forms", "How long after taking a branch (or entering) an order counts against the control"))
        self.conversion_days.valueChanged.connect(lambda n: doc.set_meta("conversion_days", n or None))
        form.addRow(translate("Forms", "Results over"), self.conversion_days)
        form.addRow(translate("Forms", "Goal"), self._goal_editor(
            doc.meta.settings.get("goal"), context or ConditionContext(list, lambda _flag: [])))
        for box in self.findChildren(QComboBox):
            compact(box)

    def _reentry_editor(self, reentry: int | None) -> QHBoxLayout:
        self.reenter = QCheckBox(translate("Forms", "may enter again after"))
        self.reenter.setObjectName("setting_reenter")
        self.reenter.setChecked(reentry is not None)
        self.reentry = QSpinBox()
        self.reentry.setObjectName("setting_reentry_days")
        self.reentry.setRange(0, 3650)
        self.reentry.setSuffix(translate("Forms", " days"))
        self.reentry.setValue(reentry or 0)
        self.reentry.setEnabled(reentry is not None)
        row = QHBoxLayout()
        row.addWidget(self.reenter)
        row.addWidget(self.reentry, 1)
        self.reenter.toggled.connect(self._reentry)
        self.reentry.valueChanged.connect(self._reentry)
        return row

    def _control_editor(self, share: float | None) -> QHBoxLayout:
        """A share of entrants held out before the first step, who get nothing (a control group)."""
        self.control_on = QCheckBox(translate("Forms", "hold out"))
        self.control_on.setObjectName("setting_control_on")
        self.control_on.setChecked(share is not None)
        self.control_share = QSpinBox()
        self.control_share.setObjectName("setting_control_share")
        self.control_share.setRange(1, 50)
        self.control_share.setSuffix(translate("Forms", "% of entrants, who get nothing"))
        self.control_share.setValue(round((share or 0.1) * 100))
        self.control_share.setEnabled(share is not None)
        row = QHBoxLayout()
        row.addWidget(self.control_on)
        row.addWidget(self.control_share, 1)
        self.control_on.toggled.connect(self._control)
        self.control_share.valueChanged.connect(self._control)
        return row

    def _control(self, *_args: Any) -> None:
        self.control_share.setEnabled(self.control_on.isChecked())
        self.doc.set_meta("control_share", self.control_share.value() / 100 if self.control_on.isChecked() else None)

    def _date_editor(self, key: str, value: str | None) -> QHBoxLayout:
        check, edit = QCheckBox(), QDateEdit()
        check.setObjectName(f"setting_{key}_on")
        edit.setObjectName(f"setting_{key}")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy" if interface_language() == "ru" else "d MMM yyyy")
        edit.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else QDate.currentDate())
        check.setChecked(value is not None)
        edit.setEnabled(value is not None)
        check.toggled.connect(lambda _on, k=key: self._date(k))
        edit.dateChanged.connect(lambda _d, k=key: self._date(k))
        line = QHBoxLayout()
        line.addWidget(check)
        line.addWidget(edit, 1)
        self.dates[key] = (check, edit)
        return line

    def _window_editor(self, window: dict | None) -> QWidget:
        """Weekdays and hours when messages may go out; a message due outside waits for them."""
        box = QWidget()
        rows = QVBoxLayout(box)
        rows.setContentsMargins(0, 0, 0, 0)
        self.window_on = QCheckBox(translate("Forms", "send only on these days and hours"))
        self.window_on.setObjectName("setting_send_window_on")
        self.window_on.setChecked(window is not None)
        window = window or {"weekdays": [1, 2, 3, 4, 5, 6, 7], "from": "09:00", "to": "21:00"}
        days = QHBoxLayout()
        self.weekdays: list[QCheckBox] = []
        for number in range(1, 8):
            day = QCheckBox(QLocale().dayName(number, QLocale.FormatType.ShortFormat))
            day.setObjectName(f"setting_weekday_{number}")
            day.setChecked(number in window.get("weekdays", []))
            day.toggled.connect(self._window)
            days.addWidget(day)
            self.weekdays.append(day)
        hours = QHBoxLayout()
        self.window_from, self.window_to = QTimeEdit(), QTimeEdit()
        for edit, key in ((self.window_from, "from"), (self.window_to, "to")):
            edit.setDisplayFormat("HH:mm")
            edit.setTime(QTime.fromString(window.get(key, "00:00"), "HH:mm"))
            edit.setObjectName(f"setting_send_window_{key}")
            edit.editingFinished.connect(self._window)
        hours.addWidget(QLabel(translate("Forms", "from")))
        hours.addWidget(self.window_from)
        hours.addWidget(QLabel(translate("Forms", "to")))
        hours.addWidget(self.window_to)
        hours.addStretch(1)
        rows.addWidget(self.window_on)
        rows.addLayout(days)
        rows.addLayout(hours)
        self.window_on.toggled.connect(self._window)
        self._window_enabled()
        return box

    def _window_enabled(self) -> None:
        for widget in (*self.weekdays, self.window_from, self.window_to):
            widget.setEnabled(self.window_on.isChecked())

    def _window(self, *_args: Any) -> None:
        self._window_enabled()
        days = [n for n, day in enumerate(self.weekdays, start=1) if day.isChecked()]
        value = None
        if self.window_on.isChecked() and days:  # no day at all would never send: treat as off
            value = {"weekdays": days, "from": self.window_from.time().toString("HH:mm"),
                     "to": self.window_to.time().toString("HH:mm")}
        self.doc.set_meta("send_window", value)

    def _goal_editor(self, goal: dict | None, context: ConditionContext) -> QWidget:
        """The goal's conditions, built as a filter's: a customer who meets them leaves the scenario."""
        box = QWidget()
        rows = QVBoxLayout(box)
        rows.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(translate("Forms", "Customers who meet these conditions leave the scenario at once, "
                                         "wherever they wait, and get nothing more. No condition: no goal."))
        hint.setWordWrap(True)
        self.goal_match = QComboBox()
        self.goal_match.setObjectName("setting_goal_match")
        self.goal_match.addItem(translate("Forms", "all of these"), "all")
        self.goal_match.addItem(translate("Forms", "any of these"), "any")
        self.goal_match.setCurrentIndex(1 if (goal or {}).get("match") == "any" else 0)
        self.goal = ConditionList((goal or {}).get("conditions") or [], context)
        self.goal.setObjectName("setting_goal")
        self.goal_match.currentIndexChanged.connect(self._goal)
        self.goal.changed.connect(self._goal)
        rows.addWidget(hint)
        rows.addWidget(self.goal_match)
        rows.addWidget(self.goal)
        return box

    def goal_value(self) -> dict | None:
        """The goal as the form shows it (None: no condition, no goal)."""
        conditions = self.goal.value()
        return {"match": self.goal_match.currentData(), "conditions": conditions} if conditions else None

    def _goal(self, *_args: Any) -> None:
        self.doc.set_meta("goal", self.goal_value())

    def _timezone(self, *_args: Any) -> None:
        self.doc.set_meta("timezone", self.timezone.currentText().strip())

    def _reentry(self, *_args: Any) -> None:
        self.reentry.setEnabled(self.reenter.isChecked())
        self.doc.set_meta("reentry_days", self.reentry.value() if self.reenter.isChecked() else None)

    def _date(self, key: str) -> None:
        check, edit = self.dates[key]
        edit.setEnabled(check.isChecked())
        self.doc.set_meta(key, edit.date().toString("yyyy-MM-dd") if check.isChecked() else None)

    def flush(self) -> None:
        """Commit a description still waiting for a typing pause."""
        if self._desc_timer.isActive():
            self._desc_timer.stop()
            self.doc.set_meta("description", self.description.toPlainText())



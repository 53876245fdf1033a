"""One channel's page of *Settings → Delivery…*: how it sends (SMTP, webhook, files or not at all),
that kind's fields, built from :data:`app.channel_fields.FIELDS`, its secret, and *Test*."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.channel_fields import (
    CHOICE,
    FIELDS,
    FLAG,
    NUMBER,
    PATH,
    SECRET_OF,
    SMTP_PRESETS,
    TEMPLATE,
    WHOLE,
    Field,
    preset_of,
)
from app.delivery_settings import ChannelForm, has_secret
from editor.i18n import translate, word
from editor.messages import shown

KINDS = (None, "smtp", "webhook", "file")


def known(code: str, fallback: str) -> str:
    """A word of the app's catalog, or ``fallback`` for a code it does not have."""
    said = word(code)
    return fallback if said == code else said


class _Relay(QObject):
    """Carries a Test's result from its thread to the window's."""

    done = Signal(bool, object)


class ChannelPage(QWidget):
    """The form of one channel."""

    def __init__(self, name: str, channel: ChannelForm,
                 test: Callable[[str, ChannelForm, str, dict], tuple[bool, Any]],
                 confirm: Callable[[str, ChannelForm], dict | None]) -> None:
        """``test(name, channel, secret, options)`` runs in a thread (the values are read before);
        ``confirm(name, channel)`` asks first, for a webhook (its options for ``test``: the address and
        recipient the user confirmed; None: not now)."""
        super().__init__()
        self.name, self._test, self._confirm = name, test, confirm
        self.widgets: dict[tuple[str, str], QWidget] = {}
        self.secrets: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName(f"{name}_kind")
        for kind in KINDS:
            self.kind.addItem(word(f"delivery.kind.{kind or 'none'}"), kind)
        top.addRow(translate("DeliveryDialog", "Sends by"), self.kind)
        layout.addLayout(top)
        self.pages = QStackedWidget()
        for kind in KINDS:
            self.pages.addWidget(self._kind_page(kind, channel.values if channel.kind == kind else {}))
        layout.addWidget(self.pages)
        row = QHBoxLayout()
        self.test_button = QPushButton(translate("DeliveryDialog", "Test"))
        self.test_button.setObjectName(f"{name}_test")
        self.test_button.clicked.connect(self.start_test)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.kind.setCurrentIndex(KINDS.index(channel.kind))
        self._kind_changed()
        row.addWidget(self.test_button)
        self.result = QLabel()
        self.result.setObjectName(f"{name}_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.result, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.relay = _Relay()
        self.relay.done.connect(self._tested)

    # -- building --------------------------------------------------------------------------------
    def _kind_page(self, kind: str | None, values: dict[str, Any]) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)  # the rows keep their height; the page's spare room goes below them
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)
        if kind is None:
            note = QLabel(translate("DeliveryDialog", "Messages for this channel stay queued until it is set up."))
            note.setWordWrap(True)
            form.addRow(note)
            return page
        if kind == "smtp":
            form.addRow(translate("DeliveryDialog", "Provider"), self._preset_box(values))
        for spec in FIELDS[kind]:
            widget = self._widget(kind, spec, values.get(spec.key))
            self.widgets[(kind, spec.key)] = widget
            label = "" if spec.kind == FLAG else word(spec.label)
            form.addRow(label, self._with_browse(spec, widget) if spec.kind == PATH else widget)
            if kind in SECRET_OF and spec.key == SECRET_OF[kind]:
                form.addRow(self._secret_label(kind), self._secret(kind))
        if kind == "smtp":
            self.widgets[("smtp", "host")].textEdited.connect(self._server_edited)
            self.widgets[("smtp", "port")].valueChanged.connect(self._server_edited)
            self.widgets[("smtp", "security")].activated.connect(self._server_edited)
        return page

    def _widget(self, kind: str, spec: Field, value: Any) -> QWidget:
        shown_value = spec.default if value is None else value
        if spec.kind in (NUMBER, WHOLE):
            box = QSpinBox() if spec.kind == WHOLE else QDoubleSpinBox()
            if spec.kind == NUMBER:
                box.setDecimals(2)
            if spec.kind == WHOLE:
                box.setRange(int(spec.minimum), int(spec.maximum))
            else:
                box.setRange(spec.minimum, spec.maximum)
            special = known(f"delivery.special.{spec.key}", "")
            if special:
                box.setSpecialValueText(special)
            box.setValue(shown_value or 0)
            widget: QWidget = box
        elif spec.kind == CHOICE:
            widget = QComboBox()
            for choice in spec.choices:
                widget.addItem(known(f"delivery.choice.{spec.key}.{choice}", choice), choice)
            widget.setCurrentIndex(max(0, widget.findData(shown_value)))
        elif spec.kind == FLAG:
            widget = QCheckBox(word(spec.label))
            widget.setChecked(bool(shown_value))
        elif spec.kind == TEMPLATE:
            widget = QPlainTextEdit(shown_value or "")
            widget.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            widget.setFixedHeight(widget.fontMetrics().lineSpacing() * 3 + 14)
        else:
            widget = QLineEdit("" if value is None else str(value))
            widget.setPlaceholderText(spec.example)
        widget.setObjectName(f"{self.name}_{kind}_{spec.key}")
        return widget

    def _with_browse(self, spec: Field, edit: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        browse = QPushButton(translate("DeliveryDialog", "Choose…"))
        browse.clicked.connect(lambda: self._browse(spec, edit))
        row.addWidget(browse)
        return holder

    def _browse(self, spec: Field, edit: QLineEdit) -> None:
        if spec.key == "folder":
            path = QFileDialog.getExistingDirectory(self, word(spec.label), edit.text())
        else:
            path, _ = QFileDialog.getOpenFileName(self, word(spec.label), edit.text(), "PEM (*.pem *.crt);;* (*)")
        if path:
            edit.setText(path)

    def _preset_box(self, values: dict[str, Any]) -> QComboBox:
        self.preset = QComboBox()
        self.preset.setObjectName(f"{self.name}_preset")
        for preset in SMTP_PRESETS:
            self.preset.addItem(preset.name, preset.name)
        self.preset.addItem(translate("DeliveryDialog", "Another server (custom)"), None)
        current = preset_of(values) if values.get("host") else None
        self.preset.setCurrentIndex(self.preset.findData(current.name if current else None))
        self.preset.activated.connect(self._preset_chosen)
        return self.preset

    def _server_edited(self) -> None:
        """The provider shown follows the server typed: a preset's own, else *Another server*."""
        values = {key: self._value(self.widgets[("smtp", key)]) for key in ("host", "port", "security")}
        current = preset_of(values) if values["host"] else None
        self.preset.setCurrentIndex(self.preset.findData(current.name if current else None))

    def _preset_chosen(self) -> None:
        name = self.preset.currentData()
        preset = next((p for p in SMTP_PRESETS if p.name == name), None)
        if preset is None:
            return  # custom: the fields stay as they are, to be filled in
        self.widgets[("smtp", "host")].setText(preset.host)
        self.widgets[("smtp", "port")].setValue(preset.port)
        security = self.widgets[("smtp", "security")]
        security.setCurrentIndex(security.findData(preset.security))
        self._server_edited()  # the port's change asked before the security was set

    def _secret_label(self, kind: str) -> str:
        return translate("DeliveryDialog", "Password") if kind == "smtp" else \
            translate("DeliveryDialog", "Secret header's value")

    def _secret(self, kind: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setObjectName(f"{self.name}_{kind}_secret")
        edit.setPlaceholderText(
            translate("DeliveryDialog", "one is kept in the keyring: type to replace it") if has_secret(self.name)
            else translate("DeliveryDialog", "kept in the keyring, never in the file"))
        self.secrets[kind] = edit
        return edit

    def _kind_changed(self) -> None:
        self.pages.setCurrentIndex(self.kind.currentIndex())
        used = self.kind.currentData() is not None
        self.test_button.setEnabled(used)  # a channel that is not used has nothing to try
        self.test_button.setToolTip("" if used else translate("DeliveryDialog", "Choose how this channel sends first."))

    # -- reading -----------------------------------------------------------------------------------
    def channel(self) -> ChannelForm:
        """The channel as the page holds it now."""
        kind = self.kind.currentData()
        if kind is None:
            return ChannelForm()
        return ChannelForm(kind, {spec.key: self._value(self.widgets[(kind, spec.key)]) for spec in FIELDS[kind]})

    @staticmethod
    def _value(widget: QWidget) -> Any:
        """A field's value as the file would hold it (None: empty)."""
        if isinstance(widget, QSpinBox | QDoubleSpinBox):
            widget.interpretText()  # a number still being typed when Save or Test is clicked counts
            return widget.value()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().strip() or None
        return widget.text().strip() or None

    def secret(self) -> str:
        """The password (or secret header value) typed for the current kind, if any."""
        edit = self.secrets.get(self.kind.currentData() or "")
        return edit.text() if edit is not None else ""

    def field_widget(self, key: str | None) -> QWidget | None:
        """The widget of a key of the current kind (to show a refusal at its place)."""
        return self.widgets.get((self.kind.currentData() or "", key or ""))

    # -- Test --------------------------------------------------------------------------------------
    def start_test(self) -> None:
        """Run the channel's Test in the background (a webhook's once the user confirmed where to);
        the result shows beside the button."""
        channel, options = self.channel(), {}
        if channel.kind == "webhook":
            options = self._confirm(self.name, channel)
            if options is None:
                return
        self.test_button.setEnabled(False)
        self.result.setText(translate("DeliveryDialog", "Testing…"))
        threading.Thread(target=self._run_test, args=(channel, self.secret(), options), daemon=True).start()

    def _run_test(self, channel: ChannelForm, secret: str, options: dict) -> None:
        try:
            ok, said = self._test(self.name, channel, secret, options)
        except Exception as exc:  # a refused value (it names the field) or a failure to report
            ok, said = False, getattr(exc, "text", str(exc))
        self.relay.done.emit(ok, said)

    def _tested(self, ok: bool, said: Any) -> None:
        self.test_button.setEnabled(True)
        self.result.setText(("✓ " if ok else "⚠ ") + (shown(said) if not isinstance(said, str) else said))
        self.result.setProperty("failed", not ok)

"""*Settings → Delivery…*: the channels, the frequency cap and the currency of the settings file that
``run`` and ``serve`` read, edited in a window. Reading, checking and writing the file are the
application's (app/delivery_settings.py); this is only its form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.channel_check import TEST_RECIPIENT, try_channel
from app.delivery_settings import (
    ChannelForm,
    DeliveryForm,
    DeliveryRefused,
    KeyringUnavailable,
    check_form,
    keep_secret,
    password_storage,
    read_form,
    save_form,
)
from app.settings import SettingsError, default_path
from editor.channel_page import ChannelPage, known
from editor.i18n import translate, word
from editor.messages import shown

CURRENCIES = ("₽", "EUR", "€", "$", "USD", "£", "₸", "BYN")


class DeliveryDialog(QDialog):
    """The delivery settings of one settings file (default: the user's)."""

    def __init__(self, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("delivery_dialog")
        self.setWindowTitle(translate("DeliveryDialog", "Delivery settings"))
        self.path = path or default_path()
        layout = QVBoxLayout(self)
        try:
            form = read_form(self.path)
            self.broken = None
        except SettingsError as exc:  # not TOML: editing it would lose what it holds
            form = DeliveryForm()
            self.broken = "⚠ " + translate(
                "DeliveryDialog", "The settings file {path} cannot be read ({detail}). Fix it in a text editor "
                "first: Scenarist does not rewrite a file it cannot read whole.").format(
                path=self.path, detail=str(exc).removeprefix(f"{self.path}: "))
        self.tabs = QTabWidget()
        self.pages: dict[str, ChannelPage] = {}
        for name, channel in form.channels.items():
            page = ChannelPage(name, channel, self._test, self._confirm_webhook)
            self.pages[name] = page
            self.tabs.addTab(page, known(f"delivery.channel.{name}", word("delivery.channel.other", name=name)))
        self.tabs.addTab(self._limits_page(form), translate("DeliveryDialog", "Limit and currency"))
        layout.addWidget(self.tabs, 1)
        where = QLabel(translate("DeliveryDialog", "Kept in {path}, which the scheduler and the command line read "
                                                   "too. Passwords go to the keyring.").format(path=self.path))
        where.setWordWrap(True)
        where.setObjectName("formHelp")
        layout.addWidget(where)
        self.session_only = QCheckBox(translate("DeliveryDialog", "Keep passwords for this session only"))
        self.session_only.setObjectName("delivery_session_only")
        self.session_only.setVisible(not password_storage().usable)
        layout.addWidget(self.session_only)
        self.problem = QLabel(self.broken or "")
        self.problem.setObjectName("delivery_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #e06c75")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.broken is None)
        layout.addWidget(self.buttons)
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()).grownBy(self.contentsMargins()))

    def _limits_page(self, form: DeliveryForm) -> QWidget:
        page = QWidget()
        grid = QFormLayout(page)
        self.cap_on = QCheckBox(translate("DeliveryDialog", "Limit how many messages one customer gets"))
        self.cap_on.setObjectName("cap_on")
        self.cap_messages, self.cap_days = QSpinBox(), QSpinBox()
        self.cap_messages.setObjectName("cap_messages")
        self.cap_days.setObjectName("cap_days")
        self.cap_messages.setRange(1, 1000)
        self.cap_days.setRange(1, 365)
        messages, days = form.cap or (3, 7)
        self.cap_messages.setValue(messages)
        self.cap_days.setValue(days)
        self.cap_on.setChecked(form.cap is not None)
        row = QHBoxLayout()
        for part in (translate("DeliveryDialog", "No more than"), self.cap_messages,
                     translate("DeliveryDialog", "messages in"), self.cap_days, translate("DeliveryDialog", "days")):
            row.addWidget(QLabel(part) if isinstance(part, str) else part)
        row.addStretch(1)
        grid.addRow(self.cap_on)
        grid.addRow(row)
        note = QLabel(translate("DeliveryDialog", "All scenarios together; messages over the limit are not sent and "
                                                  "count as “capped”."))
        note.setWordWrap(True)
        note.setObjectName("formHelp")
        grid.addRow(note)
        self.cap_on.toggled.connect(self._cap_toggled)
        self._cap_toggled()
        self.currency = QComboBox()
        self.currency.setObjectName("currency")
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(form.currency)
        self.currency.setMaximumWidth(self.currency.fontMetrics().horizontalAdvance("M") * 12)
        grid.addRow(translate("DeliveryDialog", "Currency"), self.currency)
        money = QLabel(translate("DeliveryDialog", "How money is written in reports and simulations; nothing is "
                                                   "converted."))
        money.setWordWrap(True)
        money.setObjectName("formHelp")
        grid.addRow(money)
        return page

    def _cap_toggled(self) -> None:
        self.cap_messages.setEnabled(self.cap_on.isChecked())
        self.cap_days.setEnabled(self.cap_on.isChecked())

    # -- the form ------------------------------------------------------------------------------------
    def form(self) -> DeliveryForm:
        """What the dialog holds now."""
        self.cap_messages.interpretText()
        self.cap_days.interpretText()
        cap = (self.cap_messages.value(), self.cap_days.value()) if self.cap_on.isChecked() else None
        return DeliveryForm({name: page.channel() for name, page in self.pages.items()}, cap,
                            self.currency.currentText().strip())

    def _test(self, name: str, channel: ChannelForm, secret: str, options: dict) -> tuple[bool, Any]:
        """A channel's Test with the values its page held (run in the page's thread: no widget here)."""
        return try_channel(DeliveryForm({name: channel}), name, secret=secret or None, path=self.path, **options)

    def _confirm_webhook(self, name: str, channel: ChannelForm) -> dict | None:
        """Ask where the test request goes (the gateway's address, or one for testing) and for whom."""
        dialog = WebhookTestQuestion(channel.values.get("url") or "", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return {"url": dialog.url.text().strip(), "recipient": dialog.recipient.text().strip() or None}

    def accept(self) -> None:
        """Check every value, keep the passwords typed, write the file, close; or say what is wrong."""
        form = self.form()
        try:
            check_form(form, self.path)
        except DeliveryRefused as exc:
            self._refused(exc)
            return
        except SettingsError as exc:
            self.problem.setText("⚠ " + str(exc))
            return
        for name, page in self.pages.items():
            if page.secret():
                try:
                    keep_secret(name, page.secret(), session_only=self.session_only.isChecked())
                except KeyringUnavailable as exc:
                    said = shown(exc.text)
                    self.problem.setText("⚠ " + said[:1].upper() + said[1:])
                    self.session_only.show()
                    return
        save_form(form, self.path)
        super().accept()

    def _refused(self, exc: DeliveryRefused) -> None:
        self.problem.setText("⚠ " + shown(exc.text))
        page = self.pages.get(exc.channel or "")
        target = page.field_widget(exc.key) if page else None
        if page is not None:
            self.tabs.setCurrentWidget(page)
        elif exc.key in ("frequency_cap", "currency"):
            self.tabs.setCurrentIndex(self.tabs.count() - 1)
            target = self.currency if exc.key == "currency" else self.cap_messages
        if target is not None:
            target.setFocus()


class WebhookTestQuestion(QDialog):
    """Where a webhook's test request goes: the user confirms (or changes) the address first, since a
    real gateway may deliver the test message to the phone given."""

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("webhook_test_question")
        self.setWindowTitle(translate("DeliveryDialog", "Send a test request"))
        layout = QVBoxLayout(self)
        text = QLabel(translate("DeliveryDialog", "Scenarist sends one test message to this address, as a run "
                                                  "would. A real gateway may deliver it to the recipient below."))
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.url = QLineEdit(url)
        self.url.setObjectName("webhook_test_url")
        self.recipient = QLineEdit()
        self.recipient.setObjectName("webhook_test_recipient")
        self.recipient.setPlaceholderText(TEST_RECIPIENT)
        form.addRow(word("delivery.field.url"), self.url)
        form.addRow(translate("DeliveryDialog", "Recipient"), self.recipient)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        send = buttons.addButton(translate("DeliveryDialog", "Send the test request"),
                                 QDialogButtonBox.ButtonRole.AcceptRole)
        send.setObjectName("webhook_test_send")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(max(480, self.sizeHint().width()), self.sizeHint().height())

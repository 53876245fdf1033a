"""The message form's *Send a test…*: pick a customer to render the message as (type to search)
and a recipient (remembered), and send it through the real channel, subject prefixed "[TEST]"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.test_send import TestSendRefused
from editor.i18n import translate
from editor.messages import shown


class TestSendDialog(QDialog):
    """Choose whom the message is written for and where it goes; the answer shows in the dialog."""

    def __init__(self, customers: list[tuple[int, str]], send: Callable[[int, str], Any],
                 recipient: str, remember: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.send, self.remember = send, remember
        self.setWindowTitle(translate("TestSend", "Send a test"))
        form = QFormLayout(self)
        self.customer = QComboBox()
        self.customer.setObjectName("test_customer")
        self.customer.setEditable(True)
        self.customer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for cid, label in customers:
            self.customer.addItem(f"#{cid} {label}", cid)
        completer = self.customer.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # a name or an id anywhere in the label
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        form.addRow(translate("TestSend", "Write it for"), self.customer)
        self.recipient = QLineEdit(recipient)
        self.recipient.setObjectName("test_recipient")
        self.recipient.setPlaceholderText(translate("TestSend", "your email (or phone for SMS)"))
        form.addRow(translate("TestSend", "Send to"), self.recipient)
        note = QLabel(translate("TestSend", "It goes through the real channel, its subject starting with "
                                            "“[TEST]”. Nothing is written to the CRM."))
        note.setWordWrap(True)
        form.addRow(note)
        self.status = QLabel("")
        self.status.setObjectName("test_status")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.send_button = QPushButton(translate("TestSend", "Send"))
        self.send_button.setObjectName("test_send")
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.clicked.connect(self.send_now)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen_customer(self) -> int | None:
        """The customer picked (by the list, or by the text typed matching one of its entries)."""
        index = self.customer.findText(self.customer.currentText())
        return self.customer.itemData(index) if index >= 0 else None

    def send_now(self) -> None:
        """Send the test; the server's answer (or why it cannot be sent) shows below."""
        customer, to = self.chosen_customer(), self.recipient.text().strip()
        if customer is None:
            self.status.setText("⚠ " + translate("TestSend", "Choose a customer from the list."))
            return
        self.remember(to)
        try:
            sent = self.send(customer, to)
        except TestSendRefused as exc:
            self.status.setText("⚠ " + shown(exc.text))
            return
        except LookupError as exc:
            self.status.setText("⚠ " + str(exc))
            return
        if sent.accepted:
            self.status.setText(translate("TestSend", "Sent to {to}: {subject}").format(to=to, subject=sent.subject))
        else:
            self.status.setText("⚠ " + translate("TestSend", "The server refused it: {reason}").format(
                reason=sent.reason))

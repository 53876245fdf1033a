"""*Settings → Delivery…* in the real window, offscreen, with real input: the README's example file
saved unchanged keeps its bytes, a preset changes only the server's line, a refused value names its
field and writes nothing, passwords go to the keyring (or this session only), and Test talks to
aiosmtpd with a login and to an HTTP server on loopback. Screenshots in both languages at 1280×720
and 1920×1080 go to test-artifacts/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult
from keyring.backends import fail
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.prefs import Prefs
from app.settings import default_path, load_settings
from editor.i18n import install_translation
from tests.helpers import ROOT
from tests.test_credentials import MemoryKeyring, backend  # noqa: F401 - fixture
from tests.test_delivery_faults import readme_settings, smtp_servers, web  # noqa: F401 - fixtures
from tests.test_delivery_settings import in_table
from tests.windows import shown_window

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def window(qtbot, user_dirs, tmp_path):
    with shown_window(qtbot, prefs=Prefs(crm=""), workspace=tmp_path / "workspace", scheduler=False) as made:
        yield made


@pytest.fixture
def readme_file(user_dirs) -> Path:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(readme_settings().encode("utf-8"))
    return path


def open_dialog(window, qtbot):
    window.actions_by_name["delivery"].trigger()  # Settings → Delivery…
    shown = [d for d in window.findChildren(QDialog, "delivery_dialog") if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def save(dialog, qtbot) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_saving_the_readme_file_unchanged_keeps_its_bytes(window, qtbot, readme_file, backend) -> None:  # noqa: F811
    backend(MemoryKeyring)
    before = readme_file.read_bytes()
    dialog = open_dialog(window, qtbot)
    assert window.menus["preferences"].title() == "Se&ttings"
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Email", "SMS", "Messengers (webhook)", "Channel “staff”", "Limit and currency"]
    assert dialog.findChild(QWidget, "email_smtp_host").text() == "smtp.example.com"
    save(dialog, qtbot)
    assert not dialog.isVisible()
    assert readme_file.read_bytes() == before
    assert window.statusBar().currentMessage() == f"Delivery settings saved in {readme_file}"


def test_a_preset_changes_the_server_and_the_password_goes_to_the_keyring(window, qtbot, readme_file,
                                                                          backend) -> None:  # noqa: F811
    store = backend(MemoryKeyring).store
    before = readme_file.read_text(encoding="utf-8").splitlines()
    dialog = open_dialog(window, qtbot)
    preset = dialog.findChild(QWidget, "email_preset")
    assert preset.currentText() == "Another server (custom)"
    preset.setFocus()
    qtbot.keyClick(preset, Qt.Key.Key_Home)  # the first provider: Gmail
    assert preset.currentText() == "Gmail"
    assert dialog.findChild(QWidget, "email_smtp_host").text() == "smtp.gmail.com"
    assert dialog.findChild(QWidget, "email_smtp_port").value() == 587
    assert dialog.findChild(QWidget, "email_smtp_security").currentData() == "starttls"
    host = dialog.findChild(QLineEdit, "email_smtp_host")
    retype(qtbot, host, "smtp.example.org")  # a server of one's own: the provider follows
    assert preset.currentText() == "Another server (custom)"
    retype(qtbot, host, "smtp.gmail.com")
    assert preset.currentText() == "Gmail"
    retype(qtbot, dialog.findChild(QLineEdit, "email_smtp_secret"), "app password 1")
    save(dialog, qtbot)
    assert not dialog.isVisible()
    after = readme_file.read_text(encoding="utf-8").splitlines()
    assert after == in_table(before, "[channels.email]", {'host = "smtp.example.com"': 'host = "smtp.gmail.com"'})
    assert store == {("scenarist", "channel:email"): "app password 1"}
    assert "password" not in readme_file.read_text(encoding="utf-8").replace("the password", "")


def test_a_refused_value_names_its_field_and_nothing_is_written(window, qtbot, readme_file, backend) -> None:  # noqa: F811
    backend(MemoryKeyring)
    before = readme_file.read_bytes()
    dialog = open_dialog(window, qtbot)
    sender = dialog.findChild(QLineEdit, "email_smtp_from")
    retype(qtbot, sender, "My Shop")
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)  # the user went on to the currency before saving
    save(dialog, qtbot)
    assert dialog.isVisible()
    assert dialog.problem.text() == "⚠ Email, “Sender”: must be an email address such as My Shop <shop@example.com>."
    assert dialog.tabs.currentIndex() == 0 and dialog.focusWidget() is sender
    assert readme_file.read_bytes() == before
    install_translation(QApplication.instance(), "ru")
    try:
        save(dialog, qtbot)
        assert dialog.problem.text() == \
            "⚠ Почта, «Отправитель»: нужен адрес почты, например Мой магазин <shop@example.com>."
    finally:
        install_translation(QApplication.instance(), "en")
    dialog.reject()


def test_a_keyring_that_cannot_keep_it_is_said_and_this_session_may(window, qtbot, readme_file,
                                                                   backend) -> None:  # noqa: F811
    backend(fail.Keyring)
    before = readme_file.read_bytes()
    dialog = open_dialog(window, qtbot)
    assert dialog.session_only.isVisible()
    retype(qtbot, dialog.findChild(QLineEdit, "email_smtp_secret"), "pw")
    save(dialog, qtbot)
    assert dialog.problem.text() == (
        "⚠ This computer has no keyring service (a headless Linux has no Secret Service), so passwords cannot be "
        "stored safely. Keep it for this session only, or set it in an environment variable on a headless server.")
    assert readme_file.read_bytes() == before
    qtbot.mouseClick(dialog.session_only, Qt.MouseButton.LeftButton, pos=QPoint(5, dialog.session_only.height() // 2))
    save(dialog, qtbot)
    assert not dialog.isVisible() and readme_file.read_bytes() == before
    from app.delivery_settings import has_secret

    assert has_secret("email")


def test_a_file_that_is_not_toml_is_left_alone(window, qtbot, user_dirs) -> None:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[channels.email]\nkind = "smtp\n', encoding="utf-8")
    before = path.read_bytes()
    dialog = open_dialog(window, qtbot)
    assert dialog.problem.text() == (
        f"⚠ The settings file {path} cannot be read (Illegal character '\\n' (at line 2, column 13)). Fix it in "
        "a text editor first: Scenarist does not rewrite a file it cannot read whole.")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.reject()
    assert path.read_bytes() == before


def wait_result(qtbot, dialog, name: str) -> str:
    label = dialog.findChild(QLabel, f"{name}_result")
    qtbot.waitUntil(lambda: label.text().startswith(("✓", "⚠")), timeout=20000)
    return label.text()


def test_smtp_test_logs_in_and_names_the_servers_refusal(window, qtbot, readme_file, smtp_servers,  # noqa: F811
                                                         backend) -> None:  # noqa: F811
    backend(MemoryKeyring)

    def check(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.password == b"right", handled=False)

    _inbox, port = smtp_servers(authenticator=check, auth_require_tls=False)
    dialog = open_dialog(window, qtbot)
    retype(qtbot, dialog.findChild(QLineEdit, "email_smtp_host"), "127.0.0.1")
    port_box = dialog.findChild(QWidget, "email_smtp_port")
    port_box.setFocus()
    port_box.selectAll()
    qtbot.keyClicks(port_box, str(port))
    security = dialog.findChild(QWidget, "email_smtp_security")
    security.setFocus()
    qtbot.keyClick(security, Qt.Key.Key_End)  # none: a server on this computer
    assert dialog.findChild(QWidget, "email_preset").currentText() == "Another server (custom)"
    secret = dialog.findChild(QLineEdit, "email_smtp_secret")
    retype(qtbot, secret, "wrong")
    test = dialog.findChild(QAbstractButton, "email_test")
    qtbot.mouseClick(test, Qt.MouseButton.LeftButton)
    assert wait_result(qtbot, dialog, "email") == \
        "⚠ Email: the server refused the login: 535 5.7.8 Authentication credentials invalid"
    retype(qtbot, secret, "right")
    qtbot.mouseClick(test, Qt.MouseButton.LeftButton)
    assert wait_result(qtbot, dialog, "email") == \
        f"✓ Email: connected to 127.0.0.1:{port} and logged in as shop@example.com."
    dialog.reject()


def test_webhook_test_asks_where_and_posts_there(window, qtbot, readme_file, web) -> None:  # noqa: F811
    gateway = web()
    dialog = open_dialog(window, qtbot)
    dialog.tabs.setCurrentIndex(1)

    def confirm() -> None:
        question = QApplication.activeModalWidget()
        if question is None or question.objectName() != "webhook_test_question":
            QTimer.singleShot(20, confirm)
            return
        assert question.url.text() == "https://gateway.example.com/send"
        retype(qtbot, question.url, gateway.url)
        retype(qtbot, question.recipient, "+79990000002")
        qtbot.mouseClick(question.findChild(QAbstractButton, "webhook_test_send"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, confirm)
    qtbot.mouseClick(dialog.findChild(QAbstractButton, "sms_test"), Qt.MouseButton.LeftButton)
    assert wait_result(qtbot, dialog, "sms") == f"✓ SMS: {gateway.url} took the test request."
    assert len(gateway.seen) == 1 and json.loads(gateway.seen[0].body)["phone"] == "+79990000002"
    dialog.reject()


def clipped(root: QWidget) -> list[str]:
    """Visible labels, buttons and check boxes narrower than their text."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not isinstance(widget, QLabel | QAbstractButton):
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            continue
        if widget.width() < widget.sizeHint().width() or widget.height() < widget.minimumSizeHint().height():
            found.append(f"{type(widget).__name__} {widget.text()!r}: {widget.width()} < {widget.sizeHint().width()}")
    return found


@pytest.mark.parametrize("language", ["en", "ru"])
def test_screenshots_fit_both_screens_in_both_languages(window, qtbot, readme_file, language) -> None:
    install_translation(QApplication.instance(), language)
    try:
        window.retranslate()
        ARTIFACTS.mkdir(exist_ok=True)
        for width, height in ((1280, 720), (1920, 1080)):
            window.resize(width, height)
            qtbot.wait(20)
            dialog = open_dialog(window, qtbot)
            assert dialog.width() <= width and dialog.height() <= height - 40, (dialog.width(), dialog.height())
            for index in range(dialog.tabs.count()):
                dialog.tabs.setCurrentIndex(index)
                qtbot.wait(10)
                assert clipped(dialog) == [], (language, index)
                shot = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
                painter = QPainter(shot)
                painter.drawImage((width - dialog.width()) // 2, (height - dialog.height()) // 2,
                                  dialog.grab().toImage())
                painter.end()
                assert (shot.width(), shot.height()) == (width, height)
                shot.save(str(ARTIFACTS / f"delivery-{language}-{width}x{height}-{index}.png"))
            dialog.reject()
            qtbot.wait(10)
    finally:
        install_translation(QApplication.instance(), "en")
    assert load_settings(readme_file).currency == "₽"

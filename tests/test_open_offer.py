"""Open what you save: after a picture or a client report is saved, the status bar offers to open it,
and a click hands the file to the system's default application (Qt's URL handler for file:// URLs,
which a test may take over: QDesktopServices.setUrlHandler)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from app.prefs import Prefs
from tests.helpers import REACTIVATION
from tests.windows import shown_window


class Opened(QObject):
    """Stands in for the system's file opener: keeps the URLs Qt would have opened."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened() -> Iterator[Opened]:
    handler = Opened()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def window(qtbot, user_dirs, tmp_path):
    with shown_window(qtbot, prefs=Prefs(crm=""), workspace=tmp_path / "workspace", scheduler=False) as made:
        assert made.open_path(REACTIVATION, confirm=False)
        qtbot.wait(20)
        yield made


@pytest.mark.parametrize("kind", ["png", "svg", "html"])
def test_saved_file_is_offered_and_opened_in_the_default_application(window, opened, qtbot, tmp_path,
                                                                      kind) -> None:
    target = tmp_path / f"for the client.{kind}"
    saved = window.report_dialog(target) if kind == "html" else window.export_picture(kind, target)
    assert saved == target and target.stat().st_size > 1000
    offer = window.open_offer
    assert offer.isVisible()
    assert offer.text() == f"Open for the client.{kind}"
    words = "Report saved" if kind == "html" else "Picture saved"
    assert window.statusBar().currentMessage() == f"{words}: {target}"

    qtbot.mouseClick(offer, Qt.MouseButton.LeftButton)

    assert [url.toLocalFile() for url in opened.urls] == [str(target)]
    assert opened.urls[0].scheme() == "file"
    assert not offer.isVisible()  # one click, one opening


def test_offer_goes_with_its_message(window, opened, qtbot, tmp_path) -> None:
    window.export_picture("png", tmp_path / "a.png")
    assert window.open_offer.isVisible()
    window.statusBar().showMessage("something else happened", 4000)
    assert not window.open_offer.isVisible()  # the offer would now seem to be about another message
    window.export_picture("svg", tmp_path / "b.svg")
    assert window.open_offer.isVisible() and window.open_offer.text() == "Open b.svg"
    window.statusBar().clearMessage()
    assert not window.open_offer.isVisible()
    assert opened.urls == []


def test_no_application_for_the_file_is_said(window, qtbot, tmp_path) -> None:
    # The offscreen platform has no file opener, as a system without a default application for PNG.
    window.export_picture("png", tmp_path / "a.png")
    qtbot.mouseClick(window.open_offer, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == (
        f"⚠ No application opened {tmp_path / 'a.png'}: open it from your file manager.")
    assert not window.open_offer.isVisible()

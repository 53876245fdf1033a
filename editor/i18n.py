"""The interface language: the translators of the running application (Qt's own and the
window's, from ``resources/i18n/scenarist_<lang>.qm``), and the words of the layers below the
window (node types, parameters, operators, problems), which their catalogs give by code in the
interface's language (:mod:`connectors.texts`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from connectors.texts import Text, lookup, pick, words

I18N = Path(__file__).resolve().parent.parent / "resources" / "i18n"
LANGUAGES = ("auto", "en", "ru")
# Each language is named in itself, whatever the interface language (so anyone can find theirs).
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def word(code: str, **args: object) -> str:
    """Words of the layers below the window (node types, operators, problems) in the interface language."""
    return words(Text(code, args), interface_language())


def _known(code: str) -> str | None:
    entry = lookup(code, interface_language())
    return None if entry is None else pick(entry, 1, interface_language())


def humanize(identifier: str) -> str:
    """A label for an identifier nobody has named yet: ``promo_code`` -> ``Promo code``."""
    return identifier.replace("_", " ").strip().capitalize()


def type_title(type_name: str) -> str:
    """A node type's name as the palette and the canvas show it."""
    return _known(f"node.{type_name}.title") or humanize(type_name)


def type_description(type_name: str) -> str:
    """A node type's one-sentence description."""
    return _known(f"node.{type_name}.description") or ""


def param_text(type_name: str, param: str, what: str) -> str:
    """A parameter's ``label``, ``help`` or ``unset`` words ("" when it has none)."""
    return _known(f"node.{type_name}.param.{param}.{what}") or ""


def choice_label(value: str, type_name: str | None = None) -> str:
    """A choice value as the user reads it: the node type's own words, else the shared ones."""
    own = _known(f"node.{type_name}.choice.{value}") if type_name else None
    return own or _known(f"choice.{value}") or humanize(value)


def port_name(type_name: str, port: str) -> str:
    """A port as the user reads it: yes, no, timed out; a branch's own name as it is."""
    return _known(f"node.{type_name}.port.{port}") or port


def op_label(op: str) -> str:
    """A condition operator as the user reads it."""
    return _known(f"op.{op}") or humanize(op)


def kind_label(kind: str) -> str:
    """A condition kind as the user reads it."""
    return _known(f"condition.{kind}.title") or humanize(kind)


def condition_choice(kind: str, key: str, value: str) -> str:
    """One choice of a condition's widget: the kind's own words (``is used``), else the shared
    operator words, else the value made readable."""
    own = _known(f"condition.{kind}.{key}.{value}")
    if own:
        return own
    return op_label(value) if key == "op" else humanize(value)


# -- the application's translators ------------------------------------------------------------------
_installed: list[QTranslator] = []
_language: list[str] = ["en"]  # the interface language installed last
_base_locale: list[QLocale] = []  # the default locale before a translation replaced it


def language_code(language: str) -> str:
    """The language an interface setting means.

    Args:
        language: "auto" (the default locale's language: the system's unless
            ``QLocale.setDefault`` changed it), or a language code such as "en" or "ru".

    Returns:
        The code of a language Scenarist has a translation for, else "en".
    """
    code = QLocale().name().split("_")[0] if language == "auto" else language
    return code if code != "en" and (I18N / f"scenarist_{code}.qm").exists() else "en"


def install_translation(app: QCoreApplication, language: str) -> str:
    """Replace the application's translators with those of a language: Scenarist's own and Qt's
    (standard buttons and dialogs). The default locale (day names, number formats) follows while a
    translation is installed. Widgets built earlier keep their texts: the window re-translates
    itself (MainWindow.retranslate).

    Args:
        app: The application.
        language: "auto", "en" or "ru", as the preferences keep it.

    Returns:
        The language now used ("en" when there is no translation for it).
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if _base_locale:  # undo our own change first: "auto" must see the system's language again
        QLocale.setDefault(_base_locale.pop())
    code = language_code(language)
    _language[0] = "en"
    if code == "en":
        return code
    ours = QTranslator(app)
    if not ours.load(str(I18N / f"scenarist_{code}.qm")):
        return "en"
    _language[0] = code
    qt = QTranslator(app)
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _installed.append(qt)
    _installed.append(ours)  # installed last, so it is asked first
    for translator in _installed:
        app.installTranslator(translator)
    if QLocale().language() != QLocale(code).language():
        # Day and month names, decimal commas: the interface's language, not only its words.
        _base_locale.append(QLocale())
        QLocale.setDefault(QLocale(code))
    return code


def interface_language() -> str:
    """The code of the interface's language now ("en" or "ru"): the layers below word their
    messages in it (:func:`connectors.texts.words`)."""
    return _language[0]


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate``, under the name lupdate looks for: every interface string
    is written ``translate("Context", "English text")`` with an explicit context, so that the
    context lupdate records is the one asked at run time (``self.tr`` would use the class name of
    a subclass, and lupdate misreads it after a ``QCoreApplication.translate`` call)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


class Counted(QObject):
    """Phrases with a count, in the plural form the count needs (1 клиент, 2 клиента, 5 клиентов).

    lupdate's Python reader records plural forms only for ``self.tr(text, None, n)`` with a
    variable ``n`` (not for ``translate``), so they live in this class, whose name is the context
    both for lupdate and for PySide6's ``tr`` at run time.
    """

    def waiting(self, n: int) -> str:
        """A node's badge: how many customers wait there (``{n}`` is left for the caller's format)."""
        return self.tr("{n} waiting", None, n)

    def pasted(self, n: int) -> str:
        """The status line after a paste."""
        return self.tr("Pasted {n} nodes.", None, n)

    def would_enter(self, n: int) -> str:
        """How many customers a run now would let in (before Run now and switching on)."""
        return self.tr("{n} customers would enter now.", None, n)

    def pasted_step(self, n: int) -> str:
        """The undo step of a paste."""
        return self.tr("paste {n} nodes", None, n)

    def pasted_items_step(self, n: int) -> str:
        """The undo step of a paste of nodes and notes together."""
        return self.tr("paste {n} items", None, n)

    def pasted_items(self, n: int) -> str:
        """The status line after a paste of nodes and notes together."""
        return self.tr("Pasted {n} items.", None, n)

    def stranded(self, n: int) -> str:
        """Customers waiting at a node a new version deleted."""
        return self.tr("{n} customer(s) at node '{node}'", None, n)


@cache
def counted() -> Counted:
    """The phrases with a count (one shared instance)."""
    return Counted()

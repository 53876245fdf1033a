"""The interface language: the registry's texts shown through translation, and the translators
of the running application.

The engine declares node types, parameters, choices and condition operators in English and
without Qt; the editor shows them through :func:`node_text` (context ``nodes``), and
``tools/i18n.py update`` writes them into ``editor/registry_strings.py`` so that lupdate finds
them. Choice values and condition operators are identifiers, so their English labels live here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

NODES = "nodes"
I18N = Path(__file__).resolve().parent.parent / "resources" / "i18n"
LANGUAGES = ("auto", "en", "ru")
# Each language is named in itself, whatever the interface language (so anyone can find theirs).
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}

CHOICE_LABELS = {
    "schedule": "every day at a time",
    "new_customer": "a new customer registered",
    "new_order": "a customer placed an order",
    "event": "an event from the site (events table)",
    "date": "a yearly date (birthday, anniversary)",
    "all": "all conditions",
    "any": "any condition",
    "email": "Email",
    "sms": "SMS",
    "webhook": "Webhook",
    "points": "Loyalty points",
    "promo_code": "Promo code",
}
OP_LABELS = {
    "eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥",
    "in": "is one of",
    "contains": "contains",
    "is_true": "is yes",
    "is_false": "is no",
    "is_set": "is filled in",
    "is_empty": "is empty",
    "is_valid_email": "is a valid email",
    "older_than_days": "more than N days ago",
    "newer_than_days": "less than N days ago",
}
KIND_LABELS = {
    "field": "Customer field",
    "orders": "Orders",
    "bonus_used": "Bonus used",
    "messages": "Messages received",
}
AGG_LABELS = {
    "count": "number of orders",
    "sum": "total spent",
    "days_since_last": "days since the last order",
}


def node_text(text: str) -> str:
    """A registry string (node type title or description, parameter label or help, choice or
    operator label) in the interface language; English when it has no translation."""
    return QCoreApplication.translate(NODES, text) if text else text


def humanize(identifier: str) -> str:
    """An English label for an identifier nobody has named yet: ``promo_code`` -> ``Promo code``."""
    return identifier.replace("_", " ").strip().capitalize()


def label_of(labels: dict[str, str], key: str) -> str:
    """The English label of a choice, operator, kind or aggregate (made up for a new one)."""
    return labels.get(key) or humanize(key)


def choice_label(value: str) -> str:
    """A choice value as the user reads it."""
    return node_text(label_of(CHOICE_LABELS, value))


def op_label(op: str) -> str:
    """A condition operator as the user reads it."""
    return node_text(label_of(OP_LABELS, op))


def kind_label(kind: str) -> str:
    """A condition kind as the user reads it."""
    return node_text(label_of(KIND_LABELS, kind))


def agg_label(agg: str) -> str:
    """An order aggregate as the user reads it."""
    return node_text(label_of(AGG_LABELS, agg))


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

    def stranded(self, n: int) -> str:
        """Customers waiting at a node a new version deleted."""
        return self.tr("{n} customer(s) at node '{node}'", None, n)


@cache
def counted() -> Counted:
    """The phrases with a count (one shared instance)."""
    return Counted()

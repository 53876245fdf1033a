"""Messages of the layers below the window (problems of a scenario, template errors, run
summaries, CRM and keyring errors) in the interface language: each carries a code and its values
(:class:`connectors.texts.Text`), which its layer's catalog words in the language asked for."""

from __future__ import annotations

from collections.abc import Mapping

from connectors.texts import Text, words
from editor.i18n import interface_language
from engine.problems import Problem


def shown(message: Text | Problem | str | None, titles: Mapping[str, str] | None = None) -> str:
    """A message in the interface language, naming nodes by ``titles``; a plain string (a
    database's or a server's own words) is shown as it is."""
    if message is None:
        return ""
    if isinstance(message, Problem):
        return message.words(interface_language(), titles)
    if isinstance(message, Text):
        return words(message, interface_language(), titles)
    return str(message)

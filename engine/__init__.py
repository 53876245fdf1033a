"""Scenarist engine: scenario model, validation, node registry, SQL runner. No Qt here."""

from engine import words as _words  # noqa: F401 - the layer's words are known wherever it is used

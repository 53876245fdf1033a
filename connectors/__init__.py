"""Connectors: the CRM database, delivery channels, secrets, the template sandbox. No Qt, no engine."""

from connectors import words as _words  # noqa: F401 - the layer's words are known wherever it is used

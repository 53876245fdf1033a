"""Scenarist engine: scenario model, validation, node registry, SQL runner. No Qt here."""

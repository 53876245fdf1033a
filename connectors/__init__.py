"""Connectors: the CRM database and, later, delivery channels. No Qt here."""

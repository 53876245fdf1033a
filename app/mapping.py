"""Mapping a shop's own tables and columns onto Scenarist's canonical ones (``map-crm`` and
the window's CRM → Map CRM columns…). The mapping is kept in the settings file, per CRM URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from app.crm import open_crm
from app.settings import Settings, load_settings, save_mapping
from connectors.crm import OPTIONAL, REQUIRED, Mapping, distinct_values, list_tables, sample_rows

__all__ = ["OPTIONAL", "REQUIRED", "Mapping", "ShopTables", "keep_mapping", "shop_tables"]


@dataclass
class ShopTables:
    """What a person needs to see to map a database: its tables, sample rows and values."""

    engine: sa.Engine

    def tables(self) -> dict[str, list[str]]:
        """The shop's own tables and their columns (the engine's tables left out)."""
        return list_tables(self.engine)

    def sample(self, table: str, limit: int = 5) -> tuple[list[str], list[tuple]]:
        """A table's column names and first rows."""
        return sample_rows(self.engine, table, limit)

    def values(self, table: str, column: str, limit: int = 50) -> list[str]:
        """A column's distinct values, most frequent first (the order statuses to choose from)."""
        return distinct_values(self.engine, table, column, limit)


@contextmanager
def shop_tables(url: str, settings_path: str | None = None) -> Iterator[tuple[ShopTables, Mapping | None]]:
    """The tables of the CRM at ``url`` and the mapping the settings keep for it (a settings file
    that does not exist yet is a new one)."""
    new_file = settings_path is not None and not Path(settings_path).exists()
    settings = Settings() if new_file else load_settings(settings_path)
    with open_crm(url, settings, reflect=False) as crm:
        yield ShopTables(crm.engine), settings.mapping_for(url)


def keep_mapping(url: str, mapping: Mapping, settings_path: str | None = None) -> Path:
    """Keep the mapping for ``url`` in the settings file (comments kept); returns the file."""
    return save_mapping(url, mapping, settings_path)

"""The canonical CRM schema of DESIGN.md, for the demo CRM and for tests."""

from __future__ import annotations

import sqlalchemy as sa


def canonical_metadata() -> tuple[sa.MetaData, sa.Table, sa.Table]:
    """Declare the canonical ``customers`` and ``orders`` tables."""
    md = sa.MetaData()
    customers = sa.Table(
        "customers", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320)),
        sa.Column("phone", sa.String(32)),
        sa.Column("first_name", sa.String(100)),
        sa.Column("last_name", sa.String(100)),
        sa.Column("registered_at", sa.DateTime),
        sa.Column("email_subscribed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("sms_subscribed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("bonus_points", sa.Integer, nullable=False, server_default="0"),
        sa.Column("city", sa.String(100)),
        sa.Column("birthday", sa.Date),
    )
    orders = sa.Table(
        "orders", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("total", sa.Numeric(12, 2), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("promo_code", sa.String(64)),
        sa.Index("orders_customer_created", "customer_id", "created_at"),
        sa.Index("orders_promo_code", "promo_code"),
    )
    # Optional: what the shop's site reports (a cart abandoned, a product viewed), for event triggers.
    sa.Table(
        "events", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Index("events_customer_name", "customer_id", "name", "created_at"),
    )
    return md, customers, orders


def create_canonical(engine: sa.Engine) -> tuple[sa.Table, sa.Table]:
    """Create the canonical tables (if missing, the events table too) and return customers and orders."""
    md, customers, orders = canonical_metadata()
    md.create_all(engine)
    return customers, orders

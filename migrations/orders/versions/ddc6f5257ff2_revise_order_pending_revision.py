"""revise order: pending revision

Revision ID: ddc6f5257ff2
Revises: ece2a164207f
Created: 2026-11-28 20:56:06.635283
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ddc6f5257ff2"
down_revision: str | Sequence[str] | None = "ece2a164207f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # PostgreSQL keeps the states as a native enum type; SQLite stores them as plain strings.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TYPE orderstate ADD VALUE IF NOT EXISTS 'REVISION_PENDING'")
    # A database adopted from tables the models created (storage.migrations.adopt_unversioned)
    # has the columns already.
    existing = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("orders")}
    with op.batch_alter_table("orders") as table:
        if "revision" not in existing:
            table.add_column(
                sa.Column("revision", sa.Integer(), nullable=False, server_default="0")
            )
        if "pending_revision" not in existing:
            table.add_column(sa.Column("pending_revision", sa.JSON(), nullable=True))


def downgrade() -> None:
    # PostgreSQL cannot drop a value from an enum type: REVISION_PENDING stays in orderstate,
    # unused (no record is left in it by a finished saga).
    with op.batch_alter_table("orders") as table:
        table.drop_column("pending_revision")
        table.drop_column("revision")

"""revise order: pending revision

Revision ID: 7e3d0f8ca67a
Revises: 33d8137dc57c
Created: 2026-11-28 20:56:20.658046
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7e3d0f8ca67a"
down_revision: str | Sequence[str] | None = "33d8137dc57c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # PostgreSQL keeps the states as a native enum type; SQLite stores them as plain strings.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TYPE ticketstate ADD VALUE IF NOT EXISTS 'REVISION_PENDING'")
    # A database adopted from tables the models created (storage.migrations.adopt_unversioned)
    # has the columns already.
    existing = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("ticket")}
    with op.batch_alter_table("ticket") as table:
        if "pending_revision" not in existing:
            table.add_column(sa.Column("pending_revision", sa.JSON(), nullable=True))


def downgrade() -> None:
    # PostgreSQL cannot drop a value from an enum type: REVISION_PENDING stays in ticketstate,
    # unused (no record is left in it by a finished saga).
    with op.batch_alter_table("ticket") as table:
        table.drop_column("pending_revision")

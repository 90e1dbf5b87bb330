"""dead letter events

Revision ID: 6ae7a0ba0b0e
Revises: ddc6f5257ff2
Created: 2026-11-28 20:49:53.298840
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6ae7a0ba0b0e"
down_revision: str | Sequence[str] | None = "ddc6f5257ff2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letter_event",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", "seq"),
    )


def downgrade() -> None:
    op.drop_table("dead_letter_event")

"""dead letter events

Revision ID: f6a10a761fe4
Revises: cc257fb52551
Created: 2026-11-28 20:50:08.092894
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f6a10a761fe4"
down_revision: str | Sequence[str] | None = "cc257fb52551"
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

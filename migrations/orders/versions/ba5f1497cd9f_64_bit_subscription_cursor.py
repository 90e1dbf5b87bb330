"""64-bit subscription cursor

Revision ID: ba5f1497cd9f
Revises: ee8ab7780a28
Created: 2026-11-26 17:31:46.737639
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ba5f1497cd9f"
down_revision: str | Sequence[str] | None = "ee8ab7780a28"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot alter a column's type in place, so the table is copied there.
    with op.batch_alter_table("subscription_cursor") as table:
        table.alter_column(
            "last_seq",
            existing_type=sa.INTEGER(),
            type_=sa.BigInteger(),
            existing_nullable=False,
        )


def downgrade() -> None:
    # Batch mode: SQLite cannot alter a column's type in place, so the table is copied there.
    with op.batch_alter_table("subscription_cursor") as table:
        table.alter_column(
            "last_seq",
            existing_type=sa.BigInteger(),
            type_=sa.INTEGER(),
            existing_nullable=False,
        )

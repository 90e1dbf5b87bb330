"""64-bit subscription cursor

Revision ID: cc257fb52551
Revises: 7ef71817d51c
Created: 2026-11-26 17:31:52.563962
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "cc257fb52551"
down_revision: str | Sequence[str] | None = "7ef71817d51c"
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

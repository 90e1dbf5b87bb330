"""64-bit order total

Revision ID: 2010cb8e4857
Revises: f6a10a761fe4
Created: 2026-11-28 22:19:38.649915
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2010cb8e4857"
down_revision: str | Sequence[str] | None = "f6a10a761fe4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_history") as batch:  # SQLite alters by copying
        batch.alter_column(
            "total_cents", existing_type=sa.INTEGER(), type_=sa.BigInteger(), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("order_history") as batch:
        batch.alter_column(
            "total_cents", existing_type=sa.BigInteger(), type_=sa.INTEGER(), existing_nullable=True
        )

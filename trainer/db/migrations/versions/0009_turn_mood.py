"""turn mood: the customer's mood in each customer message of a practice conversation

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Turns stored before keep no mood (NULL): working it out needs the scorer's language models,
    # which a migration does not load; the replay shows no marker for them.
    with op.batch_alter_table('turn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mood', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('turn', schema=None) as batch_op:
        batch_op.drop_column('mood')

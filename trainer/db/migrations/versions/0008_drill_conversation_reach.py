"""drill conversation reach: quotes, people reached and reach prevented (content/reach.yaml)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ('quotes', 'reached', 'prevented_reach')


def upgrade() -> None:
    # Drills stored before had no reach beyond their shares (`retweets`): 0 for them.
    with op.batch_alter_table('drill_conversation', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('drill_conversation', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)

"""login session last seen

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 12:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import trainer.db.types


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty for sessions opened before: their creation time stands in (a plain ADD COLUMN).
    op.add_column('login_session', sa.Column('last_seen_at', trainer.db.types.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')

"""dimension score user and time

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:01:05.043806
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import trainer.db.types


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added empty, filled from each row's score, then made required: existing data survives.
    with op.batch_alter_table('dimension_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scored_at', trainer.db.types.UtcDateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE dimension_score SET "
        "user_id = (SELECT score.user_id FROM score WHERE score.id = dimension_score.score_id), "
        "scored_at = (SELECT score.scored_at FROM score WHERE score.id = dimension_score.score_id)"
    )
    with op.batch_alter_table('dimension_score', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('scored_at', existing_type=trainer.db.types.UtcDateTime(timezone=True), nullable=False)
        batch_op.create_index('ix_dimension_score_user_name', ['user_id', 'name', 'score'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_dimension_score_user_id_user'), 'user', ['user_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('dimension_score', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dimension_score_user_id_user'), type_='foreignkey')
        batch_op.drop_index('ix_dimension_score_user_name')
        batch_op.drop_column('scored_at')
        batch_op.drop_column('user_id')


"""typing results in their own table, moved out of the audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 11:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import trainer.db.types


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESULT_ACTION = "typing_test.result"
MEASURES = ("target_chars", "typed_chars", "seconds", "chars_per_minute", "char_errors", "word_errors", "accuracy")


def upgrade() -> None:
    typing_result = op.create_table('typing_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', trainer.db.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('sentence_ids', sa.JSON(), nullable=False),
    sa.Column('target_chars', sa.Integer(), nullable=False),
    sa.Column('typed_chars', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('chars_per_minute', sa.Float(), nullable=False),
    sa.Column('char_errors', sa.Integer(), nullable=False),
    sa.Column('word_errors', sa.Integer(), nullable=False),
    sa.Column('accuracy', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_typing_result_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_typing_result'))
    )
    with op.batch_alter_table('typing_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_typing_result_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_typing_result_user_id'), ['user_id'], unique=False)

    # Move the results the audit log held until now; the JSON is read in Python so the same
    # code works on SQLite and PostgreSQL.
    audit = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('at', trainer.db.types.UtcDateTime(timezone=True)),
                     sa.column('action', sa.String), sa.column('target_id', sa.String), sa.column('details', sa.JSON))
    bind = op.get_bind()
    rows = bind.execute(sa.select(audit.c.id, audit.c.at, audit.c.target_id, audit.c.details)
                        .where(audit.c.action == RESULT_ACTION)).all()
    if rows:
        op.bulk_insert(typing_result, [
            {"user_id": int(target_id), "at": at, "language": details["language"],
             "sentence_ids": list(details["sentence_ids"]), **{k: details[k] for k in MEASURES}}
            for _, at, target_id, details in rows
        ])
        bind.execute(sa.delete(audit).where(audit.c.id.in_([row[0] for row in rows])))


def downgrade() -> None:
    with op.batch_alter_table('typing_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_typing_result_user_id'))
        batch_op.drop_index(batch_op.f('ix_typing_result_at'))
    op.drop_table('typing_result')

"""Typing-test results live in their own table (migration 0004), on SQLite and PostgreSQL:
the service writes and reads `typing_result` and leaves the audit log alone."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from trainer.db.models import AuditEntry, TypingResultRecord
from trainer.services import typing_test
from trainer.services.rights import PermissionDenied

START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_typing_results_are_rows_of_their_own_table_not_audit_entries(session, world):
    test = typing_test.new_test("nl", START, random.Random(5))
    result = typing_test.measure(test, test.target[:50], START + timedelta(seconds=40))
    audit_before = len(session.exec(select(AuditEntry)).all())
    stored = typing_test.record_result(session=session, actor=world.tom, result=result)

    rows = session.exec(select(TypingResultRecord)).all()
    assert [(r.id, r.user_id, r.typed_chars, r.sentence_ids) for r in rows] == [
        (stored.id, world.tom.id, 50, list(result.sentence_ids))]
    assert len(session.exec(select(AuditEntry)).all()) == audit_before
    assert typing_test.list_results(session=session, actor=world.mila, trainee_id=world.tom.id) == [result]
    with pytest.raises(PermissionDenied):
        typing_test.list_results(session=session, actor=world.mark, trainee_id=world.tom.id)

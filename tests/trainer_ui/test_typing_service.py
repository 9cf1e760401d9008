"""The typing test service: content, measuring, storing with the trainee, and who may read it."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from scoring.contentfile import ContentInvalid
from trainer.db.engine import session_scope
from trainer.db.models import User
from trainer.services import typing_test
from trainer.services.errors import NotFound
from trainer.services.rights import PermissionDenied

START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def _user(session, email: str) -> User:
    return session.exec(select(User).where(User.email == email)).one()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_typing_test_content_loads_with_enough_sentences(language):
    content = typing_test.typing_content(language)
    assert len(content.sentences) >= 2 * content.sentences_per_test
    test = typing_test.new_test(language, START, random.Random(3))
    assert len(test.sentence_ids) == content.sentences_per_test == len(set(test.sentence_ids))
    assert all(content.by_id(i).text in test.target for i in test.sentence_ids)


def test_typing_test_content_error_names_file_and_line(tmp_path):
    (tmp_path / "typing").mkdir()
    (tmp_path / "typing" / "nl.yaml").write_text(
        "sentences_per_test: 1\nsentences:\n  - id: ok\n    text: \"Hoi Sanne, wat vervelend dat je vlucht is geannuleerd.\"\n"
        "  - id: Fout Id\n    text: te kort\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as caught:
        typing_test.typing_content("nl", tmp_path)
    text = str(caught.value)
    assert "typing/nl.yaml:5" in text and "typing/nl.yaml:6" in text


@pytest.mark.parametrize("a, b, distance", [
    ("", "", 0), ("abc", "abc", 0), ("abc", "abd", 1), ("abc", "ab", 1), ("ab", "abc", 1),
    ("kitten", "sitting", 3), ("vlucht", "vlugt", 2), ("", "DM", 2),
])
def test_typing_test_edit_distance(a, b, distance):
    assert typing_test.edit_distance(a, b) == distance


def test_typing_test_measures_speed_and_errors_from_the_server_clock():
    test = typing_test.new_test("nl", START, random.Random(1))
    target = test.target
    perfect = typing_test.measure(test, target, START + timedelta(seconds=60))
    assert (perfect.char_errors, perfect.word_errors, perfect.accuracy) == (0, 0, 1.0)
    assert perfect.chars_per_minute == len(target)  # one minute: characters per minute = characters
    assert not perfect.implausibly_fast
    assert typing_test.measure(test, target, START + timedelta(seconds=5)).implausibly_fast  # pasted, most likely

    typo = target.replace("e", "a", 1)  # one wrong letter in one word
    half_minute = typing_test.measure(test, typo + "\n", START + timedelta(seconds=30))
    assert (half_minute.char_errors, half_minute.word_errors) == (1, 1)
    assert half_minute.chars_per_minute == pytest.approx(2 * len(target))

    first_sentence_only = typing_test.measure(test, typing_test.typing_content("nl").by_id(test.sentence_ids[0]).text,
                                              START + timedelta(seconds=20))
    assert first_sentence_only.char_errors == len(target) - first_sentence_only.typed_chars
    assert first_sentence_only.accuracy < 0.5


def test_typing_test_an_unknown_sentence_is_not_found():
    with pytest.raises(NotFound, match="no typing sentence with id nl-999"):
        typing_test.typing_content("nl").by_id("nl-999")


def test_typing_test_refuses_empty_and_time_travel():
    test = typing_test.new_test("en", START)
    with pytest.raises(typing_test.TypingTestError):
        typing_test.measure(test, "   \n", START + timedelta(seconds=10))
    with pytest.raises(typing_test.TypingTestError):
        typing_test.measure(test, "Hi", START - timedelta(seconds=1))


def test_typing_test_results_are_stored_with_the_trainee_and_read_by_their_manager(app_db):
    test = typing_test.new_test("nl", START, random.Random(2))
    with session_scope() as session:
        trainee = _user(session, app_db.trainee)
        first = typing_test.measure(test, test.target, START + timedelta(seconds=90))
        second = typing_test.measure(test, test.target[:40], START + timedelta(seconds=95))
        typing_test.record_result(session=session, actor=trainee, result=first)
        typing_test.record_result(session=session, actor=trainee, result=second)
    with session_scope() as session:
        trainee, manager, admin, other = (_user(session, e) for e in
                                          (app_db.trainee, app_db.manager, app_db.admin, app_db.other_trainee))
        own = typing_test.list_results(session=session, actor=trainee, trainee_id=trainee.id)
        assert [r.typed_chars for r in own] == [40, len(test.target)]  # newest first
        assert own[1] == first
        assert typing_test.list_results(session=session, actor=manager, trainee_id=trainee.id) == own
        assert typing_test.list_results(session=session, actor=admin, trainee_id=trainee.id) == own
        assert typing_test.list_results(session=session, actor=other, trainee_id=other.id) == []
        with pytest.raises(PermissionDenied):
            typing_test.list_results(session=session, actor=other, trainee_id=trainee.id)

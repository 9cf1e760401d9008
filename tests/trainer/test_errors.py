"""One NotFound for every service, carrying what was not found; one opening for the services
that load the actor, a row and check a right."""

from __future__ import annotations

import pytest

from trainer.db.models import Team, User
from trainer.services import certification, feedback, progress, reviews, typing_test
from trainer.services.accounts import load_for
from trainer.services.errors import NotFound
from trainer.services.rights import Action, PermissionDenied
from trainer.services.scorer_agreement import scorer_vs_managers

MISSING = 999_999


def test_errors_load_for_gives_the_current_actor_and_the_row(session, world):
    actor, team = load_for(session, world.mila, Team, world.reizen.id, Action.read_team)
    assert (actor.id, team.id) == (world.mila.id, world.reizen.id)
    with pytest.raises(PermissionDenied):
        load_for(session, world.tess, User, world.tom.id, Action.read_attempts)


@pytest.mark.parametrize(("call", "kind"), [
    (lambda s, admin: progress.trainee_progress(session=s, actor=admin, trainee_id=MISSING), "user"),
    (lambda s, admin: progress.team_overview(session=s, actor=admin, team_id=MISSING), "team"),
    (lambda s, admin: certification.list_certifications(session=s, actor=admin, trainee_id=MISSING), "user"),
    (lambda s, admin: feedback.reviewed_count(session=s, actor=admin, trainee_id=MISSING), "user"),
    (lambda s, admin: reviews.add_review(session=s, actor=admin, score_id=MISSING, comment="goed"), "score"),
    (lambda s, admin: typing_test.list_results(session=s, actor=admin, trainee_id=MISSING), "user"),
    (lambda s, admin: scorer_vs_managers(session=s, actor=admin, team_id=MISSING), "team"),
])
def test_errors_every_service_says_not_found_with_its_kind(session, world, call, kind):
    with pytest.raises(NotFound) as missing:
        call(session, world.admin)
    assert (missing.value.kind, missing.value.key) == (kind, MISSING)
    assert str(missing.value) == f"no {kind} with id {MISSING}"

"""Fill a fresh database for the browser tests: the demo team (`webcare demo seed`'s own
service) scored offline, so it takes seconds instead of a minute, plus a fixed admin. Prints the
accounts as JSON. Run as `python -m tests.browser.seed_app` with DATABASE_URL set."""

from __future__ import annotations

import json
import sys

from sqlmodel import select

from trainer.db.engine import session_scope
from trainer.db.models import User
from trainer.services.demo import seed_demo


def main(trainees: int, weeks: int, seed: int) -> None:
    with session_scope() as session:
        result = seed_demo(session=session, trainees=trainees, weeks=weeks, seed=seed, checker=None)
        names = {user.email: user.full_name for user in session.exec(select(User)).all()}
        print(json.dumps({
            "manager": result.manager.email,
            "trainees": [trainee.email for trainee in result.trainees],
            "certified": result.certified,
            "names": names,
        }))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:4]))

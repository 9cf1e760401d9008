"""The storage side of the `webcare` command line: db, user, team, demo, export, certificate.

`register(sub)` adds these commands to the parser in trainer/cli.py. The command line is used
by whoever runs the server, so it acts as the SYSTEM actor (recorded as such in the audit log):
it may manage users and teams but, like an admin, never certifies anyone.
"""

from __future__ import annotations

import argparse

from trainer.cli import UsageError


def cmd_db(args: argparse.Namespace) -> int:
    from trainer.db.engine import get_engine
    from trainer.db.migrate import current_revision, head_revision, upgrade

    engine = get_engine()
    if args.action == "upgrade":
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
        print(f"database {engine.url.render_as_string(hide_password=True)}: {before or 'empty'} -> {after}")
        return 0
    current, head = current_revision(engine), head_revision()
    print(f"database {engine.url.render_as_string(hide_password=True)}: at {current or 'nothing'}, newest is {head}")
    return 0 if current == head else 1


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="apply the database migrations (upgrade) or show where the database is (status)")
    db.add_argument("action", choices=["upgrade", "status"])
    db.set_defaults(handler=cmd_db)


__all__ = ["register", "UsageError"]

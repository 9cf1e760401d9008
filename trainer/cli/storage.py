"""The storage side of the `webcare` command line: db, user, team, demo, export, attempts, certificate.

`register(sub)` adds these commands to the parser in trainer/cli/__init__.py. The command line is used
by whoever runs the server, so it acts as the SYSTEM actor (recorded as such in the audit log):
it may manage users and teams and read everything but, like an admin, never certifies anyone.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from pathlib import Path

from trainer.cli.errors import UsageError


def _engine():
    from trainer.db.engine import get_engine

    return get_engine()


def _session():
    """A session on a database brought up to date first, as the app does at start."""
    from trainer.db.engine import session_scope
    from trainer.db.migrate import upgrade_at_start

    engine = _engine()
    upgrade_at_start(engine)
    return session_scope(engine)


def _domain_errors():
    """Errors a user's request can cause, printed as one line by the command line."""
    from trainer.components.refusal import REFUSALS
    from trainer.services.rights import PermissionDenied

    return (*REFUSALS, PermissionDenied, ValueError)


def _refusal(exc: Exception) -> UsageError:
    """One line in the command line's language (English, as all its output): a refusal through
    the same texts the screens use, without their Markdown escapes; anything else as it says."""
    from trainer.components.refusal import REFUSALS, refused

    text = refused(exc, "en", markdown=False) if isinstance(exc, REFUSALS) else str(exc)
    return UsageError(text.splitlines()[0])


def _user_by_email(session, email: str):
    from trainer.services.accounts import get_user_by_email
    from trainer.services.rights import SYSTEM

    return get_user_by_email(session=session, actor=SYSTEM, email=email)


def cmd_db(args: argparse.Namespace) -> int:
    from trainer.db.migrate import current_revision, head_revision, upgrade

    engine = _engine()
    where = engine.url.render_as_string(hide_password=True)
    if args.action == "upgrade":
        before = current_revision(engine)
        upgrade(engine)
        print(f"database {where}: {before or 'empty'} -> {current_revision(engine)}")
        return 0
    current, head = current_revision(engine), head_revision()
    print(f"database {where}: at {current or 'nothing'}, newest is {head}")
    return 0 if current == head else 1


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The new password: from standard input with --password-stdin, else generated and shown once."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("password: ")
        if len(password) < 10:
            raise UsageError("the password needs at least 10 characters")
        return password, False
    return secrets.token_urlsafe(12), True


def cmd_user(args: argparse.Namespace) -> int:
    from trainer.db.models import Role, UserCreate
    from trainer.services import accounts
    from trainer.services.rights import SYSTEM

    try:
        with _session() as session:
            if args.user_action == "add":
                password, generated = _password(args)
                user = accounts.create_user(
                    session=session, actor=SYSTEM,
                    user_create=UserCreate(email=args.email, full_name=args.name, role=Role(args.role),
                                           language=args.lang, password=password),
                )
                print(f"added {user.email} ({user.role.value if hasattr(user.role, 'value') else user.role}), id {user.id}")
                if generated:
                    print(f"password (shown once): {password}")
            elif args.user_action == "list":
                for user in accounts.list_users(session=session, actor=SYSTEM, include_disabled=args.all):
                    state = "" if user.is_active else "  [disabled]"
                    print(f"{user.id:>5}  {Role(user.role).value:<8} {user.email:<40} {user.full_name}{state}")
            elif args.user_action == "disable":
                user = _user_by_email(session, args.email)
                accounts.disable_user(session=session, actor=SYSTEM, user_id=user.id, reason=args.reason)
                print(f"disabled {user.email}")
            elif args.user_action == "role":
                user = _user_by_email(session, args.email)
                accounts.set_role(session=session, actor=SYSTEM, user_id=user.id, role=Role(args.role), reason=args.reason)
                print(f"{user.email} is now {args.role}")
    except _domain_errors() as exc:
        raise _refusal(exc) from None
    return 0


def cmd_team(args: argparse.Namespace) -> int:
    from trainer.db.models import TeamCreate
    from trainer.services import accounts
    from trainer.services.rights import SYSTEM

    try:
        with _session() as session:
            team = accounts.create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name=args.name))
            for email in args.manager:
                user = _user_by_email(session, email)
                accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=user.id, as_manager=True,
                                    reason=f"manager of new team {team.name}")
            for email in args.member:
                user = _user_by_email(session, email)
                accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=user.id)
            print(f"added team {team.name} (id {team.id}): {len(args.manager)} manager(s), {len(args.member)} member(s)")
    except _domain_errors() as exc:
        raise _refusal(exc) from None
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from scoring.languagetool import default_checker
    from trainer.db.models import User
    from trainer.services.demo import DEMO_PASSWORD, FIXED_EMAILS, seed_demo

    try:
        with _session() as session:
            if args.if_empty and session.exec(select(User)).first() is not None:
                print("the database already has accounts: no demo data added")
                return 0
            print("playing demo conversations with the real scorer (about a minute)...", flush=True)
            checker = default_checker()
            checker.wait_until_ready()  # a server still starting would leave every demo reply unchecked
            result = seed_demo(session=session, trainees=args.trainees, weeks=args.weeks, seed=args.seed,
                               checker=checker)
    except _domain_errors() as exc:
        raise _refusal(exc) from None
    print(f"team {result.team.name}: {len(result.trainees)} trainees, {result.attempts} attempts, {result.replies} scored replies")
    if result.manager.email == FIXED_EMAILS["manager"]:
        print(f"admin: {FIXED_EMAILS['admin']}")
    print(f"manager: {result.manager.email}")
    for trainee in result.trainees[:3]:
        print(f"trainee: {trainee.email}")
    print(f"every demo account has the password {DEMO_PASSWORD!r}")
    if result.certified:
        print(f"certified (basic webcare): {', '.join(result.certified)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from trainer.db.models import Team
    from trainer.services.export import attempt_rows, write_csv
    from trainer.services.rights import SYSTEM

    with _session() as session:
        team_id = None
        if args.team:
            team = session.exec(select(Team).where(Team.name == args.team)).first()
            if team is None:
                raise UsageError(f"no team named {args.team!r}")
            team_id = team.id
        rows = attempt_rows(session=session, actor=SYSTEM, team_id=team_id)
        if args.output:
            with Path(args.output).open("w", encoding="utf-8", newline="") as stream:
                count = write_csv(rows, stream)
            print(f"wrote {count} rows to {args.output}", file=sys.stderr)
        else:
            try:
                write_csv(rows, sys.stdout)
                sys.stdout.flush()
            except BrokenPipeError:  # `| head`: the reader has all it wanted
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (keeps Python's exit flush quiet)
    return 0


def cmd_certificate(args: argparse.Namespace) -> int:
    from trainer import local_time
    from trainer.services import certification
    from trainer.services.rights import SYSTEM

    with _session() as session:
        if args.certificate_action == "verify":
            found = certification.verify(session=session, code=args.code, language=args.lang)
            if found is None:
                print(f"{args.code}: unknown code: no such certificate")
                return 1
            print(f"{found.code}: {found.status.value.upper()}")
            print(f"  holder:    {found.holder}")
            print(f"  level:     {found.level_name}")
            # Dates as the certificate itself prints them ("7 december 2026"), in --lang.
            print(f"  granted:   {local_time.long_date(found.granted_at, args.lang)} by {found.issued_by}")
            print(f"  expires:   {local_time.long_date(found.expires_at, args.lang)}")
            return 0 if found.status is certification.Status.valid else 1
        try:
            pdf = certification.certificate_pdf(session=session, actor=SYSTEM, certification_id=args.id, language=args.lang)
        except _domain_errors() as exc:
            raise _refusal(exc) from None
        Path(args.output).write_bytes(pdf)
        print(f"wrote {args.output} ({len(pdf):,} bytes)")
    return 0


def cmd_attempts(args: argparse.Namespace) -> int:
    from trainer.i18n import t
    from trainer.services import stale_attempts
    from trainer.services.rights import SYSTEM
    from trainer.settings import get_settings

    with _session() as session:
        closed = stale_attempts.close_stale(session=session, actor=SYSTEM, trigger="command-line")
    print(t("cli.attempts_closed", args.lang, count=len(closed), hours=f"{get_settings().ATTEMPT_STALE_HOURS:g}"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="apply the database migrations (upgrade) or show where the database is (status)")
    db.add_argument("action", choices=["upgrade", "status"])
    db.set_defaults(handler=cmd_db)

    user = sub.add_parser("user", help="add, list, disable users or change a user's role")
    user_sub = user.add_subparsers(dest="user_action", required=True, metavar="ACTION")
    add = user_sub.add_parser("add", help="add a user; prints a generated password unless --password-stdin")
    add.add_argument("email")
    add.add_argument("--name", required=True, help="full name")
    add.add_argument("--role", choices=["trainee", "manager", "admin"], default="trainee")
    add.add_argument("--lang", choices=["nl", "en"], default="nl", help="the user's language")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    listing = user_sub.add_parser("list", help="list users")
    listing.add_argument("--all", action="store_true", help="include disabled users")
    disable = user_sub.add_parser("disable", help="disable a user and end their sessions")
    disable.add_argument("email")
    disable.add_argument("--reason", required=True, help="why (kept in the audit log)")
    role = user_sub.add_parser("role", help="change a user's role")
    role.add_argument("email")
    role.add_argument("role", choices=["trainee", "manager", "admin"])
    role.add_argument("--reason", required=True, help="why (kept in the audit log)")
    user.set_defaults(handler=cmd_user)

    team = sub.add_parser("team", help="add a team with its managers and members")
    team_sub = team.add_subparsers(dest="team_action", required=True, metavar="ACTION")
    team_add = team_sub.add_parser("add", help="add a team")
    team_add.add_argument("name")
    team_add.add_argument("--manager", action="append", default=[], metavar="EMAIL", help="a dialogue manager (repeatable)")
    team_add.add_argument("--member", action="append", default=[], metavar="EMAIL", help="a trainee (repeatable)")
    team.set_defaults(handler=cmd_team)

    demo = sub.add_parser("demo", help="fill the database with a demo team and weeks of history")
    demo_sub = demo.add_subparsers(dest="demo_action", required=True, metavar="ACTION")
    seed = demo_sub.add_parser("seed", help="add one Faker team with realistic history")
    seed.add_argument("--trainees", type=int, default=8)
    seed.add_argument("--weeks", type=int, default=6)
    seed.add_argument("--seed", type=int, default=1, help="random seed (same seed, same people and history)")
    seed.add_argument("--if-empty", action="store_true", help="do nothing when the database already has accounts")
    demo.set_defaults(handler=cmd_demo)

    export = sub.add_parser("export", help="export data for analysis")
    export_sub = export.add_subparsers(dest="export_what", required=True, metavar="WHAT")
    export_attempts = export_sub.add_parser("attempts", help="one row per scored reply")
    export_attempts.add_argument("--format", choices=["csv"], default="csv")
    export_attempts.add_argument("--team", default=None, help="only this team (by name)")
    export_attempts.add_argument("--output", default=None, help="write to this file instead of standard output")
    export.set_defaults(handler=cmd_export)

    attempts = sub.add_parser("attempts", help="housekeeping of practice attempts")
    attempts_sub = attempts.add_subparsers(dest="attempts_action", required=True, metavar="ACTION")
    close_stale = attempts_sub.add_parser(
        "close-stale", help="close every practice attempt idle for ATTEMPT_STALE_HOURS as abandoned (audit-logged)")
    close_stale.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of the report")
    attempts.set_defaults(handler=cmd_attempts)

    cert = sub.add_parser("certificate", help="verify a certificate code or write a certificate PDF")
    cert_sub = cert.add_subparsers(dest="certificate_action", required=True, metavar="ACTION")
    verify = cert_sub.add_parser("verify", help="check a verification code (exit 0 only when valid)")
    verify.add_argument("code")
    verify.add_argument("--lang", choices=["nl", "en"], default="nl")
    pdf = cert_sub.add_parser("pdf", help="write the PDF of a certification")
    pdf.add_argument("id", type=int)
    pdf.add_argument("--output", required=True)
    pdf.add_argument("--lang", choices=["nl", "en"], default=None)
    cert.set_defaults(handler=cmd_certificate)

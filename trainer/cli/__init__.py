"""The `webcare` command line. Every command is documented in docs/cli.md (a test checks).

Errors a user can cause (bad input, an unknown medium, an unreadable file) print one line
and exit with 2; they never show a traceback. The commands live in `commands` (scoring and
content) and `storage` (db, user, team, demo, export, attempts, certificate); both raise
`errors.UsageError` and neither imports this module, so the package has no import cycle.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from pydantic import ValidationError

from trainer.cli.commands import cmd_calibrate, cmd_content, cmd_languagetool, cmd_play, cmd_score, cmd_serve
from trainer.cli.errors import EXIT_USAGE, UsageError
from trainer.cli.storage import register as register_storage_commands
from trainer.settings import settings_problems


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="webcare", description="Webcare Trainer command line.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    score = sub.add_parser("score", help="score one reply (read from standard input) and print the scorecard as JSON")
    score.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of the reply")
    score.add_argument("--feedback-lang", choices=["nl", "en"], default=None, help="language of the findings")
    score.add_argument("--medium", default="twitter", help="medium id from content/media.yaml")
    score.add_argument("--customer", default=None, help="the customer's message being answered")
    score.add_argument("--customer-name", default=None, help="the customer's name")
    score.add_argument("--agent-name", default=None, help="the agent's name (signature)")
    score.add_argument("--seconds", type=float, default=None, help="seconds from message shown to reply sent")
    score.add_argument("--queue-seconds", type=float, default=None, help="seconds the customer waited in the queue")
    visibility = score.add_mutually_exclusive_group()
    visibility.add_argument("--public", dest="public", action="store_true", default=None, help="the reply is public")
    visibility.add_argument("--private", dest="public", action="store_false", help="the reply is private")
    score.add_argument("--file", default=None, help="read the reply from this file instead of standard input")
    score.set_defaults(handler=cmd_score)

    lt = sub.add_parser("languagetool", help="start, stop or check the local LanguageTool server")
    lt.add_argument("action", choices=["start", "stop", "status"])
    lt.set_defaults(handler=cmd_languagetool)

    content = sub.add_parser("content", help="check content files (scenarios, media, scoring, messages, knowledge)")
    content.add_argument("action", choices=["validate"])
    content.set_defaults(handler=cmd_content)

    play = sub.add_parser("play", help="play a scenario in the terminal with live scoring (replies from standard input)")
    play.add_argument("scenario", help="scenario id (see `webcare content validate` or content/scenarios/)")
    play.add_argument("--medium", default=None, help="medium id; default: the scenario's first medium")
    play.add_argument("--seed", type=int, default=7, help="seed for the persona and the customer's phrasings")
    play.add_argument("--lang", choices=["nl", "en"], default=None, help="language of the feedback (default: the scenario's)")
    play.add_argument("--agent-name", default=None, help="your name (signature)")
    play.add_argument("--seconds", type=float, default=None, help="handling time to score each reply with (piped input)")
    play.set_defaults(handler=cmd_play)

    calibrate = sub.add_parser("calibrate", help="score a JSON Lines file of a team lead's judgements and print how often the scorer agrees")
    calibrate.add_argument("file", help="JSON Lines: judged pairs (better/worse) or graded replies (reply, grade 0-100)")
    calibrate.add_argument("--json", action="store_true", help="print the report as JSON")
    calibrate.set_defaults(handler=cmd_calibrate)

    serve_help = ("serve the app on http://localhost:8501 (what `make run` does); further options go to "
                  "Streamlit, e.g. `webcare serve --server.port 8502`")
    serve = sub.add_parser("serve", help=serve_help, description=serve_help)
    serve.set_defaults(handler=cmd_serve)

    register_storage_commands(sub)  # db, user, team, demo, export, attempts, certificate
    return parser




def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if args.command == "serve":
            args.streamlit_options = unknown  # Streamlit checks them itself
        elif unknown:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as exc:  # argparse already printed a one-line usage error
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UsageError as exc:
        print(f"webcare {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:
        if exc.title != "Settings":
            raise
        for problem in settings_problems(exc):  # a mistyped setting is the user's, not a crash
            print(f"webcare {args.command}: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


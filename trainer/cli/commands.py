"""The scoring and content commands of `webcare`: score, calibrate, languagetool, content, play, serve."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trainer.cli.errors import EXIT_USAGE, UsageError


def _read_reply(source: str | None) -> str:
    if source and source != "-":
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {source}: {exc.strerror}") from None
    else:
        if sys.stdin is None or sys.stdin.closed:
            raise UsageError("no reply given: pipe it in or pass --file")
        data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("the reply is not UTF-8 text") from None


def _wait_for_languagetool() -> None:
    """A command would rather wait for a LanguageTool that is starting than score without it
    (the app does not: a trainee's reply waits at most `LANGUAGETOOL_START_WAIT`)."""
    from scoring.languagetool import default_checker

    default_checker().wait_until_ready()


def cmd_score(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from scoring import ReplyContext, ReplyRejected, score_reply
    from scoring.config import media_catalogue
    from scoring.contentfile import ContentInvalid

    reply = _read_reply(args.file)
    try:
        known = media_catalogue().media
    except ContentInvalid as exc:
        raise UsageError(f"content is invalid: {exc.errors[0]}") from None
    if args.medium not in known:
        raise UsageError(f"unknown medium '{args.medium}' (known: {', '.join(sorted(known))})")
    try:
        context = ReplyContext(
            language=args.lang,
            feedback_language=args.feedback_lang,
            medium=args.medium,
            public=args.public,
            customer_messages=[args.customer] if args.customer else [],
            customer_name=args.customer_name,
            agent_name=args.agent_name,
            seconds_to_reply=args.seconds,
            queue_seconds=args.queue_seconds,
        )
        _wait_for_languagetool()
        card = score_reply(reply, context)
    except ReplyRejected as exc:
        raise UsageError(str(exc)) from None
    except ValidationError as exc:  # the options did not make a valid context
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{field.replace('_', ' ')}: {first['msg'].lower()}") from None
    json.dump(card.to_public_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_languagetool(args: argparse.Namespace) -> int:
    from scoring.languagetool import LanguageToolSettings, LanguageToolUnavailable, LocalServer, server_answers

    settings = LanguageToolSettings()
    if settings.url:
        state = "answers" if server_answers(settings.url, timeout=3) else "does NOT answer"
        print(f"using the configured LanguageTool server {settings.url}: it {state}")
        return 0 if state == "answers" else 1
    server = LocalServer(settings)
    if args.action == "start":
        try:
            print(f"LanguageTool server on {server.url}: starting (first start takes ~20 s)...", flush=True)
            server.ensure()
        except LanguageToolUnavailable as exc:
            # Not an error for `make run`: the app runs with grammar checking off and says so.
            print(f"LanguageTool not started: {exc}. Grammar checking will be off.")
            return 0
        print(f"LanguageTool server on {server.url}: ready (pid {server.pid() or 'not ours'})")
        return 0
    if args.action == "stop":
        print("stopped" if server.stop() else "no LanguageTool server of ours was running")
        return 0
    running = server.running()
    print(f"LanguageTool {settings.version} jars: {'present' if server.jars_present() else 'missing'} in {settings.lib_dir}")
    print(f"server on {server.url}: {'running' if running else 'not running'}")
    return 0 if running else 1


def cmd_content(args: argparse.Namespace) -> int:
    from trainer.services.content_check import validate_everything

    report = validate_everything()
    for error in report.errors:
        print(error)
    if report.errors:
        print(f"{len(report.errors)} error(s) in content", file=sys.stderr)
        return EXIT_USAGE
    print(report.summary())
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    from scenarios import catalogue
    from scenarios.authoring import PlayOptions, play
    from scoring import score_reply
    from scoring.contentfile import ContentInvalid

    try:
        known = {s.id: s for s in catalogue()}
    except ContentInvalid as exc:
        raise UsageError(f"content is invalid ({len(exc.errors)} errors; run `webcare content validate`): {exc.errors[0]}") from None
    if args.scenario not in known:
        raise UsageError(f"unknown scenario '{args.scenario}' (known: {', '.join(sorted(known))})")
    scenario = known[args.scenario]
    if args.medium and args.medium not in scenario.media:
        raise UsageError(f"scenario '{args.scenario}' is played on {', '.join(scenario.media)}, not '{args.medium}'")
    options = PlayOptions(scenario_id=args.scenario, medium=args.medium, seed=args.seed, feedback_language=args.lang,
                          agent_name=args.agent_name, seconds=args.seconds,
                          timed=args.seconds is None and sys.stdin.isatty())
    _wait_for_languagetool()
    play(options, sys.stdin, sys.stdout, score_reply)
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from scoring import score_reply
    from scoring.calibration import CalibrationFileInvalid, calibrate, format_report, load_judgements
    from scoring.config import media_catalogue, messages

    try:
        judgements = load_judgements(Path(args.file), known_media=media_catalogue().media)
    except CalibrationFileInvalid as exc:
        if len(exc.errors) == 1:
            raise UsageError(exc.errors[0]) from None
        for error in exc.errors:
            print(error, file=sys.stderr)
        raise UsageError(f"{len(exc.errors)} problems in {args.file}; nothing was scored") from None

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() and (done % 10 == 0 or done == total):
            print(f"scored {done}/{total}", end="\r" if done < total else "\n", file=sys.stderr, flush=True)

    _wait_for_languagetool()
    report = calibrate(judgements, lambda reply, context: score_reply(reply, context), progress=progress)
    if args.json:
        json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        texts = messages("en").rules
        labels = {key.removeprefix("dimension."): t.message for key, t in texts.items() if key.startswith("dimension.")}
        print(format_report(report, labels))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from trainer import serve

    return serve.main(args.streamlit_options)

"""The dialogue manager's drill room: create a drill, run it (start, pause, resume, stop), watch
the live dashboard, read the debrief, inject a customer and speak as one. Ready to show: labels,
clocks, tables as rows, downloads; every change of state goes through trainer.services.drills,
which checks the rights itself (observers see everything and change nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import scenarios
from scenarios.announcements import PREFIX, exercises
from scenarios.drills import get_template, templates_for
from scoring.config import media_catalogue
from trainer.components import clock
from trainer.components.markdown import escape
from trainer.components.refusal import REFUSALS, refused, too_long
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import drills
from trainer.services.drills import dashboard, debrief
from trainer.services.drills.dashboard import Dashboard
from trainer.services.limits import InputTooLong
from trainer.services.rights import Action, Actor

CONTROLS: dict[str, Callable] = {
    "start": drills.start_drill, "pause": drills.pause_drill, "resume": drills.resume_drill, "stop": drills.stop_drill,
}


def _medium_name(medium: str, language: str) -> str:
    return media_catalogue().media[medium].name(language)


# --- choosing and creating --------------------------------------------------------------------

@dataclass(frozen=True)
class Room:
    teams: dict[int, str]  # teams the actor may run a drill for; empty: no "new drill" form
    templates: dict[str, str]  # template id -> "title (language)"
    stories: dict[str, str]  # template id -> its story
    runs: dict[str, str]  # drills the actor may watch: id -> "title · status"


def room(*, actor: Actor, language: str) -> Room:
    with session_scope() as session:
        teams = dict(drills.teams_to_run(session=session, actor=actor))
        runs = drills.drills_for(session=session, actor=actor, may=Action.watch_drill)
    templates = templates_for()
    return Room(
        teams=teams,
        templates={tpl.id: f"{tpl.title} ({t(f'drills.template_language.{tpl.language}', language)})" for tpl in templates},
        stories={tpl.id: tpl.story for tpl in templates},
        runs={r.id: f"{r.title} · {t(f'drills.status.{r.status}', language)}" for r in runs},
    )


def create(*, actor: Actor, template_id: str, team_id: int) -> str:
    with session_scope() as session:
        return drills.create_drill(session=session, actor=actor, template_id=template_id, team_id=team_id).id


@dataclass(frozen=True)
class Control:
    name: str
    label: str
    enabled: bool


@dataclass(frozen=True)
class Current:
    runs_it: bool  # False for an observer: no controls, no inject
    stopped: bool  # a stopped drill shows its debrief
    active: bool
    language: str  # the drill's
    media: tuple[str, ...]  # the drill's media (where injected noise may come)
    controls: list[Control]


def current(*, actor: Actor, run_id: str, language: str) -> Current:
    with session_scope() as session:
        runs_it = drills.may_run_drill(session=session, actor=actor, run_id=run_id)
        run = drills.run_summary(session=session, actor=actor, run_id=run_id)
    status = drills.DrillStatus
    enabled = {"start": run.status == status.created, "pause": run.status == status.running,
               "resume": run.status == status.paused, "stop": run.status in drills.ACTIVE}
    return Current(runs_it=runs_it, stopped=run.status == status.stopped, active=run.status in drills.ACTIVE,
                   language=run.language, media=tuple(sorted(get_template(run.template_id).media)),
                   controls=[Control(name, t(f"drills.{name}", language), enabled[name]) for name in CONTROLS])


def control(*, actor: Actor, name: str, run_id: str, language: str) -> str | None:
    """Start, pause, resume or stop. A second click or a second tab may find the drill already in
    that state: that is no incident, the note says so and the screen shows the state it is in."""
    try:
        with session_scope() as session:
            CONTROLS[name](session=session, actor=actor, run_id=run_id)
    except drills.NotYours:
        raise
    except (drills.DrillError, drills.NotFound):
        return t("drills.control_stale", language)
    return None


# --- watching ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DashboardScreen:
    title: str
    duration: str
    figures: list[tuple[str, object]]  # (label, value) for the metric tiles, two rows of six and five
    queue: list[dict]
    trainees: list[dict]
    burn_down: dict[str, list[int]]
    board: Dashboard  # for the facilitator's desk (reach, meter, labels, event log)


def dashboard_screen(*, actor: Actor, run_id: str, language: str) -> DashboardScreen:
    """Plays the drill up to now, then its dashboard."""
    with session_scope() as session:
        drills.advance(session=session, actor=actor, run_id=run_id)
        run = drills.run_summary(session=session, actor=actor, run_id=run_id)
        board = dashboard.dashboard(session=session, actor=actor, run_id=run_id)
    label = lambda key: t(f"drills.{key}", language)  # noqa: E731
    figures = [
        (label("clock"), clock.minutes(run.seconds)), (label("status"), t(f"drills.status.{run.status}", language)),
        (label("arrived"), board.arrived), (label("waiting"), sum(q.waiting for q in board.queue)),
        (label("breaching_now"), board.breaching_now), (label("late_replies"), board.late_replies),
        (label("double_answers"), board.double_answers), (label("never_answered"), board.never_answered),
        (label("evenness"), "–" if board.evenness is None else f"{board.evenness:.2f}"),
        (label("noise_count"), board.noise), (label("noise_open"), board.noise_open),
    ]
    queue = [{
        label("medium"): _medium_name(q.medium, language), label("waiting"): q.waiting,
        label("oldest"): clock.minutes(q.oldest_seconds), label("sla"): clock.minutes(q.sla_seconds),
        label("breaching_now"): q.breaching,
    } for q in board.queue]
    trainees = [{
        label("trainee"): f.name, label("replies"): f.replies, label("replies_last_minute"): f.replies_last_minute,
        label("replies_per_minute"): f.replies_per_minute, label("mean_score"): f.mean_score,
        label("late_replies"): f.late_replies, label("holding"): ", ".join(f"#{i}" for i in f.holding),
    } for f in board.trainees]
    return DashboardScreen(
        title=run.title, duration=t("drills.duration", language, duration=clock.minutes(run.duration_seconds)),
        figures=figures, queue=queue, trainees=trainees, board=board,
        burn_down={label("backlog"): [p.backlog for p in board.burn_down],
                   label("arrived"): [p.arrived for p in board.burn_down],
                   label("replies"): [p.replies for p in board.burn_down]},
    )


@dataclass(frozen=True)
class Download:
    label: str
    data: bytes | str
    file_name: str
    mime: str


@dataclass(frozen=True)
class Transcript:
    title: str
    text: str


@dataclass(frozen=True)
class DebriefScreen:
    downloads: list[Download]
    chart: dict[str, list[int]]
    noise_summary: str | None  # None: the drill had no noise
    noise_rows: list[dict]
    noise_lines: list[str]  # Markdown, one per kind of noise
    board: Dashboard
    sections: list[tuple[str, list[Transcript]]]  # worst and best conversations


def debrief_screen(*, actor: Actor, run_id: str, language: str) -> DebriefScreen:
    with session_scope() as session:
        report = debrief.debrief(session=session, actor=actor, run_id=run_id)
    stem = f"debrief-{run_id[:8]}"
    label = lambda key: t(f"drills.{key}", language)  # noqa: E731
    points = report.board.burn_down
    return DebriefScreen(
        downloads=[
            Download(label("download_pdf"), debrief.debrief_pdf(report), f"{stem}.pdf", "application/pdf"),
            Download(label("download_conversations_csv"), debrief.conversations_csv(report),
                     f"{stem}-conversations.csv", "text/csv"),
            Download(label("download_trainees_csv"), debrief.trainees_csv(report), f"{stem}-trainees.csv", "text/csv"),
        ],
        chart={label("arrived"): [p.arrived for p in points], label("backlog"): [p.backlog for p in points],
               label("breaching_now"): [p.breaching for p in points], label("replies"): [p.replies for p in points]},
        noise_summary=t("drills.noise.summary", language, good=report.noise_good, bad=report.noise_bad)
        if report.noise else None,
        noise_rows=[{
            label("noise.kind_column"): t(f"drills.noise.kind.{k.kind}", language), label("noise.posts"): k.posts,
            label("noise.good"): k.good, label("noise.bad"): k.bad,
        } for k in report.noise],
        noise_lines=[f"**{t(f'drills.noise.kind.{k.kind}', language)}**: " + " ".join(
            f"{count}× {t(f'drills.noise.verdict.{code}', language)}" for code, count in k.verdicts.items())
            for k in report.noise],
        board=report.board,
        sections=[(label(heading), [_transcript(r, language) for r in chosen])
                  for heading, chosen in (("worst", report.worst), ("best", report.best))]
        + ([(label("announcements.heading"), [_transcript(r, language) for r in report.announcements])]
           if report.announcements else []),
    )


def _transcript(report: debrief.ConversationReport, language: str) -> Transcript:
    lines = [f"{clock.minutes(line.offset)} {report.customer_name if line.role == 'customer' else (line.by or 'Webcare')}:"
             f" {line.text}" for line in report.transcript]
    if report.announcement is not None:
        title = escape(debrief.announcement_line(report, language))
    else:
        title = t("drills.conversation_line", language, id=report.id, name=escape(report.customer_name),
                  medium=_medium_name(report.medium, language), handling=f"{report.handling:.0f}")
    return Transcript(title=title, text="\n".join(lines))


# --- speaking into the drill ------------------------------------------------------------------

NOISE_CHOICE = "noise-kind:"  # an inject choice "noise-kind:<kind>|<medium>": a noise post of that kind


def inject_options(*, drill_language: str, drill_media: tuple[str, ...], language: str) -> dict[str, str]:
    """"scenario|medium" -> "title · medium" for every scenario of the drill's language,
    "announcement:id|medium" -> "📣 Aankondiging nodig: title · medium" for its announcement exercises
    and "noise-kind:kind|medium" -> "🔊 Ruis: kind · medium" for every kind of noise on the drill's media."""
    needed = {f"{PREFIX}{e.id}|{m}": f"📣 {t('drills.announcements.needed', language, title=e.title)} · {_medium_name(m, language)}"
              for e in exercises(drill_language) for m in e.media}
    noise = {f"{NOISE_CHOICE}{kind}|{m}": f"🔊 {t('drills.inject_noise', language, kind=t(f'drills.noise.kind.{kind}', language))}"
                                           f" · {_medium_name(m, language)}"
             for kind in drills.noise_kinds(drill_language) for m in drill_media}
    return needed | noise | {f"{s.id}|{m}": f"{s.title} · {_medium_name(m, language)}"
                             for s in scenarios.catalogue(drill_language) for m in s.media}


def inject(*, actor: Actor, run_id: str, choice: str, title: str, followers: int, options: dict[str, str],
           language: str) -> str | None:
    """An extra customer, announcement task or noise post, live; the error to show, or None."""
    scenario_id, medium = choice.split("|")
    title = title.strip() or options[choice]
    try:
        with session_scope() as session:
            if scenario_id.startswith(PREFIX):
                drills.inject_announcement(session=session, actor=actor, run_id=run_id, medium=medium,
                                           exercise_id=scenario_id[len(PREFIX):], title=title)
            elif scenario_id.startswith(NOISE_CHOICE):
                drills.inject_noise(session=session, actor=actor, run_id=run_id, kind=scenario_id[len(NOISE_CHOICE):],
                                    medium=medium, title=title)
            else:
                drills.inject(session=session, actor=actor, run_id=run_id, scenario_id=scenario_id, medium=medium,
                              title=title, followers=int(followers) or None)
    except REFUSALS as failed:  # too long a title, the drill stopped in another tab
        return refused(failed, language)
    return None


def speak_targets(*, actor: Actor, run_id: str, language: str) -> dict[int, str]:
    """The open conversations the manager can speak into: id -> "#id name (medium)"."""
    with session_scope() as session:
        items = [i for i in drills.inbox(session=session, actor=actor, run_id=run_id) if not i.ended]
    return {i.id: f"#{i.id} {i.customer_name} ({_medium_name(i.medium, language)})" for i in items}


def speak(*, actor: Actor, conversation_id: int, text: str, language: str) -> str | None:
    """The customer's next message, typed by the manager; the error to show, or None."""
    try:
        with session_scope() as session:
            drills.speak_as_customer(session=session, actor=actor, conversation_id=conversation_id, text=text)
    except InputTooLong as exc:
        return too_long(exc, language)
    except REFUSALS as failed:  # the conversation ended or gone, an empty message
        return t("drills.cannot_send", language, reason=refused(failed, language))
    return None

"""The debrief after a drill: the timeline (volume, backlog, breaches, replies per minute), the
figures per trainee, and the five worst- and five best-handled conversations with their
transcripts; as data for the page, as CSV and as a PDF (reportlab).

How well a conversation was handled (`handling`, 0..100): the mean score of the team's replies,
less half of it in the share of replies sent after the SLA, less 15 for a bad ending (lost,
escalated); a customer nobody answered scores 0.

Noise posts (trainer.services.drills.noise) are not ranked among the conversations: each gets a
verdict (handled well or badly, and why), summed per kind of noise.

The team's public reach (caused and prevented, trainer.services.drills.reach), the labels
counted, the webcaremeter's sentence and the event log come from the dashboard's figures
(trainer.services.drills.desk) and are in the PDF too.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean

from sqlmodel import Session, col, select

from scenarios import BAD_ENDS
from scoring.config import media_catalogue
from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun
from trainer.db.models import User
from trainer.db.types import utcnow
from trainer.services.drills.core import get_run, participant, require_drill, template_of
from trainer.services.drills.dashboard import Dashboard, figures
from trainer.services.drills import announcements, desk
from trainer.services.drills.noise import NoiseKindFigures, is_noise, item_of, per_kind, verdict
from trainer.services.drills.reach import Reach
from trainer.services.drills.reach import of as reach_of
from trainer.i18n import t
from trainer.services.export_csv import csv_text
from trainer.services.rights import Action, Actor

BAD_END_PENALTY = 15.0
SHOWN = 5


@dataclass(frozen=True)
class TranscriptLine:
    offset: float
    role: str  # customer, agent
    source: str
    by: str | None
    text: str
    score: float | None
    queue_seconds: float | None


@dataclass(frozen=True)
class ConversationReport:
    id: int
    customer_name: str
    handle: str
    medium: str
    label: str | None
    arrived: float
    replies: int
    late_replies: int
    first_response_seconds: float | None
    mean_score: float | None
    outcome: str | None
    handled_by: list[str]
    handling: float
    mood_before: float | None
    mood_after: float | None
    transcript: list[TranscriptLine]
    noise_kind: str | None = None  # a noise post: its kind (praise, spam, ...)
    noise_verdict: str | None = None  # and how it was handled (trainer.services.drills.noise.VERDICTS)
    reach: Reach = Reach()  # public reach caused: shares, quotes, people reached
    prevented_reach: int = 0  # people a good reply on time kept it from reaching
    announcement: str | None = None  # an injected announcement: its exercise's title

    @property
    def post_scores(self) -> list[float]:
        """The scores of the team's posts (an announcement: the post, then its update)."""
        return [line.score for line in self.transcript if line.role == "agent" and line.score is not None]


@dataclass
class Debrief:
    run_id: str
    title: str
    language: str
    status: str
    seconds: float
    board: Dashboard
    conversations: list[ConversationReport]
    worst: list[ConversationReport]
    best: list[ConversationReport]
    noise: list[NoiseKindFigures] = field(default_factory=list)
    announcements: list[ConversationReport] = field(default_factory=list)  # injected, in order of arrival

    @property
    def noise_good(self) -> int:
        return sum(k.good for k in self.noise)

    @property
    def noise_bad(self) -> int:
        return sum(k.bad for k in self.noise)


def _handling(scores: list[float], late: int, outcome: str | None) -> float:
    if not scores:
        return 0.0
    value = mean(scores) * (1 - 0.5 * late / len(scores))
    if outcome in BAD_ENDS:
        value -= BAD_END_PENALTY
    return round(max(0.0, value), 1)


def build(session: Session, run: DrillRun, now: datetime) -> Debrief:
    moment = run.stopped_at or now
    board = figures(session, run, moment)
    conversations = session.exec(select(DrillConversation).where(DrillConversation.run_id == run.id)
                                 .order_by(col(DrillConversation.arrival))).all()
    messages = session.exec(select(DrillMessage).where(DrillMessage.run_id == run.id)
                            .order_by(col(DrillMessage.offset), col(DrillMessage.id))).all()
    names = dict(session.exec(select(User.id, User.full_name).where(
        col(User.id).in_({m.user_id for m in messages if m.user_id}))).all()) if messages else {}
    threads: dict[int, list[DrillMessage]] = defaultdict(list)
    for message in messages:
        threads[message.conversation_id].append(message)
    moods = {m.conversation_id: m for m in board.moods}
    reports = []
    for c in conversations:
        thread = threads.get(c.id, [])
        replies = [m for m in thread if m.role == "agent"]
        scores = [m.score_total for m in replies if m.score_total is not None]
        late = sum(1 for m in replies if m.queue_seconds is not None and m.queue_seconds > (m.sla_seconds or 0))
        handled_by = list(dict.fromkeys(names.get(m.user_id, "?") for m in replies))
        mood = moods.get(c.id)
        item = item_of(c, run.language) if is_noise(c) else None
        announced = announcements.exercise_of(c).title if announcements.is_announcement(c) else None
        reports.append(ConversationReport(
            id=c.id, customer_name=c.customer_name, handle=c.handle, medium=c.medium, label=c.label,
            arrived=c.arrived_offset, replies=len(replies), late_replies=late,
            first_response_seconds=round(replies[0].offset - c.arrived_offset, 1) if replies else None,
            mean_score=round(mean(scores), 1) if scores else None, outcome=c.outcome, handled_by=handled_by,
            handling=_handling(scores, late, c.outcome),
            mood_before=mood.before if mood else None, mood_after=mood.after if mood else None,
            transcript=[TranscriptLine(offset=m.offset, role=m.role, source=m.source, by=names.get(m.user_id),
                                       text=m.text, score=m.score_total, queue_seconds=m.queue_seconds) for m in thread],
            noise_kind=item.kind if item else None,
            noise_verdict=verdict(item, replies=len(replies), label=c.label) if item else None,
            reach=reach_of(c), prevented_reach=c.prevented_reach, announcement=announced,
        ))
    story = [r for r in reports if r.noise_kind is None and r.announcement is None]
    ranked = sorted(story, key=lambda r: (r.handling, -(r.mood_before or 0), r.id))
    answered = [r for r in story if r.replies]
    best = sorted(answered, key=lambda r: (-r.handling, r.id))[:SHOWN]
    worst = [r for r in ranked if r.id not in {b.id for b in best}][:SHOWN]
    template = template_of(run)
    return Debrief(run_id=run.id, title=template.title, language=run.language, status=run.status,
                   seconds=board.seconds, board=board, conversations=reports, worst=worst, best=best,
                   noise=per_kind([(r.noise_kind, r.noise_verdict) for r in reports if r.noise_kind and r.noise_verdict]),
                   announcements=[r for r in reports if r.announcement is not None])


def debrief(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> Debrief:
    """The debrief for the managers of the drill's team (and admins)."""
    run = get_run(session, run_id)
    user = participant(session, actor)
    require_drill(session, user, run, Action.watch_drill, what="debrief")
    return build(session, run, now or utcnow())


# ---------------------------------------------------------------------------------- CSV

CONVERSATION_COLUMNS = ("conversation", "customer", "handle", "medium", "label", "arrived_seconds", "replies",
                        "late_replies", "first_response_seconds", "mean_score", "handling", "outcome",
                        "handled_by", "mood_before", "mood_after", "noise_kind", "noise_handling", "shares", "quotes",
                        "reached", "reach_prevented", "row_type", "announcement")
# What a row is: one of the story's customers, a noise post or an announcement task (whose
# "customer" is the brand itself); `announcement` then names its exercise.
ROW_TYPES = ("customer", "noise", "announcement")
TRAINEE_COLUMNS = ("trainee", "replies", "replies_per_minute", "mean_score", "late_replies")


def conversations_csv(report: Debrief) -> str:
    return csv_text(CONVERSATION_COLUMNS, (
        (r.id, r.customer_name, r.handle, r.medium, r.label, round(r.arrived, 1), r.replies, r.late_replies,
         r.first_response_seconds, r.mean_score, r.handling, r.outcome, "; ".join(r.handled_by),
         r.mood_before, r.mood_after, r.noise_kind, r.noise_verdict, r.reach.shares, r.reach.quotes, r.reach.reached,
         r.prevented_reach, row_type(r), r.announcement)
        for r in report.conversations))


def row_type(report: ConversationReport) -> str:
    """One of ROW_TYPES."""
    if report.announcement is not None:
        return "announcement"
    return "noise" if report.noise_kind is not None else "customer"


def trainees_csv(report: Debrief) -> str:
    return csv_text(TRAINEE_COLUMNS, ((f.name, f.replies, f.replies_per_minute, f.mean_score, f.late_replies)
                                      for f in report.board.trainees))


# ---------------------------------------------------------------------------------- PDF

# The PDF's headings and labels: content/ui/<lang>/drills.yaml, `drills.pdf.<name>`.
PDF_TEXTS = ("debrief", "drill_time", "arrived", "replies", "late", "never", "double", "evenness", "mood", "timeline",
             "backlog", "breaching", "trainees", "trainee", "per_minute", "score", "worst", "best", "handling", "customer",
             "none")


def pdf_texts(language: str) -> dict[str, str]:
    return {name: t(f"drills.pdf.{name}", language) for name in PDF_TEXTS}


def _outcome(outcome: str | None, language: str) -> str:
    """How a conversation ended, by name ("geëscaleerd"); "–" while it had not."""
    return t(f"drills.outcome.{outcome}", language) if outcome else "–"


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def _timeline_chart(report: Debrief, texts: dict):
    from reportlab.graphics.charts.legends import LineLegend
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    points = report.board.burn_down
    drawing = Drawing(480, 190)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 40, 420, 130
    series = [("arrived", colors.HexColor("#1d9bf0")), ("backlog", colors.HexColor("#e0245e")),
              ("breaching", colors.HexColor("#ff7a00")), ("replies", colors.HexColor("#17bf63"))]
    plot.data = [[(p.minute + 1, getattr(p, name)) for p in points] or [(0, 0)] for name, _ in series]
    for i, (_, colour) in enumerate(series):
        plot.lines[i].strokeColor = colour
        plot.lines[i].strokeWidth = 1.6
    plot.xValueAxis.valueMin = 0
    plot.yValueAxis.valueMin = 0
    drawing.add(plot)
    legend = LineLegend()
    legend.x, legend.y = 40, 15
    legend.columnMaximum = 1
    legend.alignment = "right"  # the swatch before its label
    legend.deltax = 105
    legend.fontSize = 8
    legend.colorNamePairs = [(colour, texts[name] if name in texts else name) for name, colour in series]
    drawing.add(legend)
    return drawing


def _noise_section(report: Debrief, styles, grid) -> list:
    """The noise per kind: posts, handled well and badly, and why (one sentence per verdict)."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table
    from xml.sax.saxutils import escape

    if not report.noise:
        return []
    lang = report.language
    rows = [[t("drills.noise.kind_column", lang), t("drills.noise.posts", lang), t("drills.noise.good", lang),
             t("drills.noise.bad", lang)]]
    rows += [[t(f"drills.noise.kind.{k.kind}", lang), k.posts, k.good, k.bad] for k in report.noise]
    part = [Paragraph(escape(t("drills.noise.heading", lang)), styles["Heading2"]),
            Paragraph(escape(t("drills.noise.summary", lang, good=report.noise_good, bad=report.noise_bad)), styles["Normal"]),
            Table(rows, hAlign="LEFT", style=grid)]
    for k in report.noise:
        why = " ".join(f"{count}× {t(f'drills.noise.verdict.{code}', lang)}" for code, count in k.verdicts.items())
        part.append(Paragraph(f"<b>{escape(t(f'drills.noise.kind.{k.kind}', lang))}</b>: {escape(why)}", styles["Normal"]))
    return [*part, Spacer(1, 0.4 * cm)]


def _announcement_section(report: Debrief, styles) -> list:
    """Each injected announcement: its title, who wrote it, the scores of the post and the update."""
    from reportlab.platypus import Paragraph
    from xml.sax.saxutils import escape

    if not report.announcements:
        return []
    lang = report.language
    part = [Paragraph(escape(t("drills.announcements.heading", lang)), styles["Heading2"])]
    part += [Paragraph(escape(announcement_line(r, lang)), styles["Normal"]) for r in report.announcements]
    return part


def announcement_line(report: ConversationReport, language: str) -> str:
    """'#12 Storm: geen treinen ... · aankondiging 92, update 71 · Tess Trainee' (nl/en)."""
    scores = report.post_scores
    posts = ", ".join(t(f"drills.announcements.post_{stage}", language, score=f"{score:.0f}")
                      for stage, score in zip(("first", "update"), scores)) or t("drills.announcements.not_posted", language)
    by = ", ".join(report.handled_by)
    return f"#{report.id} {report.announcement} · {posts}" + (f" · {by}" if by else "")


def _meter_drawing(report: Debrief):
    """The webcaremeter as two bars on the mood scale (-1 angry .. +1 happy): before and after."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    board, lang = report.board, report.language
    drawing = Drawing(480, 62)
    left, width = 130, 300
    middle = left + width / 2
    for row, (key, value) in enumerate((("drills.mood_before", board.mood_before), ("drills.mood_after", board.mood_after))):
        y = 38 - row * 24
        drawing.add(String(0, y + 3, t(key, lang), fontSize=8))
        drawing.add(Rect(left, y, width, 14, fillColor=colors.HexColor("#eeeeee"), strokeColor=None))
        if value is not None:
            colour = colors.HexColor("#17bf63" if value >= 0 else "#e0245e")
            drawing.add(Rect(min(middle, middle + value * width / 2), y, abs(value) * width / 2, 14,
                             fillColor=colour, strokeColor=None))
        drawing.add(String(left + width + 8, y + 3, desk.mood(value, lang), fontSize=8))
    drawing.add(Line(middle, 8, middle, 56, strokeColor=colors.grey))
    drawing.add(String(left, 0, "-1", fontSize=7))
    drawing.add(String(left + width - 8, 0, "+1", fontSize=7))
    return drawing


def _desk_section(report: Debrief, styles, grid) -> list:
    """Reach caused and prevented, the webcaremeter, the labels counted and the event log."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table
    from xml.sax.saxutils import escape

    lang, board = report.language, report.board
    team = board.reach
    part = [Paragraph(escape(t("drills.reach.heading", lang)), styles["Heading2"]),
            Paragraph(escape(desk.reach_sentence(team, lang)), styles["Normal"]), Spacer(1, 0.3 * cm),
            Paragraph(escape(t("drills.meter.heading", lang)), styles["Heading2"]), _meter_drawing(report),
            Paragraph(escape(desk.meter_sentence(board.mood_before, board.mood_after, lang)), styles["Normal"]),
            Paragraph(escape(t("drills.labels.heading", lang)), styles["Heading2"])]
    rows = [[t("drills.label", lang), t("drills.labels.conversations", lang)]]
    rows += [[escape(c.label), c.conversations] for c in board.labels]
    rows.append([t("drills.labels.none", lang), board.unlabelled])
    part += [Table(rows, hAlign="LEFT", style=grid), Spacer(1, 0.3 * cm),
             Paragraph(escape(t("drills.log.heading", lang)), styles["Heading2"])]
    rows = [[t("drills.log.time", lang), t("drills.clock", lang), t("drills.log.what", lang)]]
    rows += [[desk.local_clock(line), _clock(line.offset), Paragraph(escape(desk.describe(line, lang)), styles["Normal"])]
             for line in board.events]
    part += [Table(rows, hAlign="LEFT", style=grid, colWidths=[1.7 * cm, 1.7 * cm, 13.5 * cm], repeatRows=1),
             Spacer(1, 0.4 * cm)]
    return part


def debrief_pdf(report: Debrief) -> bytes:
    """The debrief as an A4 PDF: summary, timeline chart, trainees, worst and best transcripts."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    texts = pdf_texts(report.language)
    media = media_catalogue().media
    styles = getSampleStyleSheet()
    board = report.board
    story = [Paragraph(escape(f"{texts['debrief']}: {report.title}"), styles["Title"])]
    summary = [
        [texts["drill_time"], _clock(report.seconds), texts["arrived"], board.arrived],
        [texts["replies"], board.replies, texts["late"], board.late_replies],
        [texts["never"], board.never_answered, texts["double"], board.double_answers],
        [texts["evenness"], "–" if board.evenness is None else f"{board.evenness:.2f}", texts["mood"],
         "–" if board.mood_before is None else f"{board.mood_before:+.2f} / {board.mood_after:+.2f}"],
    ]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("FONTSIZE", (0, 0), (-1, -1), 9)])
    story += [Table(summary, hAlign="LEFT", style=grid), Spacer(1, 0.4 * cm)]
    story += [Paragraph(texts["timeline"], styles["Heading2"]), _timeline_chart(report, texts)]
    story.append(Paragraph(texts["trainees"], styles["Heading2"]))
    rows = [[texts["trainee"], texts["replies"], texts["per_minute"], texts["score"], texts["late"]]]
    rows += [[escape(f.name), f.replies, f.replies_per_minute, "–" if f.mean_score is None else f.mean_score, f.late_replies]
             for f in board.trainees]
    story += [Table(rows, hAlign="LEFT", style=grid), Spacer(1, 0.4 * cm)]
    story += _noise_section(report, styles, grid)
    story += _announcement_section(report, styles)
    story += _desk_section(report, styles, grid)
    for heading, chosen in ((texts["worst"], report.worst), (texts["best"], report.best)):
        story.append(Paragraph(heading, styles["Heading2"]))
        if not chosen:
            story.append(Paragraph(texts["none"], styles["Normal"]))
        for r in chosen:
            story.append(Paragraph(escape(f"#{r.id} {r.customer_name} ({r.handle}) · {media[r.medium].name(report.language)} · "
                                          f"{texts['handling']} {r.handling:.0f} · {_outcome(r.outcome, report.language)}"), styles["Heading4"]))
            for line in r.transcript:
                who = escape(r.customer_name if line.role == "customer" else (line.by or "Webcare"))
                extra = f" [{line.score:.0f}; {_clock(line.queue_seconds)}]" if line.score is not None else ""
                story.append(Paragraph(f"<b>{_clock(line.offset)} {who}</b>{escape(extra)}: {escape(line.text)}", styles["Normal"]))
            story.append(Spacer(1, 0.2 * cm))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=f"{texts['debrief']}: {report.title}",
                      leftMargin=1.6 * cm, rightMargin=1.6 * cm, topMargin=1.4 * cm, bottomMargin=1.4 * cm).build(story)
    return out.getvalue()

"""`score_reply`: run every registered dimension over one reply and add up a scorecard."""

from __future__ import annotations

import concurrent.futures
import threading
import time
import unicodedata

from scoring.config import media_catalogue, messages, scoring_config
from scoring.evaluation import Evaluation
from scoring.languagetool import GrammarChecker, GrammarCheck, default_checker, did_not_answer, signalling_sent
from scoring.model import (  # noqa: F401 - MAX_REPLY_CHARS and ReplyRejected are read from here too
    MAX_REPLY_CHARS, DimensionResult, Finding, PriorReply, ReplyContext, ReplyRejected, Scorecard, Severity,
)
from scoring.nlp import load_nlp
from scoring.dedupe import first_reply_only, one_per_problem, settled
from scoring.registry import Dimension, Outcome, registered
from scoring import announcement
from scoring.rubric import MOVES_MADE, RUBRIC_VERSION, rubric_findings

# At most this long for the request to leave (a connection being opened takes longer).
GIL_HANDOFF_MAX_SECONDS = 0.01

# LanguageTool answers over HTTP; a worker lets its check overlap the local dimensions.
_grammar_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="languagetool")



def validate_reply(reply: str, context: ReplyContext) -> str:
    if not isinstance(reply, str):
        raise ReplyRejected("the reply must be text", code="not_text")
    if not reply.strip():
        raise ReplyRejected("the reply is empty", code="empty")
    if len(reply) > MAX_REPLY_CHARS:
        raise ReplyRejected(f"the reply is {len(reply):,} characters; replies over {MAX_REPLY_CHARS:,} are not scored",
                            code="too_long", length=len(reply), limit=MAX_REPLY_CHARS)
    if context.medium not in media_catalogue().media:
        known = ", ".join(sorted(media_catalogue().media))
        raise ReplyRejected(f"unknown medium '{context.medium}' (known: {known})", code="unknown_medium",
                            medium=context.medium)
    # NFC so offsets agree between spaCy, LanguageTool and the highlighted reply.
    return unicodedata.normalize("NFC", reply)


_warmed: set[str] = set()
_warming = threading.Lock()
_WARM_UP_REPLY = {
    "nl": "Hoi Sanne, wat vervelend! Ik boek je om. Stuur je me je boekingscode via DM? ^Lisa",
    "en": "Hi Sam, sorry about this! I'll rebook you. Could you DM us your booking reference? ^Lisa",
}


def warm_up(language: str) -> None:
    """Build a language's pipeline, lexicons and cue matchers once per process, one thread at a
    time: building them from several threads at once races inside spaCy's string store (seen
    when a group drill sends many first replies together). Cheap once warm."""
    if language in _warmed:
        return
    with _warming:
        if language in _warmed:
            return
        from scoring.languagetool import LanguageToolSettings

        offline = GrammarChecker(LanguageToolSettings(enabled=False))
        # A prior reply and a template too, so the repeat and template lexicons are built here.
        context = ReplyContext(language=language, medium="twitter", customer_messages=[_WARM_UP_REPLY[language]],
                               customer_name="Sanne", seconds_to_reply=30, queue_seconds=30,
                               prior_replies=[PriorReply(text=_WARM_UP_REPLY[language])],
                               knowledge_templates=[_WARM_UP_REPLY[language]])
        _score(_WARM_UP_REPLY[language], context, offline)
        _warmed.add(language)


def score_reply(reply: str, context: ReplyContext, *, checker: GrammarChecker | None = None) -> Scorecard:
    """Score one reply. Raises `ReplyRejected` for input that cannot be a reply."""
    warm_up(context.language)
    return _score(reply, context, checker)


def _score(reply: str, context: ReplyContext, checker: GrammarChecker | None) -> Scorecard:
    reply = validate_reply(reply, context)
    config = scoring_config()
    medium = media_catalogue().media[context.medium]
    checker = checker or default_checker()
    # Wait until the LanguageTool thread's request has left before the CPU-bound dimensions
    # below take the GIL; otherwise it leaves only when they are done and the two never overlap.
    # A fixed pause cost its full length whenever LanguageTool answered from its cache.
    sent = threading.Event()
    grammar_future = _grammar_pool.submit(_check_signalling, checker, reply, context.language, sent)
    sent.wait(GIL_HANDOFF_MAX_SECONDS)

    doc = load_nlp(context.language)(reply)
    moves_of = rubric_findings
    if context.announcement is not None:
        # An announcement has its own rubric and its own ideal length (scoring/announcement.py).
        moves_of = announcement.announcement_findings
        medium = announcement.fitted_medium(context.language, context.medium, medium)
    evaluation = Evaluation(reply=reply, doc=doc, context=context, medium_id=context.medium, medium=medium, config=config)
    weights = config.weights_for(context.medium)

    # The rubric's missing moves count in the dimension each belongs to (scoring/rubric.py).
    moves: dict[str, list[Finding]] = {}
    for finding in moves_of(doc, evaluation):
        moves.setdefault(finding.dimension, []).append(finding)
    outcomes: dict[str, tuple[Dimension, Outcome]] = {}
    deferred = []
    for name, dimension in registered().items():
        if name == "spelling":
            deferred.append((name, dimension))
            continue
        outcomes[name] = (dimension, _run(dimension, doc, evaluation, moves.get(name, [])))
    evaluation.grammar = _grammar_result(grammar_future, checker)
    for name, dimension in deferred:
        outcomes[name] = (dimension, _run(dimension, doc, evaluation, moves.get(name, [])))
    kept = _one_per_problem(outcomes, evaluation)
    # Keep the documented order whatever the registration order.
    ordered = {name: _result(*outcomes[name], kept[name], weights) for name in sorted(outcomes, key=_order)}
    return _total(ordered, evaluation)


def _check_signalling(checker: GrammarChecker, reply: str, language: str, sent: threading.Event) -> GrammarCheck:
    with signalling_sent(sent):
        return checker.check(reply, language)


def _grammar_result(future: concurrent.futures.Future, checker: GrammarChecker) -> GrammarCheck:
    """The check's own deadline normally ends it; this one guards against a server that keeps
    a connection alive by trickling bytes, so a reply is never held longer than the deadline."""
    try:
        return future.result(timeout=checker.settings.check_timeout + 1)
    except concurrent.futures.TimeoutError:
        return GrammarCheck(checked=False, reason=did_not_answer(checker.settings.check_timeout))


def _order(name: str) -> int:
    from scoring.config import DIMENSIONS

    return DIMENSIONS.index(name) if name in DIMENSIONS else len(DIMENSIONS)


def _run(dimension: Dimension, doc, evaluation: Evaluation, moves: list[Finding]) -> Outcome:
    outcome = dimension.score(doc, evaluation)
    if outcome.checked:
        outcome.findings = [*outcome.findings, *moves]
    return outcome


def _one_per_problem(outcomes: dict[str, tuple[Dimension, Outcome]], evaluation: Evaluation) -> dict[str, list[Finding]]:
    """Each dimension's findings once every problem is told once, across dimensions."""
    every = [f for _, outcome in outcomes.values() if outcome.checked for f in outcome.findings]
    dropped = settled(evaluation.shared.get(MOVES_MADE, set()))
    if evaluation.context.follow_up:
        dropped |= first_reply_only()
    if evaluation.context.announcement is not None:
        dropped |= announcement.not_due(evaluation.language)
    every = [f for f in every if f.rule not in dropped]
    kept: dict[str, list[Finding]] = {name: [] for name in outcomes}
    for finding in one_per_problem(every, evaluation.whole_reply):
        kept.setdefault(finding.dimension, []).append(finding)
    return kept


def _result(dimension: Dimension, outcome: Outcome, findings: list[Finding], weights: dict[str, float]) -> DimensionResult:
    lost = sum(f.points for f in findings)
    return DimensionResult(
        name=dimension.name,
        version=dimension.versioned_name,
        score=max(0.0, min(100.0, 100.0 - lost)) if outcome.checked else 0.0,
        weight=weights.get(dimension.name, 0.0),
        checked=outcome.checked,
        note=outcome.note,
        findings=sorted(findings, key=lambda f: (f.span[0], f.rule)),
    )


def _total(results: dict[str, DimensionResult], evaluation: Evaluation) -> Scorecard:
    counted = [r for r in results.values() if r.checked and r.weight > 0]
    weight = sum(r.weight for r in counted)
    total = sum(r.score * r.weight for r in counted) / weight if weight else 0.0
    findings = [f for r in results.values() for f in r.findings]
    critical = any(f.severity is Severity.critical for f in findings)
    notes = [r.note for r in results.values() if not r.checked and r.note]
    minimums = evaluation.config.dimension_minimum
    weak = [r for r in counted if r.score < minimums.get(r.name, 0)]
    texts = messages(evaluation.context.trainee_language).rules
    for result in weak:
        label = texts[f"dimension.{result.name}"].message
        notes.append(texts["total.dimension_below_minimum"].message.format(
            dimension=label, score=round(result.score), minimum=round(minimums[result.name])))
    pass_mark = evaluation.config.pass_mark
    return Scorecard(
        total=round(total, 1),
        passed=total >= pass_mark and not critical and not weak,
        pass_mark=pass_mark,
        language=evaluation.language,
        medium=evaluation.medium_id,
        dimensions=results,
        findings=findings,
        notes=notes,
        rubric=RUBRIC_VERSION if evaluation.context.announcement is None else announcement.ANNOUNCEMENT_VERSION,
    )

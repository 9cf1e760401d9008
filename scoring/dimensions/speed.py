"""speed.v1: handling time against the medium's target; queue time against its SLA (drills).

Without timing (a reply scored from the command line without --seconds) there is nothing to
judge, so the dimension is left out of the total rather than given a free 100.
"""

from __future__ import annotations

from scoring.evaluation import Evaluation
from scoring.model import Severity
from scoring.registry import Outcome, register


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"


@register("speed", "v1")
def score(doc, ev: Evaluation) -> Outcome:
    rules = ev.config.speed
    handling = ev.context.seconds_to_reply
    queue = ev.context.queue_seconds
    if handling is None and queue is None:
        return Outcome(checked=False, note=_not_timed(ev))
    findings = []
    target = ev.medium.target_seconds
    if handling is not None and handling > target:
        overrun = (handling - target) / target
        points = min(rules.max_points, rules.points_per_target_overrun * overrun)
        severity = Severity.major if handling > 2 * target else Severity.minor
        findings.append(ev.finding("speed", "speed.slow", severity, points=round(points, 1),
                                   took=_minutes(handling), target=_minutes(target)))
    if queue is not None:
        sla = ev.medium.sla_seconds
        if queue > sla:
            findings.append(ev.finding("speed", "speed.sla_breached", Severity.major, points=rules.sla_breach_points,
                                       waited=_minutes(queue), sla=_minutes(sla)))
        elif queue > rules.sla_danger_share * sla:
            findings.append(ev.finding("speed", "speed.sla_danger", Severity.info,
                                       waited=_minutes(queue), sla=_minutes(sla)))
    return Outcome(findings)


def _not_timed(ev: Evaluation) -> str:
    from scoring.config import messages

    return messages(ev.context.trainee_language).rules["speed.not_timed"].message

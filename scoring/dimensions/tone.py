"""tone.v2: how the reply sounds to the customer. See docs/tone.md.

Rewards (greeting, the customer's name, empathy, an apology where due, thanks, "ik", a
signature where the medium uses one, an invitation to continue) and penalties (blame,
defensive policy language, jargon, sarcasm, shouting, the wrong or mixed form of address,
formality that does not suit the medium, abuse) come from content/tone/<reply language>.yaml.
A missing reward is a finding too, so every point lost is explained.

Whether empathy and an apology are due depends on the customer's message: its mood
(scoring/sentiment.py) and complaint cues. Without a customer message the reply is judged on
its own and no apology is asked for.

v2: cues read negation and contrast scope (scoring/scope.py): "het spijt me niet" or "sorry,
maar ..." is no apology, and `tone.taken_back` says so; the form of address accepts the
medium's and the customer's own form, and every suggestion's example is in the reply's
register (scoring/address.py).
"""

from __future__ import annotations

from spacy.tokens import Doc

from scoring.address import AddressReading, read_address, register_for
from scoring.cues import ToneCueGroup, tone_cues, tone_matchers
from scoring.evaluation import Evaluation
from scoring.model import Finding
from scoring.registry import Outcome, register
from scoring.rubric import customer_requests
from scoring.sentiment import CustomerMood

DIMENSION = "tone"
# A due reward whose words were there but negated or taken back by a contrast.
TAKEN_BACK = "tone.taken_back"

# Name particles that do not identify anyone on their own ("Sanne de Vries" -> sanne, vries).
NAME_PARTICLES = frozenset({"de", "der", "den", "van", "het", "te", "ten", "ter", "op", "in", "t", "'t", "la", "le", "du", "von", "mc"})


@register(DIMENSION, "v2")
def score(doc: Doc, ev: Evaluation) -> Outcome:
    cues = tone_cues(ev.language)
    found = tone_matchers(ev.language).groups.find_scoped(doc)
    matches = found.matches
    mood = ev.customer_mood
    medium_name = ev.medium.name(ev.context.trainee_language)
    reading = None
    if cues.address is not None:
        customer = ev.customer_doc if ev.context.customer_text.strip() else None
        reading = read_address(doc, customer, cues.address, ev.medium)
    examples = _examples(reading, ev)
    findings: list[Finding] = []
    for group in cues.groups:
        if group.media_formality is not None and ev.medium.formality not in group.media_formality:
            continue
        spans = matches.get(group.id, [])
        points = group.points if group.points is not None else ev.points(group.severity)
        if group.kind == "penalty":
            if group.due is not None and not _due(group, ev, mood):
                continue
            for occurrence, span in enumerate(spans):
                # Every occurrence is highlighted; the rule costs its points once per reply.
                findings.append(ev.finding(
                    DIMENSION, group.id, group.severity, span=(span.start_char, span.end_char),
                    points=points if occurrence == 0 else 0.0, cue=span.text, medium=medium_name,
                    example=examples.get(group.id, ""),
                ))
        elif _due(group, ev, mood) and not _met(group, matches) and not _signed_by_agent(group, doc, ev):
            cancelled = found.cancelled.get(group.id)
            if cancelled:
                # "Het spijt me niet", "sorry, maar ...": say why the words did not count.
                span = cancelled[0]
                severity, cost = group.severity, points
                if group.negated_cost is not None and span in found.negated.get(group.id, ()):
                    severity, cost = group.negated_cost.severity, group.negated_cost.points
                findings.append(ev.finding(DIMENSION, TAKEN_BACK, severity, span=(span.start_char, span.end_char),
                                           points=cost, cue=span.text, medium=medium_name,
                                           example=examples.get(group.id, "")))
            else:
                findings.append(ev.finding(DIMENSION, group.id, group.severity, points=points, medium=medium_name,
                                           example=examples.get(group.id, "")))
    findings += _name_check(doc, ev, medium_name, examples)
    findings += _address_check(reading, ev, medium_name)
    return Outcome(findings)


def _due(group: ToneCueGroup, ev: Evaluation, mood: CustomerMood | None) -> bool:
    match group.due:
        case "always":
            return True
        case "first_reply":
            return not ev.context.follow_up
        case "customer_message":
            return mood is not None
        case "customer_calm":
            return mood is not None and not mood.negative
        case "customer_positive":
            return mood is not None and mood.label == "positive"
        case "customer_thanks":
            return _thanked(ev, mood)
        case "customer_negative":
            return mood is not None and mood.negative
        case "complaint":
            return mood is not None and mood.complaint
        case "signature_medium":
            return ev.medium.signature
    raise ValueError(f"unknown due condition {group.due!r}")


def _thanked(ev: Evaluation, mood: CustomerMood | None) -> bool:
    """The customer's new messages thank or praise and ask nothing: thanks back is owed. To a
    question the answer comes first, and "Bedankt hoor!!" in a complaint is no thanks."""
    if mood is None or mood.negative or mood.complaint or "?" in ev.context.new_customer_text:
        return False
    if not tone_matchers(ev.language).gratitude.find(ev.customer_doc).get("gratitude"):
        return False

    return not customer_requests(ev)


def _met(group: ToneCueGroup, matches: dict) -> bool:
    return any(matches.get(rule) for rule in (group.id, *group.satisfied_by))


def _signed_by_agent(group: ToneCueGroup, doc: Doc, ev: Evaluation) -> bool:
    """The agent's own first name among the last tokens counts as a signature."""
    if not group.satisfied_by_agent_name or not ev.context.agent_name:
        return False
    parts = _name_parts(ev.context.agent_name)
    if not parts:
        return False
    tail = [t for t in doc if not t.is_space and not t.is_punct][-(group.within_last_tokens or 6):]
    return any(_bare(t.lower_) == parts[0] for t in tail)


def _name_check(doc: Doc, ev: Evaluation, medium_name: str, examples: dict[str, str]) -> list[Finding]:
    name = ev.context.customer_name
    if not name or not name.strip():
        return []
    # In a chat the name belongs in the first reply, not in every message; a letter (a formal
    # medium) addresses the customer by name each time.
    if ev.context.follow_up and ev.medium.formality != "formal":
        return []
    parts = set(_name_parts(name))
    if not parts or any(_bare(t.lower_) in parts for t in doc):
        return []
    cost = tone_cues(ev.language).checks.name
    stripped = name.strip()
    shown = stripped if stripped.startswith("@") else stripped.split()[0]
    return [ev.finding(DIMENSION, "tone.no_name", cost.severity, points=cost.points, name=shown, medium=medium_name,
                       example=examples.get("tone.no_name", ""))]


def _address_check(reading: AddressReading | None, ev: Evaluation, medium_name: str) -> list[Finding]:
    if reading is None:
        return []
    checks = tone_cues(ev.language).checks
    u_tokens, je_tokens, expected = reading.u_tokens, reading.je_tokens, reading.expected
    if u_tokens and je_tokens and checks.address_mixed:
        # Point at the first word of the form used least (the odd one out).
        odd = u_tokens if len(u_tokens) < len(je_tokens) else je_tokens
        if len(u_tokens) == len(je_tokens):
            odd = u_tokens if expected == "je" else je_tokens
        token = odd[0]
        cost = checks.address_mixed
        return [ev.finding(
            DIMENSION, "tone.address_mixed", cost.severity, span=(token.idx, token.idx + len(token)), points=cost.points,
            u_form=u_tokens[0].text, je_form=je_tokens[0].text, expected=expected, medium=medium_name,
        )]
    used = reading.reply_form
    if used is None or used in reading.accepted:
        return []
    token = (u_tokens or je_tokens)[0]
    rule, cost = "tone.address_mismatch", checks.address_mismatch
    # Both the customer and the medium say 'u' ("Kunt u mij laten weten ..." in an e-mail): a
    # 'je' back reads as a lack of respect, not as house style.
    if used == "je" and reading.customer_form == "u" and "je" not in reading.accepted and checks.address_ignores_customer:
        rule, cost = "tone.address_ignores_customer", checks.address_ignores_customer
    if cost is None:
        return []
    return [ev.finding(
        DIMENSION, rule, cost.severity, span=(token.idx, token.idx + len(token)), points=cost.points,
        found=token.text, expected=expected, medium=medium_name,
    )]


def _examples(reading: AddressReading | None, ev: Evaluation) -> dict[str, str]:
    """The advice examples in the register this reply should use, the customer's name filled in."""
    advice = tone_cues(ev.language).advice
    register = register_for(reading.advice_form if reading else None, ev.medium)
    name = (ev.context.customer_name or "").strip()
    if not name or name.startswith("@"):
        name = advice.example_name[register]
    elif register != "formal":
        name = name.split()[0]
    return {rule: text.format(name=name) for rule, text in advice.examples(register).items()}


def _name_parts(name: str) -> list[str]:
    words = [_bare(w.lower()) for w in name.replace(",", " ").split()]
    return [w for w in words if len(w) >= 2 and w not in NAME_PARTICLES]


def _bare(word: str) -> str:
    return word.lstrip("@^").strip(".,!?:;'\"")

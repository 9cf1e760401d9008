"""rubric.v1: the moves every webcare reply is judged on, whatever the context.

A reply does not start at 100 and keep it for lack of anything wrong: it earns its score by
making the moves a team lead looks for. Each missing move is a finding in the dimension it
belongs to (content/rubric/<lang>.yaml says which):

- acknowledge (tone): the reply is about this customer's problem: it takes up a content word
  of their message ("je pakket", "de storing") or an acknowledgement cue ("je vraag over").
- empathy (tone): in proportion to the customer's mood. A negative customer who gets no word
  of understanding is tone.no_empathy (content/tone); an angry one costs more, here.
- answer (substance): an answer or an action taken: what was done, what is being done, what
  is the case and why, what the customer may do; a number, time, amount or link counts.
- next step (substance): who does what, when. Due when the customer reports a problem (or no
  customer message is known); a plain question is settled by its answer.
- sign-off (tone): the kind the medium uses (^Name on X, a closing formula in an e-mail).
- no deflection (substance): sending the customer elsewhere ("kijk op onze website", "neem
  contact op met de klantenservice") is neither an answer nor a next step; with nothing else
  in the reply, and no link or number to go on, it is a reply that gives nothing.

A scenario's expected elements come on top of this (substance.missing_element). The pipeline
files each finding under its dimension; `RUBRIC_VERSION` is stored with every scorecard.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, PositiveInt, model_validator
from spacy.tokens import Doc

from scoring.config import DimensionName, Strict, media_catalogue
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from scoring.cues import CueExamples, CueMatcher, CueSet, tone_cues, tone_matchers
from scoring.evaluation import Evaluation
from scoring.model import Finding, Severity
from scoring.nlp import load_nlp
from scoring.sentiment import estimate
from scoring.similarity import PhraseCues, key_of

RUBRIC_VERSION = "rubric.v1"
MOVES_MADE = "rubric_moves_made"

NO_ACKNOWLEDGEMENT = "tone.no_acknowledgement"
NO_EMPATHY_FOR_ANGER = "tone.no_empathy_for_anger"
NO_ANSWER = "substance.no_answer"
NO_NEXT_STEP = "substance.no_next_step"
SIGN_OFF_MISMATCH = "tone.sign_off_mismatch"
DEFLECTS = "substance.deflects"
RULES = (NO_ACKNOWLEDGEMENT, NO_EMPATHY_FOR_ANGER, NO_ANSWER, NO_NEXT_STEP, SIGN_OFF_MISMATCH, DEFLECTS)

# Words of the customer's message shorter than this say little about their situation.
MIN_SITUATION_WORD = 4
# The shortest head of a compound that still names the thing ("pas" in "bankpas").
MIN_COMPOUND_HEAD = 3

class Cost(Strict):
    severity: Severity
    points: float = Field(ge=0, le=100)


class Move(Strict):
    dimension: DimensionName
    cost: Cost


class PhraseMove(Move):
    phrases: list[str] = Field(min_length=1)
    examples: CueExamples


class AcknowledgeMove(PhraseMove):
    min_shared_words: PositiveInt = 1
    # Words customers write that say nothing of their situation ("groet", "alvast").
    ignore_words: list[str] = Field(default_factory=list)


class EmpathyMove(Move):
    # Angry: at least `angry_min_words` of the customer's words as negative as this
    # (scoring/sentiment.py): "Schandalig!", "Waardeloos", "Oplichters" are anger; a complaint
    # word such as "geannuleerd" or "storing" is not.
    angry_at_or_below: float = Field(ge=-1, le=0)
    angry_min_words: PositiveInt = 1


class AnswerMove(PhraseMove):
    cost_with_next_step: Cost
    # A customer message with one of these asks for something ("graag correctie", "kunt u"),
    # however friendly its tone: it needs an answer and a next step.
    request_cues: list[str] = Field(min_length=1)


class NextStepMove(PhraseMove):
    cost_with_answer: Cost
    # Second-person words: a question with one of these is put to the customer.
    you: list[str] = Field(min_length=1)


class SignOffMove(Move):
    styles: dict[str, CueSet] = Field(min_length=1)
    # medium id -> the styles that fit it; media not listed are not checked
    media: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _styles_exist(self) -> SignOffMove:
        for medium, styles in self.media.items():
            unknown = sorted(set(styles) - set(self.styles))
            if unknown:
                raise ValueError(f"{medium}: unknown styles {unknown}")
        return self


class Rubric(Strict):
    acknowledge: AcknowledgeMove
    empathy: EmpathyMove
    answer: AnswerMove
    next_step: NextStepMove
    sign_off: SignOffMove
    deflect: PhraseMove

    def phrase_groups(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((name, tuple(getattr(self, name).phrases))
                     for name in ("acknowledge", "answer", "next_step", "deflect"))


@lru_cache(maxsize=None)
def rubric(language: str, root: Path | None = None) -> Rubric:
    """content/rubric/<language>.yaml, validated; its media must exist in content/media.yaml."""
    path = (root or content_dir()) / "rubric" / f"{language}.yaml"
    loaded = load_model(path, Rubric)
    unknown = sorted(set(loaded.sign_off.media) - set(media_catalogue(root).media))
    if unknown:
        _, node = read_yaml(path)
        raise ContentInvalid([
            ContentError(display_path(path), line_of(node, ("sign_off", "media", m)), f"sign_off -> media -> {m}",
                         "is not a medium in content/media.yaml", "E200")
            for m in unknown
        ])
    return loaded


@lru_cache(maxsize=None)
def sign_off_matcher(language: str) -> CueMatcher:
    return CueMatcher(language, rubric(language).sign_off.styles)


def phrase_cues(language: str) -> PhraseCues:
    return PhraseCues.cached(language, rubric(language).phrase_groups())


def rubric_findings(doc: Doc, ev: Evaluation) -> list[Finding]:
    """Every rubric move the reply misses, as findings of the dimension each belongs to."""
    moves = rubric(ev.language)
    hits = phrase_cues(ev.language).find(doc, keys=ev.reply_keys)
    deflections = [hit.span for hit in hits if hit.group == "deflect"]
    # Words of a deflection's clause ("je kunt het beste contact opnemen met onze reparatiedienst")
    # answer nothing and move nothing on; a clause after it may ("..., dan bel ik je morgen").
    clauses = [_clause_of(doc, span) for span in deflections]
    found = {hit.group for hit in hits if hit.group == "deflect" or not _inside(hit.span, clauses)}
    # A number or address in the clause that sends the customer elsewhere ("bel onze technische
    # dienst via 0800-1234") is someone else's: it answers nothing.
    concrete = any(token.like_url or token.like_email or any(c.isdigit() for c in token.text)
                   for token in doc if not _inside((token.idx, token.idx + len(token)), clauses))
    links = any(token.like_url for token in doc)
    mood = ev.customer_mood
    findings: list[Finding] = []

    if (ev.context.customer_messages and "acknowledge" not in found and not _empathy_cue(doc, ev)
            and len(shared_words(doc, ev)) < moves.acknowledge.min_shared_words):
        findings.append(_missing(ev, moves.acknowledge, NO_ACKNOWLEDGEMENT, moves.acknowledge.cost))

    if mood is not None:
        distress = _distress_words(ev)
        angry = sum(polarity <= moves.empathy.angry_at_or_below for polarity in distress.values())
        # Anger is aimed at the company: in a complaint, or shouted ("Schandalig!"). A strong
        # word about a logo ("echt heel lelijk") is an opinion.
        aimed = mood.complaint or "!" in ev.context.new_customer_text
        if aimed and angry >= moves.empathy.angry_min_words and not _empathetic(doc, ev, set(distress)):
            findings.append(_missing(ev, moves.empathy, NO_EMPATHY_FOR_ANGER, moves.empathy.cost))

    answered = "answer" in found or concrete
    stepped = "next_step" in found or links or _asks_customer(doc, moves)
    asks = "?" in ev.context.new_customer_text
    requests = customer_requests(ev)
    # Praise or thanks needs no answer unless it asks something; a plain question is settled by
    # its answer; a problem, a request or an unknown message needs a next step too.
    answer_due = mood is None or mood.label != "positive" or asks or requests
    step_due = mood is None or mood.negative or mood.complaint or ((mood.label == "neutral" or requests) and not asks)
    if answer_due and not answered and deflections and not stepped:
        findings.append(ev.finding(moves.deflect.dimension, DEFLECTS, moves.deflect.cost.severity,
                                   span=deflections[0], points=moves.deflect.cost.points,
                                   phrase=ev.reply[deflections[0][0]:deflections[0][1]]))
    elif answer_due and not answered:
        cost = moves.answer.cost_with_next_step if stepped else moves.answer.cost
        findings.append(_missing(ev, moves.answer, NO_ANSWER, cost))
    if step_due and not stepped:
        cost = moves.next_step.cost_with_answer if answered else moves.next_step.cost
        findings.append(_missing(ev, moves.next_step, NO_NEXT_STEP, cost))

    findings += _sign_off(doc, ev, moves.sign_off)
    # Moves made, for rules elsewhere that a made move settles (scoring/dedupe.py).
    ev.shared[MOVES_MADE] = {name for name, made in (("answer", answered), ("next_step", stepped)) if made}
    return findings


_CLAUSE_BREAKS = {",", ";", ":", "dan", "then"}


def _clause_of(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """From the start of the sentence holding `span` to the first clause break after it."""
    sent = next(s for s in doc.sents if s.start_char <= span[0] < s.end_char)
    end = next((t.idx for t in sent if t.idx >= span[1] and t.lower_ in _CLAUSE_BREAKS), sent.end_char)
    return (sent.start_char, end)


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _missing(ev: Evaluation, move: Move, rule: str, cost: Cost) -> Finding:
    return ev.finding(move.dimension, rule, cost.severity, points=cost.points,
                      medium=ev.medium.name(ev.context.trainee_language))




def customer_requests(ev: Evaluation) -> bool:
    """The customer asks for something without a question mark ("Graag een nieuwe afspraak.")."""
    groups = (("request", tuple(rubric(ev.language).answer.request_cues)),)
    return bool(PhraseCues.cached(ev.language, groups).find(ev.customer_doc))


def _asks_customer(doc: Doc, moves: Rubric) -> bool:
    """A question put to the customer ("Met hoeveel personen ben je?") says what they do next."""
    you = set(moves.next_step.you)
    return any(sent.text.rstrip().endswith("?") and any(t.lower_ in you for t in sent) for sent in doc.sents)


def _empathy_cue(doc: Doc, ev: Evaluation) -> bool:
    """Tone's empathy cues ("wat een schrik", "dat is echt balen") take up how it is for the
    customer: that acknowledges the problem. An apology alone does not ("Sorry! Sorry!")."""
    return bool(tone_matchers(ev.language).groups.find(doc).get("tone.no_empathy"))


def _distress_words(ev: Evaluation) -> dict[str, float]:
    """The customer's negative words (lemma key of each assessment's last word: "schandalig")
    and how negative each is."""
    found: dict[str, float] = {}
    for assessment in estimate(ev.customer_doc, ev.language).assessments:
        if assessment.polarity < 0:
            key = key_of(assessment.words[-1], ev.language)
            found[key] = min(found.get(key, 0.0), assessment.polarity)
    return found


def _empathetic(doc: Doc, ev: Evaluation, distress: set[str]) -> bool:
    """Tone's own empathy cues (and what tone lets stand in for them: an apology), or a word
    the customer used to say how bad it is, taken up ("zeker als het daar zo onveilig voelt")."""
    group = tone_cues(ev.language).group("tone.no_empathy")
    matches = tone_matchers(ev.language).groups.find(doc)
    if any(matches.get(rule) for rule in (group.id, *group.satisfied_by)):
        return True
    return any(key_of(token.text, ev.language) in distress for token in doc if token.is_alpha)


def _sign_off(doc: Doc, ev: Evaluation, move: SignOffMove) -> list[Finding]:
    fitting = move.media.get(ev.medium_id)
    if not fitting or not ev.medium.signature:
        return []
    used = sign_off_matcher(ev.language).find(doc)
    if not used or any(style in used for style in fitting):
        return []
    style, spans = next(iter(used.items()))
    texts = _style_texts(ev)
    return [ev.finding(
        move.dimension, SIGN_OFF_MISMATCH, move.cost.severity, span=(spans[0].start_char, spans[-1].end_char),
        points=move.cost.points, medium=ev.medium.name(ev.context.trainee_language), found=spans[0].text,
        expected=texts[fitting[0]],
    )]


def _style_texts(ev: Evaluation) -> dict[str, str]:
    from scoring.config import messages

    rules = messages(ev.context.trainee_language).rules
    return {style: rules[f"rubric.style.{style}"].message for style in rubric(ev.language).sign_off.styles}


def shared_words(doc: Doc, ev: Evaluation, exclude: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """Content words of the customer's messages the reply takes up, less `exclude` (lemma
    keys): "vlucht", "KL1234", "storing", "pakket". Handles and brand names don't count."""
    if not ev.context.customer_messages:
        return set()
    stop_words = load_nlp(ev.language).Defaults.stop_words
    # Names, brands and sign-off words are in many messages and say nothing of this problem.
    ignored = {term.lower() for term in ev.context.brand_terms} | set(rubric(ev.language).acknowledge.ignore_words)
    ignored |= {part.lower() for name in (ev.context.customer_name, ev.context.agent_name) if name for part in name.split()}
    customer = {
        key_of(token.text, ev.language)
        for token in ev.thread_doc
        if not token.text.startswith("@") and token.lower_ not in ignored
        and ((token.is_alpha and len(token.text) >= MIN_SITUATION_WORD and token.lower_ not in stop_words)
             or (any(c.isdigit() for c in token.text) and len(token.text) >= 3))
    }
    reply = {key_of(token.text, ev.language) for token in doc if not token.is_punct}
    shared = customer & reply
    # A compound's head names the same thing: "bankpas" / "pas", "pakketbezorging" / "pakket".
    heads = {word for word in reply - shared if len(word) >= MIN_COMPOUND_HEAD and word.isalpha() and word not in stop_words}
    shared |= {word for word in heads if any(len(c) > len(word) + 2 and c.endswith(word) for c in customer)}
    shared |= {c for c in customer - shared if any(len(word) > len(c) + 2 and word.endswith(c) for word in reply)}
    return shared - set(exclude)

"""Scope of a cue: is it negated, or taken back by a contrast that follows?

Blank spaCy pipelines have no parser, so a clause is approximated by its boundaries: any
punctuation and the words that open a new clause (content/tone/<lang>.yaml `scope.clause_breaks`:
"dat", "omdat", "because", ...). Within one clause:

- a negation ("niet", "geen", "not", "n't") right before the cue, or right after it, with at
  most a few filler words in between ("geen [enkel] excuus", "het spijt me [echt] niet",
  "not [really] sorry"), negates it; so does a negation in a gap of the cue's own token
  pattern ("wij bieden hiervoor geen excuses aan"). Fillers are listed, so "Sorry, we konden
  niet bellen" and "Ik kan het niet vinden sorry" keep their apology.
- a contrast word ("maar", "but") after the cue in the same sentence (or opening the next one)
  takes the cue back when nothing but punctuation stands between them ("sorry, maar ...") or
  when what follows the contrast is one of the listed penalty cues ("excuses, maar volgens onze
  voorwaarden ...").
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, PositiveInt
from spacy.tokens import Doc, Span


class ScopeRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    negations: list[str] = Field(min_length=1)
    # Words that may stand between a negation and its cue ("echt", "helemaal", "enkel").
    fillers: list[str] = Field(default_factory=list)
    reach_before: PositiveInt = 3   # at most this many fillers between negation and cue
    reach_after: PositiveInt = 2
    clause_breaks: list[str] = Field(default_factory=list)
    contrast: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Scope:
    """The rules as lowercase sets; built once per language, read-only."""

    negations: frozenset[str]
    fillers: frozenset[str]
    reach_before: int
    reach_after: int
    clause_breaks: frozenset[str]
    contrast: frozenset[str]

    @classmethod
    def of(cls, rules: ScopeRules) -> Scope:
        def lower(words: list[str]) -> frozenset[str]:
            return frozenset(w.lower() for w in words)

        return cls(lower(rules.negations), lower(rules.fillers), rules.reach_before, rules.reach_after,
                   lower(rules.clause_breaks), lower(rules.contrast))

    def negation_of(self, span: Span, gaps: tuple[int, ...] = ()) -> int | None:
        """The token index of the negation that negates `span`, or None.

        `gaps`: token indices inside the span matched by a wildcard of a token pattern."""
        doc = span.doc
        for i in gaps:
            if doc[i].lower_ in self.negations:
                return i
        found = self._look(doc, range(span.start - 1, max(-1, span.start - 2 - self.reach_before), -1))
        if found is None:
            found = self._look(doc, range(span.end, min(len(doc), span.end + 1 + self.reach_after)))
        return found

    def _look(self, doc: Doc, indices: range) -> int | None:
        for i in indices:
            token = doc[i]
            if token.is_space:
                continue
            lower = token.lower_
            if lower in self.negations:
                return i
            if token.is_punct or token.is_sent_start or lower in self.clause_breaks or lower not in self.fillers:
                return None
        return None

    def contrast_after(self, span: Span) -> tuple[int, bool] | None:
        """The first contrast word after `span` in its sentence, or opening the next sentence:
        (its index, whether only punctuation and fillers stand between)."""
        doc = span.doc
        bare = True
        sentence_end = span.sent.end
        for i in range(span.end, min(len(doc), sentence_end + 2)):
            token = doc[i]
            if token.lower_ in self.contrast:
                return i, bare and i < sentence_end
            if i >= sentence_end and not token.is_punct and not token.is_space:
                return None  # the next sentence opens with something else
            if not (token.is_punct or token.is_space or token.lower_ in self.fillers):
                bare = False
        return None

    def taken_back(self, span: Span, penalties: list[Span], bare_counts: bool) -> bool:
        """A contrast followed, in its sentence, by a penalty cue ("excuses, maar dat staat in
        de voorwaarden"), or with `bare_counts` a bare one ("sorry, maar ...")."""
        found = self.contrast_after(span)
        if found is None:
            return False
        index, bare = found
        if bare and bare_counts:
            return True
        sentence = span.doc[index].sent
        return any(index < p.start < sentence.end for p in penalties)

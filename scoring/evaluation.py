"""Everything a dimension may look at while scoring one reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc

from scoring.config import Medium, ScoringConfig, messages
from scoring.languagetool import GrammarCheck
from scoring.model import Finding, ReplyContext, Severity
from scoring.nlp import load_nlp
from scoring.sentiment import CustomerMood, customer_mood


@dataclass
class Evaluation:
    reply: str
    doc: Doc
    context: ReplyContext
    medium_id: str
    medium: Medium
    config: ScoringConfig
    grammar: GrammarCheck | None = None
    # What one step of the pipeline leaves for a later one (e.g. the rubric's moves made).
    shared: dict = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.context.language

    @property
    def public(self) -> bool:
        return self.medium.public if self.context.public is None else self.context.public

    @cached_property
    def customer_doc(self) -> Doc:
        """What this reply answers: the customer's messages since the agent's previous reply
        (all of them outside a conversation). Their mood decides what is due."""
        return load_nlp(self.language)(self.context.new_customer_text)

    @cached_property
    def thread_doc(self) -> Doc:
        """Everything the customer wrote in this conversation."""
        if self.context.new_customer_messages is None:
            return self.customer_doc
        return load_nlp(self.language)(self.context.customer_text)

    @cached_property
    def customer_mood(self) -> CustomerMood | None:
        """The mood of what this reply answers, computed once for tone and the rubric; None
        when there is no customer message (quick score without one)."""
        if not self.context.customer_text.strip():
            return None
        return customer_mood(self.customer_doc, self.language)

    @cached_property
    def reply_keys(self) -> Doc:
        """The reply's lemma-key doc for phrase cues, built once for every dimension."""
        from scoring.similarity import key_doc

        return key_doc(self.doc)

    @cached_property
    def customer_keys(self) -> Doc:
        from scoring.similarity import key_doc

        return key_doc(self.customer_doc)

    @property
    def whole_reply(self) -> tuple[int, int]:
        return (0, len(self.reply))

    def points(self, severity: Severity) -> float:
        return self.config.severity_points[severity]

    def finding(
        self,
        dimension: str,
        rule: str,
        severity: Severity,
        span: tuple[int, int] | None = None,
        points: float | None = None,
        suggestion: str | None = None,
        **values: object,
    ) -> Finding:
        """A finding whose message comes from content/messages/<trainee language>/ (with the
        rule's `formal_suggestions` entry as advice on a formal medium).

        `values` fill the message's {placeholders}; `suggestion` overrides the file's one
        (LanguageTool's replacements, for example)."""
        texts = messages(self.context.trainee_language)
        text = texts.rules.get(rule)
        if text is None:
            raise KeyError(f"rule '{rule}' has no message in content/messages/{self.context.trainee_language}.yaml")
        message = text.message.format(**values)
        advice = text.suggestion
        if self.medium.formality == "formal":
            # A formal medium (u-form) gets the advice written for it: never "Hoi Sanne" in an e-mail.
            advice = texts.formal_suggestions.get(rule, advice)
        if suggestion is None and advice:
            suggestion = advice.format(**values)
        return Finding(
            dimension=dimension,
            severity=severity,
            rule=rule,
            span=span if span is not None else self.whole_reply,
            message=message,
            suggestion=suggestion,
            points=self.points(severity) if points is None else points,
        )

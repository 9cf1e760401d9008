"""Render a scorecard: first the three fixes worth most, then the scores, the reply with problem
spans highlighted, and every finding."""

from __future__ import annotations

import streamlit as st

from scoring.model import Scorecard, Severity
from trainer.components.markdown import escape, html_text
from trainer.i18n import t

SEVERITY_COLOUR = {
    Severity.critical: "#f8c4c4",
    Severity.major: "#fde2b8",
    Severity.minor: "#fff3b0",
    Severity.info: "#e3ecf7",
}

# Six dimensions in one row cut their labels off ("Snel…") in the practise page's narrow
# column; in rows of three every label and score reads in full down to a 1024 px window.
DIMENSIONS_PER_ROW = 3


def highlighted_reply(reply: str, card: Scorecard) -> str:
    """HTML of the reply with finding spans marked. The reply is escaped for HTML and Markdown
    alike: a reply containing HTML, script or Markdown is shown literally, never interpreted."""
    marks = sorted(
        (f for f in card.findings if f.span[1] > f.span[0] and f.span != (0, len(reply))),
        key=lambda f: (f.span[0], -f.span[1]),
    )
    parts, cursor = [], 0
    for finding in marks:
        start, end = finding.span
        if start < cursor:  # overlapping spans: the first one wins
            continue
        parts.append(html_text(reply[cursor:start]))
        colour = SEVERITY_COLOUR[finding.severity]
        title = html_text(finding.message)
        parts.append(f'<mark style="background:{colour}" title="{title}">{html_text(reply[start:end])}</mark>')
        cursor = end
    parts.append(html_text(reply[cursor:]))
    return "".join(parts)


def reply_box(reply: str, card: Scorecard) -> str:
    """The reply in its bordered box, as the Markdown (with HTML) that `render` shows."""
    return f'<div style="padding:.75em;border:1px solid #ddd;border-radius:8px">{highlighted_reply(reply, card)}</div>'


def top_fix_lines(card: Scorecard, language: str) -> list[tuple[str, str | None]]:
    """The scorecard's lead: its three fixes worth most, each a line with what it is worth and
    the advice under it."""
    lines = []
    for number, fix in enumerate(card.top_fixes, 1):
        worth = t("score.fix_fails", language) if fix.severity is Severity.critical else t(
            "score.fix_gain", language, points=f"{fix.gain:g}")
        advice = fix.suggestion if fix.suggestion and f"'{fix.suggestion}'" not in fix.message else None
        lines.append((f"{number}. {fix.message} ({worth})", advice))
    return lines


def render(reply: str, card: Scorecard, *, language: str) -> None:
    # The scorecard leads with what to do: the three fixes worth most points.
    lines = top_fix_lines(card, language)
    if lines:
        st.markdown(f"**{t('score.top_fixes', language)}**")
        for line, advice in lines:
            st.text(line)
            if advice:
                st.caption(f"→ {advice}")
    verdict = t("score.passed" if card.passed else "score.failed", language)
    st.metric(t("score.total", language), f"{card.total:.0f}/100", verdict,
              delta_color="normal" if card.passed else "inverse")
    dimensions = list(card.dimensions.items())
    for start in range(0, len(dimensions), DIMENSIONS_PER_ROW):
        row = st.columns(DIMENSIONS_PER_ROW, gap="small")
        for column, (name, dimension) in zip(row, dimensions[start:start + DIMENSIONS_PER_ROW]):
            value = f"{dimension.score:.0f}" if dimension.checked else "—"
            column.metric(t(f"dimension.{name}", language), value)
    # Below the scores, not in a help icon: the icon alone cuts "Substance" off at 1024 px.
    st.caption(t("score.weights", language, weights=" · ".join(
        f"{t(f'dimension.{name}', language)} {dimension.weight:g}" for name, dimension in dimensions)))
    for name, dimension in dimensions:
        if dimension.note:
            st.caption(f"{t(f'dimension.{name}', language)}: {escape(dimension.note)}")
    for note in card.notes:
        st.warning(escape(note))
    st.markdown(reply_box(reply, card), unsafe_allow_html=True)
    for finding in sorted(card.findings, key=lambda f: list(Severity).index(f.severity), reverse=True):
        icon = {"critical": "⛔", "major": "⚠️", "minor": "✏️", "info": "ℹ️"}[finding.severity.value]
        lost = f" (−{finding.points:g})" if finding.points else ""
        st.text(f"{icon} {finding.message}{lost}")
        if finding.suggestion and f"'{finding.suggestion}'" not in finding.message:  # not said twice
            st.caption(f"→ {escape(finding.suggestion)}")

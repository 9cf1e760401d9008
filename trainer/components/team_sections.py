"""The Team page's read-only sections, drawn from trainer.views.team's ready-to-show data: the
members table, where the scorer and the managers disagree, a conversation with its scorecards, and
a certificate."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from trainer.components import medium_view, scorecard
from trainer.i18n import t
from trainer.views.team import Agreement, CertificateCard, MemberLine, ScoredReply, Transcript

# The team members table: column (a MemberLine field, UI text key team.<column>) -> width in pixels.
MEMBER_COLUMNS = {"name": 140, "status": 230, "attempts": 60, "replies": 65, "mean_total": 60, "pass_rate": 75,
                  "critical": 70, "weakest": 95, "last_activity": 85}


def members_table(members: list[MemberLine], language: str) -> None:
    # Fits a 1366px window with the sidebar open (~900px for the table): short headers with the full
    # meaning in their tooltip, fixed pixel widths that suit both languages, numbers as numbers.
    column = {key: t(f"team.{key}", language) for key in MEMBER_COLUMNS}
    column_help = {key: t(f"team.{key}_help", language) for key in MEMBER_COLUMNS if key != "name"}
    st.dataframe(
        pd.DataFrame([{
            **{column[key]: getattr(m, key) for key in MEMBER_COLUMNS},
            column["last_activity"]: pd.Timestamp(m.last_activity) if m.last_activity else None,
        } for m in members]),
        hide_index=True,
        column_config={
            column["name"]: st.column_config.TextColumn(width=MEMBER_COLUMNS["name"]),
            **{column[key]: st.column_config.TextColumn(width=MEMBER_COLUMNS[key], help=column_help[key])
               for key in ("status", "weakest")},
            **{column[key]: st.column_config.NumberColumn(width=MEMBER_COLUMNS[key], help=column_help[key], format="%d")
               for key in ("attempts", "replies", "mean_total", "critical")},
            column["pass_rate"]: st.column_config.NumberColumn(width=MEMBER_COLUMNS["pass_rate"],
                                                               help=column_help["pass_rate"], format="%d%%"),
            column["last_activity"]: st.column_config.DatetimeColumn(
                width=MEMBER_COLUMNS["last_activity"], help=column_help["last_activity"], format="DD-MM-YY"),
        },
    )


def agreement_section(agreement: Agreement, language: str) -> None:
    with st.expander(t("team.agreement_title", language), expanded=False):
        if not agreement.overrides:
            st.caption(t("team.agreement_none", language))
            return
        st.caption(agreement.intro)
        chart, table = st.columns([1, 1])
        chart.bar_chart(pd.Series(agreement.by_dimension, name=t("team.agreement_mean", language)), horizontal=True,
                        height=200)
        table.dataframe(pd.DataFrame(agreement.rows), hide_index=True)
        if agreement.rules:
            st.markdown(f"**{t('team.agreement_rules', language)}**")
            st.dataframe(pd.DataFrame(agreement.rules), hide_index=True)


def transcript(found: Transcript, language: str, *, review: Callable[[ScoredReply], None]) -> None:
    """Every message drawn like the medium; under each scored reply its scorecard, the remarks on
    it and, where the actor may review it, `review(reply)` (the page's override form)."""
    st.subheader(t("team.transcript", language))
    for entry in found.entries:
        if entry.system:
            st.caption(entry.text)
            continue
        st.html(medium_view.thread_html(found.medium, [entry.message], language))
        if entry.mood:
            st.caption(entry.mood)
        if (reply := entry.score) is None:
            continue
        with st.expander(reply.title, expanded=True):
            scorecard.render(entry.text, reply.scorecard, language=language)
            for remark in reply.remarks:
                st.caption(remark.caption)
                st.text(remark.text)
            if reply.may_review:
                review(reply)


def certificate(card: CertificateCard, language: str, *, pdf: Callable[[], bytes]) -> None:
    """A certificate's line, the manager's comment, why it was revoked, and its PDF (made when clicked)."""
    st.text(card.line)
    st.caption(t("team.cert_comment", language))
    st.text(card.comment)
    if card.revoke_reason:
        st.caption(t("team.revoke_reason", language))
        st.text(card.revoke_reason)
    st.download_button(t("team.cert_pdf", language), data=pdf, mime="application/pdf", file_name=card.pdf_file_name,
                       on_click="ignore", key=f"pdf_{card.id}")

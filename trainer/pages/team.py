"""Team (dialogue manager): the team at a glance, a trainee's conversations with their
scorecards, overriding a score with a comment, granting and revoking certificates, the
certificate PDF and a CSV export.

Every read and write goes through a service that checks the user's rights again; a refusal
(PermissionDenied) shows a polite message and nothing else. `?trainee=<id>` and
`?attempt=<id>` link straight to a trainee or a conversation (the same checks apply).
"""

from __future__ import annotations

import io
from datetime import timedelta
from functools import partial

import pandas as pd
import streamlit as st
from sqlmodel import select

from scoring.config import media_catalogue, scoring_config
from scoring.model import Scorecard
from trainer.components import frame, medium_view, refusal, scorecard
from trainer.components.markdown import escape
from trainer.components.typing_table import typing_results_table
from trainer.db.engine import session_scope
from trainer.db.models import Role, User
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import accounts, attempts, certification, export, reviews, rights, scorer_agreement, typing_test
from trainer.services import progress as progress_service
from trainer.services.certification import Status
from trainer.services.policy import load_policy
from trainer.services.limits import InputTooLong
from trainer.services.rights import Action, PermissionDenied

FLASH = "team_flash"  # (where, message): a confirmation to show after the rerun that follows a change
TAB = "team_tab"  # the open tab of the trainee's section (its label)
ACTIVE_DAYS = 7  # "practising": a scored reply in this many days
STUCK_AFTER_REPLIES = 5  # judge "stuck" only after this many replies
# The team members table: column (UI text key team.<column>) -> width in pixels.
MEMBER_COLUMNS = {"name": 140, "status": 230, "attempts": 60, "replies": 65, "mean_total": 60, "pass_rate": 75,
                  "critical": 70, "weakest": 95, "last_activity": 85}

user, language = frame.page()
media = media_catalogue().media
policy = load_policy()
pass_mark = scoring_config().pass_mark
st.title(t("nav.team", language))


def refuse() -> None:
    st.error(t("team.refused", language))
    st.stop()


def done(message: str, where: str) -> None:
    """Confirm a change after the rerun it needs, at `where` (see show_flash): beside the form the
    manager used, since the top of the page may be far out of sight by then."""
    st.session_state[FLASH] = (where, message)
    st.rerun()


def show_flash(where: str) -> None:
    if flash and flash[0] == where:
        st.success(flash[1])


def level_name(level: str) -> str:
    return policy.levels[level].name(language) if level in policy.levels else level


def dimension_label(name: str) -> str:
    return t(f"dimension.{name}", language)


def when(moment) -> str:
    return f"{moment:%d-%m-%Y %H:%M}" if moment else "—"


def reason(unmet: certification.Unmet) -> str:
    """Why a requirement is unmet, with skills and media by name (texts shared with My progress)."""
    params = unmet.params
    medium = params.get("medium")
    texts = {
        "requires_level": lambda: t("progress.req_level", language, level=level_name(params["required"])),
        "medium_not_passed": lambda: t("progress.req_medium", language,
                                       medium=media[medium].name(language) if medium in media else medium),
        "scenario_type_not_passed": lambda: t("progress.req_type", language,
                                              scenario_type=t(f"type.{params['scenario_type']}", language)),
        "dimension_unscored": lambda: t("progress.reason_unscored", language,
                                        dimension=dimension_label(params["dimension"]), window=params["window"]),
        "dimension_below_minimum": lambda: t("progress.reason_below", language, dimension=dimension_label(params["dimension"]),
                                             score=params["score"], minimum=params["minimum"], window=params["window"]),
        "critical_findings": lambda: t("progress.reason_critical", language, count=params["count"], window=params["window"]),
        "group_drills": lambda: t("progress.reason_drills", language, done=params["count"], count=params["minimum"]),
    }
    return texts[unmet.code]() if unmet.code in texts else unmet.message(language)


def csv_bytes(team_id: int) -> bytes:
    with session_scope() as session:
        buffer = io.StringIO()
        export.write_csv(export.attempt_rows(session=session, actor=user, team_id=team_id), buffer)
    return buffer.getvalue().encode("utf-8")


def pdf_bytes(certification_id: int) -> bytes:
    with session_scope() as session:
        return certification.certificate_pdf(session=session, actor=user, certification_id=certification_id,
                                             language=language)


# Taken on every run, so a confirmation whose place is not shown this time never turns up later.
flash: tuple[str, str] | None = st.session_state.pop(FLASH, None)

with session_scope() as session:
    teams = accounts.list_teams(session=session, actor=user)
if not teams:
    if Role(user.role) is Role.trainee:
        refuse()
    st.info(t("team.no_teams", language))
    st.stop()

# ------------------------------------------------------------------ the team at a glance

team_names = {team.id: team.name for team in teams}
team_ids = {team.name: team.id for team in teams}  # names are unique; AppTest picks options by label
team_id = team_ids[st.selectbox(t("team.pick", language), list(team_ids), key="team_pick")]
try:
    with session_scope() as session:
        overview = progress_service.team_overview(session=session, actor=user, team_id=team_id)
        ready = {
            level: {trainee.id: check.eligible for trainee, check in
                    certification.team_eligibility(session=session, actor=user, team_id=team_id, level=level)}
            for level in policy.levels
        }
        held = {
            member.user_id: {c.level for c in certification.list_certifications(
                session=session, actor=user, trainee_id=member.user_id) if certification.status_of(c) is Status.valid}
            for member in overview.members
        }
except PermissionDenied:
    refuse()

st.caption(t("team.intro", language))


def status(member: progress_service.MemberRow) -> str:
    labels = []
    if member.replies == 0:
        labels.append(t("team.status_new", language))
    else:
        recent = member.last_activity and utcnow() - member.last_activity <= timedelta(days=ACTIVE_DAYS)
        labels.append(t("team.status_practising" if recent else "team.status_idle", language))
        if member.replies >= STUCK_AFTER_REPLIES and (
            (member.mean_total or 0) < pass_mark or (member.pass_rate or 0) < 0.5
        ):
            labels.append(t("team.status_stuck", language))
    for level in policy.levels:
        if level in held[member.user_id]:
            labels.append(t("team.status_certified", language, level=level_name(level)))
        elif ready[level].get(member.user_id):
            labels.append(t("team.status_eligible", language, level=level_name(level)))
    return ", ".join(labels)


st.subheader(t("team.members", language))
if not overview.members:
    st.info(t("team.no_members", language))
    st.stop()
# Fits a 1366px window with the sidebar open (~900px for the table): short headers with the full
# meaning in their tooltip, fixed pixel widths that suit both languages, numbers as numbers.
column = {key: t(f"team.{key}", language) for key in MEMBER_COLUMNS}
column_help = {key: t(f"team.{key}_help", language) for key in MEMBER_COLUMNS if key != "name"}
st.dataframe(
    pd.DataFrame([{
        column["name"]: m.full_name,
        column["status"]: status(m),
        column["attempts"]: m.attempts,
        column["replies"]: m.replies,
        column["mean_total"]: round(m.mean_total) if m.mean_total is not None else None,
        column["pass_rate"]: round(100 * m.pass_rate) if m.pass_rate is not None else None,
        column["critical"]: m.critical_findings,
        column["weakest"]: dimension_label(m.weakest_dimension) if m.weakest_dimension else None,
        column["last_activity"]: pd.Timestamp(m.last_activity) if m.last_activity else None,
    } for m in overview.members]),
    hide_index=True,
    column_config={
        column["name"]: st.column_config.TextColumn(width=MEMBER_COLUMNS["name"]),
        column["status"]: st.column_config.TextColumn(width=MEMBER_COLUMNS["status"], help=column_help["status"]),
        **{column[key]: st.column_config.NumberColumn(width=MEMBER_COLUMNS[key], help=column_help[key], format="%d")
           for key in ("attempts", "replies", "mean_total", "critical")},
        column["pass_rate"]: st.column_config.NumberColumn(width=MEMBER_COLUMNS["pass_rate"], help=column_help["pass_rate"],
                                                           format="%d%%"),
        column["weakest"]: st.column_config.TextColumn(width=MEMBER_COLUMNS["weakest"], help=column_help["weakest"]),
        column["last_activity"]: st.column_config.DatetimeColumn(
            width=MEMBER_COLUMNS["last_activity"], help=column_help["last_activity"], format="DD-MM-YY"),
    },
)
st.caption(t("team.legend", language, days=ACTIVE_DAYS, replies=STUCK_AFTER_REPLIES, mark=f"{pass_mark:g}"))

left, right = st.columns([3, 1])
if overview.by_dimension:
    left.markdown(f"**{t('team.dimensions', language)}**")
    left.bar_chart(pd.Series({dimension_label(n): round(v, 1) for n, v in overview.by_dimension.items()}, name="0–100"),
                   horizontal=True, height=220)
right.download_button(
    t("team.export", language), data=partial(csv_bytes, team_id), mime="text/csv", on_click="ignore",
    file_name=f"webcare-{team_names[team_id].lower().replace(' ', '-')}-{utcnow():%Y%m%d}.csv", key="team_export",
)



def agreement_section() -> None:
    """Where this team's managers and the scorer disagree: the managers' overrides against it."""
    with session_scope() as session:
        agreement = scorer_agreement.scorer_vs_managers(session=session, actor=user, team_id=team_id)
    with st.expander(t("team.agreement_title", language), expanded=False):
        if not agreement.overrides:
            st.caption(t("team.agreement_none", language))
            return
        st.caption(t("team.agreement_intro", language, count=agreement.overrides))
        label = {d.dimension: t("team.agreement_total", language) if d.dimension == scorer_agreement.TOTAL
                 else dimension_label(d.dimension) for d in agreement.by_dimension}
        chart, table = st.columns([1, 1])
        chart.bar_chart(pd.Series({label[d.dimension]: round(d.mean_difference, 1) for d in agreement.by_dimension},
                                  name=t("team.agreement_mean", language)), horizontal=True, height=200)
        table.dataframe(pd.DataFrame([{
            t("team.agreement_part", language): label[d.dimension],
            t("team.agreement_overrides", language): d.overrides,
            t("team.agreement_mean", language): f"{d.mean_difference:+.1f}",
            t("team.agreement_absolute", language): round(d.mean_absolute_difference, 1),
            t("team.agreement_raised", language): d.raised,
            t("team.agreement_lowered", language): d.lowered,
        } for d in agreement.by_dimension]), hide_index=True)
        if agreement.most_overruled:
            st.markdown(f"**{t('team.agreement_rules', language)}**")
            st.dataframe(pd.DataFrame([{
                t("team.agreement_rule", language): r.rule,
                t("team.agreement_part", language): dimension_label(r.dimension),
                t("team.agreement_overrides", language): r.overrides,
                t("team.agreement_example", language): r.example,
            } for r in agreement.most_overruled]), hide_index=True)


agreement_section()

# ------------------------------------------------------------------ one trainee

st.divider()
linked_attempt = st.query_params.get("attempt")
linked_trainee = st.query_params.get("trainee")
names = {m.user_id: m.full_name for m in overview.members}
if linked_attempt and linked_attempt.isdigit():
    try:
        with session_scope() as session:
            trainee_id = attempts.attempt_detail(session=session, actor=user, attempt_id=int(linked_attempt)).attempt.user_id
    except (PermissionDenied, attempts.AttemptError):
        refuse()
elif linked_trainee and linked_trainee.isdigit():
    trainee_id = int(linked_trainee)
else:
    trainee_id = st.selectbox(t("team.trainee", language), list(names), format_func=names.get, key="team_trainee")

try:
    with session_scope() as session:
        history = attempts.list_attempts(session=session, actor=user, trainee_id=trainee_id)
        certificates = certification.list_certifications(session=session, actor=user, trainee_id=trainee_id)
        checks = {level: certification.check_eligibility(session=session, actor=user, trainee_id=trainee_id, level=level)
                  for level in policy.levels}
        typing_results = typing_test.list_results(session=session, actor=user, trainee_id=trainee_id)
        trainee = session.get(User, trainee_id)
        may_certify = rights.can(user, Action.certify, trainee, session=session)
        may_revoke = rights.can(user, Action.revoke, trainee, session=session)
except (PermissionDenied, attempts.AttemptError):
    refuse()

st.header(escape(trainee.full_name))
# Stateful tabs (a key, rerun on change): the server knows the open tab, so the rerun after a save
# keeps the manager on the tab they were working in instead of jumping back to the first.
TAB_TITLES = ("team.history", "team.certification", "nav.typing")
# The open tab is remembered by its label: after a language switch, the same tab in the new language.
for title in TAB_TITLES:
    if st.session_state.get(TAB) in {t(title, other) for other in ("nl", "en")}:
        st.session_state[TAB] = t(title, language)
history_tab, certification_tab, typing_tab = st.tabs([t(title, language) for title in TAB_TITLES],
                                                     key=TAB, on_change="rerun")


def outcome_label(outcome: str) -> str:
    return t(f"team.outcome_{outcome}", language)


def attempt_label(attempt) -> str:
    medium = media[attempt.medium].name(language) if attempt.medium in media else attempt.medium
    return f"#{attempt.id} · {when(attempt.started_at)} · {attempt.scenario_id} · {medium} · {outcome_label(attempt.outcome)}"


def override_form(score_id: int, card: Scorecard) -> None:
    # A saved form starts empty again: each save moves the widgets to new keys (fresh defaults).
    # A refused save (no comment, no right) keeps the same keys, so nothing typed is lost.
    saves = f"override_saves_{score_id}"
    form_key = f"override_{score_id}_{st.session_state.get(saves, 0)}"
    with st.form(form_key):
        dimension = st.selectbox(t("team.override_dimension", language), ["", *card.dimensions], key=f"{form_key}_dimension",
                                 format_func=lambda d: dimension_label(d) if d else t("team.override_total", language))
        value = st.number_input(t("team.override_value", language), min_value=0.0, max_value=100.0,
                                value=float(round(card.total)), step=1.0, format="%.0f", key=f"{form_key}_value")
        comment = st.text_area(t("team.comment", language), height=80, key=f"{form_key}_comment")
        left, right = st.columns(2)
        override_clicked = left.form_submit_button(t("team.override", language), type="primary")
        comment_clicked = right.form_submit_button(t("team.comment_only", language))
    show_flash(f"override_{score_id}")
    if not (override_clicked or comment_clicked):
        return
    if not comment.strip():
        st.error(t("team.comment_needed", language))
        return
    try:
        with session_scope() as session:
            if override_clicked:
                reviews.override_score(session=session, actor=user, score_id=score_id, override=value,
                                       reason=comment, dimension=dimension or None)
            else:
                reviews.add_review(session=session, actor=user, score_id=score_id, comment=comment)
    except InputTooLong as exc:
        st.error(refusal.too_long(exc, language))
        return
    except PermissionDenied:
        st.error(t("team.not_allowed", language))
        return
    st.session_state[saves] = st.session_state.get(saves, 0) + 1
    done(t("team.overridden" if override_clicked else "team.reviewed", language), f"override_{score_id}")


def transcript(attempt_id: int) -> None:
    try:
        with session_scope() as session:
            detail = attempts.attempt_detail(session=session, actor=user, attempt_id=attempt_id)
            may_review = rights.can(user, Action.review, detail.attempt, session=session)
            reviewer_ids = {r.reviewer_id for s in detail.turns for r in [*s.reviews, *s.overrides]}
            people = dict(session.exec(select(User.id, User.full_name).where(User.id.in_(reviewer_ids))).all())  # type: ignore[attr-defined]
    except PermissionDenied:
        refuse()
    medium = media[detail.attempt.medium]
    st.subheader(t("team.transcript", language))
    for scored in detail.turns:
        turn = scored.turn
        if turn.speaker == "system":
            st.caption(escape(turn.text))
            continue
        customer = turn.speaker == "customer"
        view = medium_view.MessageView(text=turn.text, from_customer=customer,
                                       author=t("team.customer", language) if customer else detail.trainee.full_name)
        st.html(medium_view.thread_html(medium, [view], language))
        if scored.score is None:
            continue
        card = Scorecard.from_public_dict(scored.score.scorecard)
        verdict = t("score.passed" if card.passed else "score.failed", language)
        with st.expander(t("team.score_title", language, total=f"{card.total:.0f}", verdict=verdict), expanded=True):
            scorecard.render(turn.text, card, language=language)
            for review in scored.reviews:
                st.caption(t("team.review_by", language, name=escape(people.get(review.reviewer_id, "?")), when=when(review.created_at)))
                st.text(review.comment)
            for override in scored.overrides:
                what = (t("team.what_dimension", language, dimension=dimension_label(override.dimension))
                        if override.dimension else t("team.what_total", language))
                automatic = f"{override.automatic_score:.0f}" if override.automatic_score is not None else "—"
                st.caption(t("team.override_by", language, name=escape(people.get(override.reviewer_id, "?")), what=what,
                             automatic=automatic, override=f"{override.override_score:.0f}", when=when(override.created_at)))
                st.text(override.reason)
            if may_review:
                override_form(scored.score.id, card)


with history_tab:
    if not history:
        st.info(t("team.no_attempts", language))
    else:
        st.dataframe(
            [{
                "#": a.id,
                t("team.when", language): when(a.started_at),
                t("team.scenario", language): a.scenario_id,
                t("team.type", language): t(f"type.{a.scenario_type}", language),
                t("team.medium", language): media[a.medium].name(language) if a.medium in media else a.medium,
                t("team.outcome", language): outcome_label(a.outcome),
            } for a in history],
            hide_index=True, height=min(36 * (len(history) + 1) + 2, 320),
        )
        by_id = {a.id: a for a in history}
        ids = list(by_id)
        chosen = int(linked_attempt) if linked_attempt and linked_attempt.isdigit() and int(linked_attempt) in by_id else None
        attempt_id = st.selectbox(t("team.pick_attempt", language), ids, format_func=lambda i: attempt_label(by_id[i]),
                                  index=ids.index(chosen) if chosen else 0, key="team_attempt")
        transcript(attempt_id)


def revoke_form(certification_id: int) -> None:
    with st.form(f"revoke_{certification_id}"):
        reason = st.text_input(t("team.revoke_reason", language))
        clicked = st.form_submit_button(t("team.revoke", language))
    if not clicked:
        return
    if not reason.strip():
        st.error(t("team.comment_needed", language))
        return
    try:
        with session_scope() as session:
            certification.revoke(session=session, actor=user, certification_id=certification_id, reason=reason)
    except InputTooLong as exc:
        st.error(refusal.too_long(exc, language))
        return
    except PermissionDenied:
        st.error(t("team.not_allowed", language))
        return
    done(t("team.revoked", language), "certification")


def grant_form(level: str) -> None:
    with st.form("grant"):
        comment = st.text_area(t("team.grant_comment", language), height=80)
        clicked = st.form_submit_button(t("team.grant", language), type="primary")
    if not clicked:
        return
    if not comment.strip():
        st.error(t("team.comment_needed", language))
        return
    try:
        with session_scope() as session:
            granted = certification.grant(session=session, actor=user, trainee_id=trainee_id, level=level, comment=comment)
    except InputTooLong as exc:
        st.error(refusal.too_long(exc, language))
        return
    except PermissionDenied:
        st.error(t("team.not_allowed", language))
        return
    except certification.NotEligible as refused:
        st.error(t("team.not_eligible", language, name=escape(trainee.full_name), level=level_name(level)))
        for unmet in refused.eligibility.unmet:
            st.text(f"❌ {reason(unmet)}")
        return
    done(t("team.granted", language, level=level_name(level), code=granted.verification_code), "certification")


with certification_tab:
    show_flash("certification")
    if not certificates:
        st.info(t("team.no_certs", language))
    for found in certificates:
        state = certification.status_of(found)
        with st.container(border=True):
            st.text(t("team.cert_line", language, level=level_name(found.level), status=t(f"team.cert_status_{state.value}", language),
                      granted=f"{found.granted_at:%d-%m-%Y}", expires=f"{found.expires_at:%d-%m-%Y}", code=found.verification_code))
            st.caption(t("team.cert_comment", language))
            st.text(found.comment)
            if found.revoke_reason:
                st.caption(t("team.revoke_reason", language))
                st.text(found.revoke_reason)
            st.download_button(t("team.cert_pdf", language), data=partial(pdf_bytes, found.id), mime="application/pdf",
                               file_name=f"certificaat-{found.verification_code}.pdf", on_click="ignore", key=f"pdf_{found.id}")
            if state is Status.valid and may_revoke:
                revoke_form(found.id)

    st.subheader(t("team.grant_title", language))
    valid_levels = {c.level for c in certificates if certification.status_of(c) is Status.valid}
    # One key per trainee: a level picked for one trainee must not carry over to the next.
    level = st.selectbox(t("team.cert_level", language), list(policy.levels), format_func=level_name,
                         key=f"grant_level_{trainee_id}")
    check = checks[level]
    if level in valid_levels:
        st.info(t("team.already_held", language, name=escape(trainee.full_name), level=level_name(level)))
    elif check.eligible:
        st.success(t("team.eligible", language, name=escape(trainee.full_name), level=level_name(level)))
        if may_certify:
            grant_form(level)
        else:
            st.caption(t("team.only_managers_grant", language))
    else:
        st.warning(t("team.not_eligible", language, name=escape(trainee.full_name), level=level_name(level)))
        for unmet in check.unmet:
            st.text(f"❌ {reason(unmet)}")

with typing_tab:
    if not typing_results:
        st.info(t("team.no_typing", language))
    else:
        typing_results_table(typing_results, language, when=when)

"""The dialogue manager's drill room: create a drill from a template for a team, start, pause,
resume and stop it, inject a message, speak as a customer, and watch the live dashboard.

Observers (another manager of the team, an admin) see the dashboard without the controls;
the services refuse them anyway. The dashboard refreshes by itself in a fragment, so the
forms below it keep what the manager is typing.
"""

from __future__ import annotations

import streamlit as st

import scenarios
from scenarios.drills import templates_for
from scoring.config import media_catalogue
from trainer.components import clock, drill_desk, frame, refusal
from trainer.components.markdown import escape
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import drills
from trainer.services.drills import dashboard, debrief
from trainer.services.limits import InputTooLong
from trainer.services.rights import Action

REFRESH_SECONDS = 3
RUN = "drill_manager_run"
CONTROL_NOTE = "drill_manager_control_note"

user, language = frame.page()
st.title(t("nav.drill_manager", language))
media = media_catalogue().media


def _control(service, run_id: str) -> None:
    """Start, pause, resume or stop. A second click or a second tab may find the drill already
    in that state: that is no incident, the screen shows the state it is in."""
    try:
        with session_scope() as session:
            service(session=session, actor=user, run_id=run_id)
    except drills.NotYours:
        raise
    except (drills.DrillError, drills.NotFound):
        st.session_state[CONTROL_NOTE] = t("drills.control_stale", language)


with session_scope() as session:
    teams = drills.teams_to_run(session=session, actor=user)
    runs = drills.drills_for(session=session, actor=user, may=Action.watch_drill)

if teams:
    with st.expander(t("drills.new_drill", language), expanded=not runs):
        templates = {tpl.id: tpl for tpl in templates_for()}
        with st.form("new_drill"):
            template_id = st.selectbox(t("drills.template", language), list(templates),
                                       format_func=lambda tid: f"{templates[tid].title} ({t(f'drills.template_language.{templates[tid].language}', language)})")
            team_names = dict(teams)
            team_id = st.selectbox(t("drills.team", language), list(team_names), format_func=lambda tid: team_names[tid])
            create = st.form_submit_button(t("drills.create", language), type="primary")
        if create:
            with session_scope() as session:
                run = drills.create_drill(session=session, actor=user, template_id=template_id, team_id=team_id)
            st.session_state[RUN] = run.id
            st.rerun()
        st.caption(templates[template_id].story if template_id else "")

if not runs:
    st.info(t("drills.no_drills", language))
    st.stop()

run_ids = [r.id for r in runs]
if st.session_state.get(RUN) not in run_ids:
    st.session_state[RUN] = run_ids[0]
st.selectbox(t("drills.choose_drill", language), run_ids, key=RUN,
             format_func=lambda rid: next(f"{r.title} · {t(f'drills.status.{r.status}', language)}" for r in runs if r.id == rid))
run_id = st.session_state[RUN]
with session_scope() as session:
    runs_it = drills.may_run_drill(session=session, actor=user, run_id=run_id)
    current = drills.run_summary(session=session, actor=user, run_id=run_id)

if runs_it:
    controls = st.columns(4)
    actions = [
        ("start", drills.start_drill, current.status == drills.DrillStatus.created),
        ("pause", drills.pause_drill, current.status == drills.DrillStatus.running),
        ("resume", drills.resume_drill, current.status == drills.DrillStatus.paused),
        ("stop", drills.stop_drill, current.status in drills.ACTIVE),
    ]
    for column, (name, service, enabled) in zip(controls, actions):
        # A callback, not the button's return value: the dashboard fragment reruns every few
        # seconds, and a click that arrives during such a rerun would otherwise be lost.
        column.button(t(f"drills.{name}", language), key=f"drill_{name}", disabled=not enabled,
                      type="primary" if name == "start" else "secondary",
                      on_click=_control, args=(service, run_id))
    if st.session_state.get(CONTROL_NOTE):
        st.info(st.session_state.pop(CONTROL_NOTE))
else:
    st.caption(t("drills.observer_note", language))


@st.fragment(run_every=REFRESH_SECONDS)
def live_dashboard() -> None:
    with session_scope() as session:
        drills.advance(session=session, actor=user, run_id=run_id)
        run = drills.run_summary(session=session, actor=user, run_id=run_id)
        board = dashboard.dashboard(session=session, actor=user, run_id=run_id)
    st.subheader(run.title)
    st.caption(t("drills.duration", language, duration=clock.minutes(run.duration_seconds)))
    top = st.columns(6)
    top[0].metric(t("drills.clock", language), clock.minutes(run.seconds))
    top[1].metric(t("drills.status", language), t(f"drills.status.{run.status}", language))
    top[2].metric(t("drills.arrived", language), board.arrived)
    top[3].metric(t("drills.waiting", language), sum(q.waiting for q in board.queue))
    top[4].metric(t("drills.breaching_now", language), board.breaching_now)
    top[5].metric(t("drills.late_replies", language), board.late_replies)
    meter = st.columns(5)  # the webcaremeter is drawn below (drill_desk)
    meter[0].metric(t("drills.double_answers", language), board.double_answers)
    meter[1].metric(t("drills.never_answered", language), board.never_answered)
    meter[2].metric(t("drills.evenness", language), "–" if board.evenness is None else f"{board.evenness:.2f}")
    meter[3].metric(t("drills.noise_count", language), board.noise)
    meter[4].metric(t("drills.noise_open", language), board.noise_open)

    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('drills.queue_per_medium', language)}**")
        st.dataframe([{
            t("drills.medium", language): media[q.medium].name(language),
            t("drills.waiting", language): q.waiting,
            t("drills.oldest", language): clock.minutes(q.oldest_seconds),
            t("drills.sla", language): clock.minutes(q.sla_seconds),
            t("drills.breaching_now", language): q.breaching,
        } for q in board.queue], hide_index=True, key="queue_table")
    with right:
        st.markdown(f"**{t('drills.trainees', language)}**")
        st.dataframe([{
            t("drills.trainee", language): f.name,
            t("drills.replies", language): f.replies,
            t("drills.replies_last_minute", language): f.replies_last_minute,
            t("drills.replies_per_minute", language): f.replies_per_minute,
            t("drills.mean_score", language): f.mean_score,
            t("drills.late_replies", language): f.late_replies,
            t("drills.holding", language): ", ".join(f"#{i}" for i in f.holding),
        } for f in board.trainees], hide_index=True, key="trainee_table")
    st.markdown(f"**{t('drills.burn_down', language)}**")
    st.line_chart({
        t("drills.backlog", language): [p.backlog for p in board.burn_down],
        t("drills.arrived", language): [p.arrived for p in board.burn_down],
        t("drills.replies", language): [p.replies for p in board.burn_down],
    })
    drill_desk.dashboard_desk(board, language)


if current.status == drills.DrillStatus.stopped:
    # A stopped drill changes no more: no refreshing, the debrief instead.
    with session_scope() as session:
        report = debrief.debrief(session=session, actor=user, run_id=run_id)
    st.header(t("drills.debrief", language))
    downloads = st.columns(3)
    downloads[0].download_button(t("drills.download_pdf", language), debrief.debrief_pdf(report),
                                 file_name=f"debrief-{run_id[:8]}.pdf", mime="application/pdf")
    downloads[1].download_button(t("drills.download_conversations_csv", language), debrief.conversations_csv(report),
                                 file_name=f"debrief-{run_id[:8]}-conversations.csv", mime="text/csv")
    downloads[2].download_button(t("drills.download_trainees_csv", language), debrief.trainees_csv(report),
                                 file_name=f"debrief-{run_id[:8]}-trainees.csv", mime="text/csv")
    st.line_chart({
        t("drills.arrived", language): [p.arrived for p in report.board.burn_down],
        t("drills.backlog", language): [p.backlog for p in report.board.burn_down],
        t("drills.breaching_now", language): [p.breaching for p in report.board.burn_down],
        t("drills.replies", language): [p.replies for p in report.board.burn_down],
    })
    if report.noise:
        st.subheader(t("drills.noise.heading", language))
        st.caption(t("drills.noise.summary", language, good=report.noise_good, bad=report.noise_bad))
        st.dataframe([{
            t("drills.noise.kind_column", language): t(f"drills.noise.kind.{k.kind}", language),
            t("drills.noise.posts", language): k.posts,
            t("drills.noise.good", language): k.good,
            t("drills.noise.bad", language): k.bad,
        } for k in report.noise], hide_index=True, key="noise_table")
        for k in report.noise:
            st.markdown(f"**{t(f'drills.noise.kind.{k.kind}', language)}**: " + " ".join(
                f"{count}× {t(f'drills.noise.verdict.{code}', language)}" for code, count in k.verdicts.items()))
    drill_desk.debrief_desk(report.board, language)
    for heading, chosen in (("drills.worst", report.worst), ("drills.best", report.best)):
        st.subheader(t(heading, language))
        for r in chosen:
            with st.expander(t("drills.conversation_line", language, id=r.id, name=escape(r.customer_name),
                               medium=media[r.medium].name(language), handling=f"{r.handling:.0f}")):
                st.text("\n".join(
                    f"{clock.minutes(line.offset)} {r.customer_name if line.role == 'customer' else (line.by or 'Webcare')}: {line.text}"
                    for line in r.transcript))
else:
    live_dashboard()

if runs_it and current.status in drills.ACTIVE:
    inject_column, speak_column = st.columns(2)
    with inject_column, st.form("drill_inject", clear_on_submit=True):
        st.markdown(f"**{t('drills.inject', language)}**")
        options = {f"{s.id}|{m}": f"{s.title} · {media[m].name(language)}"
                   for s in scenarios.catalogue(current.language) for m in s.media}
        choice = st.selectbox(t("drills.inject_scenario", language), list(options), format_func=options.get)
        title = st.text_input(t("drills.inject_title", language))
        followers = st.number_input(t("drills.inject_followers", language), min_value=0, value=0, step=1000)
        injected = st.form_submit_button(t("drills.inject_send", language))
    if injected:
        scenario_id, medium = choice.split("|")
        try:
            with session_scope() as session:
                drills.inject(session=session, actor=user, run_id=run_id, scenario_id=scenario_id, medium=medium,
                              title=title.strip() or options[choice], followers=int(followers) or None)
        except InputTooLong as exc:
            st.error(refusal.too_long(exc, language))
        else:
            st.rerun()
    with speak_column:
        with session_scope() as session:
            open_items = [i for i in drills.inbox(session=session, actor=user, run_id=run_id) if not i.ended]
        with st.form("drill_speak", clear_on_submit=True):
            st.markdown(f"**{t('drills.speak_as_customer', language)}**")
            names = {i.id: f"#{i.id} {i.customer_name} ({media[i.medium].name(language)})" for i in open_items}
            target = st.selectbox(t("drills.customer", language), list(names), format_func=names.get)
            said = st.text_area(t("drills.customer_message", language), height=100)
            spoken = st.form_submit_button(t("drills.speak_send", language))
        if spoken and target is not None and said.strip():
            try:
                with session_scope() as session:
                    drills.speak_as_customer(session=session, actor=user, conversation_id=target, text=said)
            except InputTooLong as exc:
                st.error(refusal.too_long(exc, language))
            except (drills.DrillError, drills.NotFound) as exc:
                st.error(t("drills.cannot_send", language, reason=str(exc)))
            else:
                st.rerun()

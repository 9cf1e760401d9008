"""My progress: scores per skill over time, a medium x conversation-type grid, the level per
skill, the weakest skill, and the certification checklist with what is still missing."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from scoring.config import media_catalogue
from trainer.components import frame
from trainer.components.markdown import escape
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import certification
from trainer.services import progress as progress_service
from trainer.services.certification import Status
from trainer.services.policy import SCENARIO_TYPES, CertificationLevel, load_policy

# Unmet requirements whose checklist line already says all there is to say.
LINE_SAYS_IT = {"requires_level", "medium_not_passed", "scenario_type_not_passed"}

user, language = frame.page()
media = media_catalogue().media
policy = load_policy()
st.title(t("nav.progress", language))
st.caption(t("progress.intro", language))


def dimension_label(name: str) -> str:
    return t(f"dimension.{name}", language)


def medium_label(medium: str) -> str:
    return media[medium].name(language) if medium in media else medium


with session_scope() as session:
    progress = progress_service.trainee_progress(session=session, actor=user, trainee_id=user.id, language=language)
    grid = progress_service.medium_type_grid(session=session, actor=user, trainee_id=user.id)
    eligibility = {
        level: certification.check_eligibility(session=session, actor=user, trainee_id=user.id, level=level)
        for level in policy.levels
    }
    held = certification.list_certifications(session=session, actor=user, trainee_id=user.id)


def figures() -> None:
    columns = st.columns(5)
    overall = progress.overall
    columns[0].metric(t("progress.attempts", language), progress.attempts)
    columns[1].metric(t("progress.replies", language), overall.replies)
    columns[2].metric(t("progress.mean_total", language), f"{overall.mean_total:.0f}" if overall.mean_total is not None else "—")
    columns[3].metric(t("progress.pass_rate", language), f"{overall.pass_rate:.0%}" if overall.pass_rate is not None else "—")
    if progress.team_name and progress.team_mean_total is not None:
        columns[4].metric(t("progress.team_average", language), f"{progress.team_mean_total:.0f}",
                          help=t("progress.team_mean", language, team=escape(progress.team_name)))
    if progress.overrides and progress.overall_automatic and progress.overall_automatic.mean_total is not None:
        st.caption(t("feedback.overrides_note", language, count=progress.overrides,
                     automatic=f"{progress.overall_automatic.mean_total:.0f}"))


def over_time() -> None:
    st.subheader(t("progress.over_time", language))
    total = t("progress.total", language)
    rows = []
    for point in progress.over_time:
        week = point.week.isoformat()
        rows.append({"week": week, "what": total, "score": round(point.mean_total, 1)})
        rows += [{"week": week, "what": dimension_label(n), "score": round(v, 1)} for n, v in point.dimensions.items()]
    # Weeks are dates without a time: read them as UTC so no browser time zone shifts a Monday.
    chart = alt.Chart(pd.DataFrame(rows)).mark_line(point=True).encode(
        x=alt.X("utcyearmonthdate(week):T", title=t("progress.week", language), axis=alt.Axis(format="%d-%m")),
        y=alt.Y("score:Q", title=t("progress.score", language), scale=alt.Scale(zero=False)),
        color=alt.Color("what:N", title=None),
        strokeWidth=alt.condition(alt.datum.what == total, alt.value(4), alt.value(1.5)),
        tooltip=["week:T", "what:N", "score:Q"],
    )
    st.altair_chart(chart)


def skills() -> None:
    st.subheader(t("progress.skills", language))
    if progress.weakest_dimension:
        st.warning(t("progress.weakest", language, dimension=dimension_label(progress.weakest_dimension),
                     score=f"{progress.by_dimension[progress.weakest_dimension]:.0f}"))
    st.dataframe(
        [{
            t("progress.skill", language): dimension_label(name),
            t("progress.your_mean", language): round(progress.by_dimension.get(name, 0.0)),
            t("progress.team_average", language):
                round(progress.team_by_dimension[name]) if name in progress.team_by_dimension else None,
            t("progress.recent", language): round(skill.recent_score),
            t("progress.level", language): skill.label,
        } for name, skill in progress.skills.items()],
        hide_index=True,
    )


def heat(mean: float | None) -> str:
    """Red below 60, amber to 75, green above: the same bands the proficiency levels use."""
    if mean is None:
        return ""
    colour = "#f8c4c4" if mean < 60 else "#fde2b8" if mean < 75 else "#c8ecd0"
    return f"background-color: {colour}"


def medium_type_grid() -> None:
    st.subheader(t("progress.grid", language))
    st.caption(t("progress.grid_help", language))
    types = [k for k in SCENARIO_TYPES if any(c.scenario_type == k for c in grid)]
    types += sorted({c.scenario_type for c in grid} - set(types))
    rows = sorted({c.medium for c in grid}, key=lambda m: list(media).index(m) if m in media else len(media))
    cells = {(c.medium, c.scenario_type): c for c in grid}
    type_label = {k: t(f"type.{k}", language) if k in SCENARIO_TYPES else k for k in types}
    text = pd.DataFrame(
        [[f"{cells[m, k].mean_total:.0f} ({cells[m, k].attempts})" if (m, k) in cells else "" for k in types] for m in rows],
        index=[medium_label(m) for m in rows], columns=[type_label[k] for k in types],
    )
    colours = pd.DataFrame(
        [[heat(cells[m, k].mean_total if (m, k) in cells else None) for k in types] for m in rows],
        index=text.index, columns=text.columns,
    )
    text.index.name = t("progress.medium", language)
    st.dataframe(text.style.apply(lambda _: colours, axis=None))


def requirements(level: CertificationLevel, unmet: list[certification.Unmet]) -> list[tuple[str, certification.Unmet | None]]:
    """Every requirement of a level as a checklist line, with the unmet reason where there is one."""
    def find(*codes: str, **params: object) -> certification.Unmet | None:
        return next((u for u in unmet if u.code in codes and all(u.params.get(k) == v for k, v in params.items())), None)

    lines = [(t("progress.req_level", language, level=policy.levels[r].name(language)), find("requires_level", required=r))
             for r in level.requires]
    lines += [(t("progress.req_medium", language, medium=medium_label(m)), find("medium_not_passed", medium=m))
              for m in level.media]
    lines += [(t("progress.req_type", language, scenario_type=t(f"type.{k}", language)),
               find("scenario_type_not_passed", scenario_type=k)) for k in level.scenario_types]
    lines += [(t("progress.req_dimension", language, dimension=dimension_label(d), minimum=f"{minimum:g}",
                 window=level.window_attempts), find("dimension_unscored", "dimension_below_minimum", dimension=d))
              for d, minimum in level.min_dimension_scores.items()]
    if level.no_critical_in_last_attempts:
        lines.append((t("progress.req_critical", language, window=level.no_critical_in_last_attempts), find("critical_findings")))
    if level.min_group_drills:
        lines.append((t("progress.req_drills", language, count=level.min_group_drills), find("group_drills")))
    return lines


def reason(unmet: certification.Unmet) -> str:
    """Why a requirement is unmet, from its code and figures, with skills and media by name."""
    params = unmet.params
    if unmet.code == "requires_level":
        return t("progress.req_level", language, level=policy.levels[params["required"]].name(language))
    if unmet.code == "medium_not_passed":
        return t("progress.req_medium", language, medium=medium_label(params["medium"]))
    if unmet.code == "scenario_type_not_passed":
        return t("progress.req_type", language, scenario_type=t(f"type.{params['scenario_type']}", language))
    if unmet.code == "dimension_unscored":
        return t("progress.reason_unscored", language, dimension=dimension_label(params["dimension"]), window=params["window"])
    if unmet.code == "dimension_below_minimum":
        return t("progress.reason_below", language, dimension=dimension_label(params["dimension"]), score=params["score"],
                 minimum=params["minimum"], window=params["window"])
    if unmet.code == "critical_findings":
        return t("progress.reason_critical", language, count=params["count"], window=params["window"])
    if unmet.code == "group_drills":
        return t("progress.reason_drills", language, done=params["count"], count=params["minimum"])
    return unmet.message(language)


def checklist() -> None:
    st.subheader(t("progress.certification", language))
    valid = {c.level: c for c in held if certification.status_of(c) is Status.valid}
    for level_id, level in policy.levels.items():
        check = eligibility[level_id]
        with st.container(border=True):
            st.markdown(f"**{level.name(language)}**")
            if level_id in valid:
                found = valid[level_id]
                st.success(t("progress.held", language, granted=f"{found.granted_at:%d-%m-%Y}",
                             expires=f"{found.expires_at:%d-%m-%Y}"))
            elif check.eligible:
                st.success(t("progress.eligible", language))
            else:
                st.warning(t("progress.missing", language, count=len(check.unmet)))
            for line, unmet in requirements(level, check.unmet):
                st.text(f"{'❌' if unmet else '✅'} {line}")
                if unmet and unmet.code not in LINE_SAYS_IT:
                    st.caption(f"↳ {reason(unmet)}")
            listed = [u for _, u in requirements(level, check.unmet) if u]
            for other in check.unmet:  # a reason the checklist has no line for still shows
                if other not in listed:
                    st.text(f"❌ {reason(other)}")


figures()
if progress.overall.replies == 0:
    st.info(t("progress.empty", language))
else:
    over_time()
    skills()
    medium_type_grid()
checklist()

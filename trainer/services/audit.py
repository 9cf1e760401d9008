"""The audit log: who did what to whom, when and why.

Changes (overrides, certifications, revocations, role changes, new users, teams and team
memberships) are recorded with `record`, which adds the entry to the caller's transaction, so the
entry and the change are stored together or not at all; a change needs a reason.

Events that change nothing (logins, failed logins, lock-outs, exports, certificate PDFs) need
no reason: `record_login` for the login code (in the caller's transaction), and
`record_access` for reads, which stores the entry in its own short write.

Admins read the log back filtered (`list_entries`) and as CSV (`entries_csv`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

from sqlmodel import Session, func, select

from trainer.db.engine import begin_write
from trainer.db.models import AuditEntry, User
from trainer.db.types import utcnow
from trainer.services.errors import Refused
from trainer.services.export_csv import csv_text
from trainer.services.rights import Action, Actor, actor_label, require

LoginOutcome = Literal["success", "failure", "lockout"]
CSV_COLUMNS = ("at", "actor", "action", "target_type", "target_id", "reason", "details")
_LABEL_MAX = 254  # AuditEntry.actor_label


class ReasonRequired(Refused):
    """Changes that land in the audit log need a reason (`action`: which change, for logs)."""

    area = "audit"


def _entry(*, actor_id: int | None, label: str, action: str, target_type: str, target_id: Any, reason: str,
           details: dict[str, Any] | None, at: datetime | None) -> AuditEntry:
    return AuditEntry(at=at or utcnow(), actor_id=actor_id, actor_label=label[:_LABEL_MAX], action=action,
                      target_type=target_type, target_id=str(target_id)[:64], reason=reason, details=details or {})


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: Any,
    reason: str,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """A change, in the caller's transaction (the caller commits)."""
    if not reason or not reason.strip():
        raise ReasonRequired("reason_required", action=action)
    entry = _entry(actor_id=actor.id, label=actor_label(actor), action=action, target_type=target_type,
                   target_id=target_id, reason=reason.strip(), details=details, at=at)
    session.add(entry)
    return entry


def record_login(
    session: Session, *, email: str, outcome: LoginOutcome, user: User | None = None, client: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """A login (`success`), a refused one (`failure`) or a lock-out (`lockout`), added to the
    caller's transaction. `user` is the account when the e-mail belongs to one; `client` the
    client's address when known. The typed e-mail is kept as typed (normalised), known or not."""
    label = email.strip().lower()
    entry = _entry(actor_id=user.id if user is not None else None, label=label, action=f"login.{outcome}",
                   target_type="user" if user is not None else "login", target_id=user.id if user is not None else label,
                   reason="", details={"client": client} if isinstance(client, str) and client else {}, at=at)
    session.add(entry)
    return entry


def record_access(
    session: Session, *, actor: Actor, action: str, target_type: str, target_id: Any,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """A read worth knowing about (an export, a PDF), stored at once in its own short write.
    Meant for read-only services: whatever the session read so far is ended first."""
    if session.in_transaction():
        session.commit()
    begin_write(session)
    entry = _entry(actor_id=actor.id, label=actor_label(actor), action=action, target_type=target_type,
                   target_id=target_id, reason="", details=details, at=None)
    session.add(entry)
    session.commit()
    return entry


def _filtered(
    *, action: str | None, target_type: str | None, actor_label: str | None, target_id: str | None,
    since: datetime | None, until: datetime | None,
):
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id:
        query = query.where(AuditEntry.target_id == str(target_id))
    if actor_label:
        query = query.where(func.lower(AuditEntry.actor_label).contains(actor_label.strip().lower(), autoescape=True))
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())  # type: ignore[attr-defined]


def list_entries(
    *, session: Session, actor: Actor, action: str | None = None, target_type: str | None = None,
    actor_label: str | None = None, target_id: str | None = None, since: datetime | None = None,
    until: datetime | None = None, limit: int = 200,
) -> list[AuditEntry]:
    """The newest entries first (admins only). `actor_label` matches part of the actor's
    e-mail; `since` is inclusive, `until` exclusive."""
    require(actor, Action.read_audit, session=session)
    query = _filtered(action=action, target_type=target_type, actor_label=actor_label, target_id=target_id,
                      since=since, until=until)
    return list(session.exec(query.limit(limit)).all())


def known_actions(*, session: Session, actor: Actor) -> list[str]:
    """Every action in the log, for the viewer's filter (admins only)."""
    require(actor, Action.read_audit, session=session)
    return sorted(session.exec(select(AuditEntry.action).distinct()).all())


def viewer_filters(
    *, action: str | None = None, actor: str | None = None, since_day: date | None = None, until_day: date | None = None,
) -> dict[str, Any]:
    """The viewer's choices as `list_entries` filters: whole UTC days, both ends included."""
    filters: dict[str, Any] = {}
    if action:
        filters["action"] = action
    if actor and actor.strip():
        filters["actor_label"] = actor.strip()
    if since_day is not None:
        filters["since"] = datetime.combine(since_day, time.min, tzinfo=timezone.utc)
    if until_day is not None:
        filters["until"] = datetime.combine(until_day + timedelta(days=1), time.min, tzinfo=timezone.utc)
    return filters


def entry_row(entry: AuditEntry) -> tuple[str, ...]:
    """One entry as the viewer and the CSV show it, in CSV_COLUMNS order."""
    details = ", ".join(f"{k}={v}" for k, v in sorted(entry.details.items()))
    return (entry.at.isoformat(timespec="seconds"), entry.actor_label, entry.action, entry.target_type, entry.target_id,
            entry.reason, details)


def entries_csv(*, session: Session, actor: Actor, limit: int = 100_000, **filters: Any) -> str:
    """The filtered entries as CSV (admins only); the export itself is recorded."""
    entries = list_entries(session=session, actor=actor, limit=limit, **filters)
    text = csv_text(CSV_COLUMNS, (entry_row(e) for e in entries))
    record_access(session, actor=actor, action="export.audit", target_type="audit_log", target_id="",
                  details={k: str(v) for k, v in filters.items() if v})
    return text

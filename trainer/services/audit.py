"""The audit log: every override, certification, revocation and role change, with who, when
and why. `record` adds the entry to the caller's transaction, so the entry and the change are
stored together or not at all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from trainer.db.models import AuditEntry
from trainer.db.types import utcnow
from trainer.services.rights import Action, Actor, actor_label, require


class ReasonRequired(ValueError):
    """Changes that land in the audit log need a reason."""


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
    if not reason or not reason.strip():
        raise ReasonRequired(f"{action} needs a reason")
    entry = AuditEntry(
        at=at or utcnow(),
        actor_id=actor.id,
        actor_label=actor_label(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        reason=reason.strip(),
        details=details or {},
    )
    session.add(entry)
    return entry


def list_entries(
    *, session: Session, actor: Actor, action: str | None = None, target_type: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The newest entries first (admins only)."""
    require(actor, Action.read_audit, session=session)
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)  # type: ignore[attr-defined]
    if action:
        query = query.where(AuditEntry.action == action)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    return list(session.exec(query).all())

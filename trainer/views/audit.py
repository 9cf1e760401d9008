"""The audit log screen (admins): every recorded change and event, filtered by action, actor and
days, newest first, and the same selection as CSV. Ready to show: the actions to filter on,
the rows under translated headers, the note when only the newest are shown. The audit service
checks the rights (anyone but an admin gets PermissionDenied) and does the filtering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from trainer.db.engine import session_scope
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import audit
from trainer.services.rights import Actor

SHOWN = 500  # the newest entries on screen; the CSV holds the whole selection


@dataclass(frozen=True)
class AuditScreen:
    actions: list[str]  # every action in the log, for the filter
    filters: dict[str, Any]  # the choices as the audit service takes them (for the CSV)
    rows: list[dict[str, str]]  # newest first, under translated headers; empty: nothing matches
    more: str | None  # the note that only the newest SHOWN are on screen
    file_name: str  # the CSV's


def audit_screen(*, session: Session, actor: Actor, language: str, action: str | None = None,
                 actor_text: str | None = None, since: date | None = None, until: date | None = None) -> AuditScreen:
    """The log as filtered (`actor_text`: part of the actor's e-mail; whole days, both ends included)."""
    actions = audit.known_actions(session=session, actor=actor)
    filters = audit.viewer_filters(action=action, actor=actor_text, since_day=since, until_day=until)
    entries = audit.list_entries(session=session, actor=actor, limit=SHOWN, **filters)
    labels = [t(f"audit.column_{column}", language) for column in audit.CSV_COLUMNS]
    return AuditScreen(
        actions=actions,
        filters=filters,
        rows=[dict(zip(labels, audit.entry_row(e), strict=True)) for e in entries],
        more=t("audit.more", language, count=SHOWN) if len(entries) == SHOWN else None,
        file_name=f"audit-{utcnow():%Y%m%d-%H%M}.csv",
    )


def audit_csv(*, actor: Actor, filters: dict[str, Any]) -> bytes:
    """The whole selection as CSV (admins only); the export itself is recorded in the log."""
    with session_scope() as session:
        return audit.entries_csv(session=session, actor=actor, **filters).encode("utf-8")

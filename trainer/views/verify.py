"""The public "check a certificate" screen: what a code's certificate is, ready to show. Only the
holder's name, the level, the dates (written out, on the contact centre's clock) and the status;
an unknown code is a plain "not found", too many of them from one address a wait."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from trainer.components.markdown import escape
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.local_time import clock, long_date
from trainer.services import certification

Kind = Literal["valid", "expired", "revoked", "not_found", "throttled"]


@dataclass(frozen=True)
class VerifyResult:
    kind: Kind
    message: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, value), values escaped


def check(*, code: str, client: str | None, language: str, now: datetime | None = None) -> VerifyResult | None:
    """The answer for `code` (None when nothing was entered yet); `client` is the visitor's address."""
    if not code.strip():
        return None
    try:
        with session_scope() as session:
            found = certification.check_code(session=session, code=code, client=client, language=language, now=now)
    except certification.VerifyThrottled as refused:
        return VerifyResult("throttled", t("verify.throttled", language, until=clock(refused.until)))
    if found is None:
        return VerifyResult("not_found", t("verify.not_found", language))
    status = found.status.value
    return VerifyResult(status, t(f"verify.result_{status}", language), [
        (t("verify.holder", language), escape(found.holder)),
        (t("verify.level", language), escape(found.level_name)),
        (t("verify.issued", language), long_date(found.granted_at, language)),
        (t("verify.valid_until", language), long_date(found.expires_at, language)),
        (t("verify.status", language), t(f"verify.status_{status}", language)),
    ])

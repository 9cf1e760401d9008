"""Which screens a user sees, decided in one place from their role.

Hiding a page is only convenience: every service checks the user's rights again
(`trainer.services.rights`), so a trainee who opens the team page's file still gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.db.models import Role, User


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to trainer/
    title_key: str  # key in content/ui/<lang>.yaml
    icon: str
    roles: frozenset[Role]
    default: bool = False
    count_key: str | None = None  # a title with a number in it ("Feedback (2)"), shown when the number is not 0


EVERYONE = frozenset(Role)
# An observer practises nothing (the services refuse it); their screens come with the observer pages.
PRACTISING = EVERYONE - {Role.observer}
LEADS = frozenset({Role.manager, Role.admin})
READERS = LEADS | {Role.observer}  # who reads a team's figures

PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/practise.py", "nav.practise", "💬", PRACTISING, default=True),
    PageSpec("pages/announce.py", "nav.announce", "📣", PRACTISING),
    PageSpec("pages/progress.py", "nav.progress", "📈", PRACTISING),
    PageSpec("pages/feedback.py", "nav.feedback", "📝", frozenset({Role.trainee, Role.manager}), count_key="nav.feedback_count"),
    PageSpec("pages/todo.py", "nav.todo", "📋", frozenset({Role.trainee})),
    PageSpec("pages/team.py", "nav.team", "👥", READERS),
    PageSpec("pages/reports.py", "nav.reports", "📊", READERS),
    PageSpec("pages/assignments.py", "nav.assignments", "🗓️", frozenset({Role.manager})),
    PageSpec("pages/knowledge.py", "nav.knowledge", "📚", EVERYONE),
    PageSpec("pages/typing.py", "nav.typing", "⌨️", PRACTISING),
    PageSpec("pages/score.py", "nav.score", "✅", EVERYONE),
    PageSpec("pages/drill_inbox.py", "nav.drill_inbox", "🚨", frozenset({Role.trainee})),
    PageSpec("pages/drill_manager.py", "nav.drill_manager", "🎛️", READERS),
    PageSpec("pages/admin.py", "nav.admin", "⚙️", frozenset({Role.admin})),
    PageSpec("pages/audit.py", "nav.audit", "📜", frozenset({Role.admin})),
    PageSpec("pages/account.py", "nav.account", "🔐", EVERYONE),
)
LOGIN = PageSpec("pages/login.py", "nav.login", "🔑", EVERYONE, default=True)
# Public: whoever holds a certificate's code (or its QR code) checks it here, logged in or not.
VERIFY = PageSpec("pages/verify.py", "nav.verify", "🔎", EVERYONE)
# After an admin's reset: nothing else until the temporary password is replaced.
MUST_CHANGE = PageSpec("pages/account.py", "nav.account", "🔐", EVERYONE, default=True)


def visible_pages(user: User | None) -> list[PageSpec]:
    """The pages `user` sees, in menu order; the login and verify pages when nobody is logged in."""
    if user is None:
        return [LOGIN, VERIFY]
    if user.must_change_password:
        return [MUST_CHANGE]
    role = Role(user.role)
    return [p for p in PAGES if role in p.roles] + [VERIFY]


def shows(user: User | None, file: str) -> bool:
    """Whether `user`'s menu holds the page `file` (relative to trainer/), e.g. to link to it."""
    return any(spec.file == file for spec in visible_pages(user))


def require_pages(root: Path) -> None:
    """Every page of the menu exists below `root` (trainer/); a renamed or deleted page is an
    error at once, never a menu entry that silently disappears."""
    missing = sorted({spec.file for spec in (*PAGES, LOGIN, VERIFY, MUST_CHANGE) if not (root / spec.file).is_file()})
    if missing:
        raise FileNotFoundError(f"navigation names pages that do not exist: {', '.join(missing)}")

"""Issue 11 #11: passwords have a minimum length and are checked against common and
breached-pattern passwords; users change their own, an admin resets one to a temporary
password that must be changed at the next login."""

from __future__ import annotations

import pytest
from sqlmodel import select

from trainer.db.models import AuditEntry, Role, User, UserCreate
from trainer.services import accounts
from trainer.services.accounts import SessionExpired, WeakPassword
from trainer.services.rights import SYSTEM, PermissionDenied
from trainer.settings import Settings

from .conftest import PASSWORD

STRONG = "paars-fietsrek-onder-de-brug"


@pytest.mark.parametrize("password, problem", [
    ("kort-Ww1!", "too_short"),  # under 12 characters
    ("Welkom12345!", "too_common"),  # a Dutch favourite
    ("wachtwoord2024", "too_common"),
    ("Password1234", "too_common"),
    ("qwertyuiop123", "too_common"),
    ("aaaaaaaaaaaaaaaa", "too_common"),
    ("sanne.devries1990", "too_common"),  # the user's own name and e-mail
])
def test_passwords_weak_ones_are_refused_with_a_reason(password, problem):
    assert accounts.password_problem(password, email="sanne.devries@example.nl", full_name="Sanne de Vries",
                                     settings=Settings(_env_file=None)) == problem


@pytest.mark.parametrize("password", [STRONG, "Trein rijdt om 7 uur naar Zwolle", "kT9#mq2Lx8vR-b"])
def test_passwords_strong_ones_pass(password):
    assert accounts.password_problem(password, email="sanne@example.nl", full_name="Sanne de Vries",
                                     settings=Settings(_env_file=None)) is None


def test_passwords_a_new_account_needs_a_strong_password(session, world):
    with pytest.raises(WeakPassword) as refused:
        accounts.create_user(session=session, actor=world.admin, user_create=UserCreate(
            email="nieuw@example.nl", full_name="Nieuwe Collega", password="Welkom12345!"))
    assert refused.value.problem == "too_common"
    assert session.exec(select(User).where(User.email == "nieuw@example.nl")).first() is None


def test_passwords_change_own_password(session, world):
    first = accounts.login(session=session, email="tom@example.nl", password=PASSWORD)
    other = accounts.login(session=session, email="tom@example.nl", password=PASSWORD)
    with pytest.raises(accounts.LoginFailed):
        accounts.change_password(session=session, actor=world.tom, current_password="fout", new_password=STRONG,
                                 keep_token=first.token)
    with pytest.raises(WeakPassword):
        accounts.change_password(session=session, actor=world.tom, current_password=PASSWORD,
                                 new_password="wachtwoord2024", keep_token=first.token)
    accounts.change_password(session=session, actor=world.tom, current_password=PASSWORD, new_password=STRONG,
                             keep_token=first.token)
    assert accounts.current_user(session=session, token=first.token).id == world.tom.id
    with pytest.raises(SessionExpired):  # the other browser (maybe not Tom's) is logged out
        accounts.current_user(session=session, token=other.token)
    with pytest.raises(accounts.LoginFailed):
        accounts.login(session=session, email="tom@example.nl", password=PASSWORD)
    assert accounts.login(session=session, email="tom@example.nl", password=STRONG).user.id == world.tom.id


def test_passwords_admin_reset_gives_a_temporary_password_that_must_be_changed(session, world):
    before = accounts.login(session=session, email="tess@example.nl", password=PASSWORD)
    temporary = accounts.reset_password(session=session, actor=world.admin, user_id=world.tess.id,
                                        reason="wachtwoord vergeten")
    assert accounts.password_problem(temporary, email="tess@example.nl", full_name="Tess",
                                     settings=Settings(_env_file=None)) is None
    with pytest.raises(SessionExpired):
        accounts.current_user(session=session, token=before.token)
    result = accounts.login(session=session, email="tess@example.nl", password=temporary)
    assert result.user.must_change_password
    accounts.change_password(session=session, actor=result.user, current_password=temporary, new_password=STRONG,
                             keep_token=result.token)
    assert not session.get(User, world.tess.id).must_change_password
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.password_reset")).one()
    assert entry.actor_id == world.admin.id and entry.target_id == str(world.tess.id)
    assert temporary not in str(entry.details) and entry.reason == "wachtwoord vergeten"


@pytest.mark.parametrize("who", ["mila", "tom"])
def test_passwords_only_an_admin_resets(session, world, who):
    with pytest.raises(PermissionDenied):
        accounts.reset_password(session=session, actor=getattr(world, who), user_id=world.eva.id, reason="x")


def test_passwords_demo_accounts_keep_the_readme_password(session):
    from trainer.services.demo import DEMO_DOMAIN, DEMO_PASSWORD

    user = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
        email=f"demo@{DEMO_DOMAIN}", full_name="Demo", role=Role.trainee, password=DEMO_PASSWORD))
    assert user.id is not None

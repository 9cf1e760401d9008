"""What an account is made of: a real name, a valid e-mail address, and a new user with their
team membership stored together or not at all."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlmodel import select

from trainer.db.models import AuditEntry, Role, TeamCreate, TeamMembership, User, UserCreate
from trainer.services import accounts
from trainer.services.rights import SYSTEM

PASSWORD = "correct horse battery"


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_account_fields_blank_names_are_refused(name):
    with pytest.raises(ValidationError, match="full_name"):
        UserCreate(email="sam@example.com", full_name=name, password=PASSWORD)
    with pytest.raises(ValidationError, match="name"):
        TeamCreate(name=name)


@pytest.mark.parametrize("email", ["geen-emailadres", "sam@", "@example.com", "sam@localhost", "sam @example.com",
                                   "sam@example..com"])
def test_account_fields_invalid_email_addresses_are_refused(email):
    with pytest.raises(ValidationError, match="email"):
        UserCreate(email=email, full_name="Sam Smit", password=PASSWORD)


@pytest.mark.parametrize("email, stored", [("Noor.Bakker@Example.NL", "noor.bakker@example.nl"),
                                           ("  jo@webcare.example ", "jo@webcare.example")])
def test_account_fields_valid_email_is_normalised(email, stored):
    assert UserCreate(email=email, full_name="  Noor Bakker ", password=PASSWORD).email == stored


def test_account_fields_new_user_and_team_membership_in_one_transaction(session, world):
    refused = UserCreate(email="pim@example.nl", full_name="Pim Post", role=Role.trainee, password=PASSWORD)
    with pytest.raises(accounts.AccountError):
        # A trainee cannot be a team's manager: the user must not be left behind without a team.
        accounts.create_user(session=session, actor=world.admin, user_create=refused, team_id=world.reizen.id,
                             as_manager=True)
    with pytest.raises(accounts.NotFound, match="no team with id 9999"):
        accounts.create_user(session=session, actor=world.admin, user_create=refused, team_id=9999)
    assert session.exec(select(User).where(User.email == "pim@example.nl")).first() is None

    created = accounts.create_user(session=session, actor=world.admin, user_create=refused, team_id=world.reizen.id)
    membership = session.get(TeamMembership, (world.reizen.id, created.id))
    assert membership is not None and not membership.is_manager
    manager = accounts.create_user(session=session, actor=SYSTEM, team_id=world.energie.id, as_manager=True,
                                   user_create=UserCreate(email="mo@example.nl", full_name="Mo Manager", role=Role.manager,
                                                          password=PASSWORD))
    assert session.get(TeamMembership, (world.energie.id, manager.id)).is_manager

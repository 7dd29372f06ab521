"""The people of a role grant: the well-being office's two administrators, a candidate,
and the program's support leads."""

import datetime

import pytest
from django.utils import timezone

from peers.models import Role
from peers.tests.factories import MembershipFactory, UserFactory, give_totp, office_administrators


@pytest.fixture
def office():
    """Two office administrators (superusers) with two-factor set up."""
    first, second = office_administrators()
    give_totp(first)
    give_totp(second)
    return first, second


@pytest.fixture
def leads(program):
    """The program's two current support leads, and one whose role has ended."""
    today = timezone.localdate()
    current = [MembershipFactory(program=program, role=Role.SUPPORT_LEAD).user for _ in range(2)]
    MembershipFactory(
        program=program,
        role=Role.SUPPORT_LEAD,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=10),
    )
    return current


@pytest.fixture
def candidate(db):
    return UserFactory(email="candidate@example.edu", name="Casey Candidate")

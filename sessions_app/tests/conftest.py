import datetime

import pytest
from django.utils import timezone

from peers.models import Role, TrainingKind
from peers.tests.factories import MembershipFactory, TrainingRecordFactory, UserFactory
from sessions_app.tests.factories import SeriesFactory, SessionFactory


@pytest.fixture
def session(program):
    return SessionFactory(program=program)


@pytest.fixture
def trained_facilitator(program):
    def make(email):
        user = UserFactory(email=email)
        MembershipFactory(user=user, program=program, role=Role.FACILITATOR)
        TrainingRecordFactory(user=user, kind=TrainingKind.FACILITATOR)
        return user

    return make


@pytest.fixture
def advisor(program):
    user = UserFactory(email="advisor@example.edu")
    MembershipFactory(user=user, program=program, role=Role.WELLNESS_ADVISOR)
    return user


@pytest.fixture
def make_trainee(program):
    def make(email, on=program):
        user = UserFactory(email=email)
        MembershipFactory(user=user, program=on, role=Role.TRAINEE)
        return user

    return make


@pytest.fixture
def make_round(program):
    """A round of `groups` parallel groups of `capacity` seats, in one series."""

    def make(groups=2, capacity=2):
        series = SeriesFactory(program=program)
        start = timezone.now() + datetime.timedelta(days=4)
        return [
            SessionFactory(
                program=program, series=series, group_number=n, capacity=capacity, starts_at=start, location=f"Room {n}"
            )
            for n in range(1, groups + 1)
        ]

    return make

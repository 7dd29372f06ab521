import pytest

from peers.models import Role, TrainingKind
from peers.tests.factories import MembershipFactory, TrainingRecordFactory, UserFactory
from sessions_app.tests.factories import SessionFactory


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

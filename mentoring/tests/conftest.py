import datetime

import pytest

from mentoring.models import DisclosureStatement, Mentee, MentoringCycle, MentorPair
from peers.models import Role
from peers.tests.factories import MembershipFactory, UserFactory

PUBLISHED = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)  # the fixture's pair is published


@pytest.fixture
def pair_world(program, coordinator):
    def person(email, role):
        user = UserFactory(email=email, name=email.split("@")[0].title())
        MembershipFactory(user=user, program=program, role=role)
        return user

    cycle = MentoringCycle.objects.create(
        program=program, name="2026-2027", starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2027, 6, 30)
    )
    third, fourth = person("third@example.edu", Role.PEER_MENTOR), person("fourth@example.edu", Role.PEER_MENTOR)
    faculty = person("faculty@example.edu", Role.FACULTY_MENTOR)
    pair = MentorPair.objects.create(
        cycle=cycle, third_year=third, fourth_year=fourth, faculty_mentor=faculty, published_at=PUBLISHED
    )
    mentee_user = person("mentee@example.edu", Role.TRAINEE)
    mentee = Mentee.objects.create(cycle=cycle, pair=pair, user=mentee_user)
    return {
        "cycle": cycle,
        "pair": pair,
        "third": third,
        "fourth": fourth,
        "faculty": faculty,
        "mentee": mentee,
        "mentee_user": mentee_user,
        "coordinator": coordinator,
    }


@pytest.fixture
def statement(pair_world):
    """The program's current disclosure statement, not yet accepted by anyone."""
    return DisclosureStatement.objects.create(
        program=pair_world["cycle"].program,
        version=1,
        text="What mentees tell you stays between you and the program.",
        published_on=datetime.date(2026, 7, 1),
    )

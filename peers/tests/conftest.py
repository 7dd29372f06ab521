"""The people of a role grant: the well-being office's two administrators, a candidate,
and the program's support leads."""

import datetime

import pytest
from django.utils import timezone

from mentoring.models import Mentee, MentoringCycle, MentorPair
from peers.models import Notification, Role
from peers.tests.factories import (
    LearningCommunityFactory,
    MembershipFactory,
    TrainingRecordFactory,
    UserFactory,
    give_totp,
    office_administrators,
)
from sessions_app.services.booking import booking_create
from sessions_app.services.facilitation import facilitation_add
from sessions_app.tests.factories import SessionFactory, TopicFactory
from support_requests.models import OfficeHours, SupporterAway, SupporterProfile


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


@pytest.fixture
def admin_world(program, coordinator):
    """A row or more in the admin lists a coordinator works with, in the coordinator's program
    (peers/tests/test_admin_phone.py and test_browser_admin.py)."""
    community = LearningCommunityFactory(program=program, name="Maple")
    # A long address and name: a card must wrap them, not scroll sideways.
    trainee = UserFactory(email="tamsin.thornbury-valcourt.second-year@example.edu", name="Tamsin Thornbury-Valcourt")
    MembershipFactory(user=trainee, program=program, role=Role.TRAINEE, learning_community=community)
    facilitator = UserFactory(email="facilitator@example.edu", name="Farid Fairhollow")
    MembershipFactory(user=facilitator, program=program, role=Role.FACILITATOR)
    TrainingRecordFactory(user=facilitator)
    session = SessionFactory(
        program=program, topic=TopicFactory(program=program), location="Room 4, 1200 Lakeshore Road"
    )
    facilitation_add(session=session, user=facilitator)
    booking_create(session=session, user=trainee)
    Notification.objects.create(
        recipient=trainee,
        program=program,
        kind="sessions.reminder",
        dedupe_key="phone-test",
        subject="Your session is tomorrow",
        body="See you there.",
        due_at=timezone.now(),
    )
    cycle = MentoringCycle.objects.create(
        program=program, name="2026-2027", starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2027, 6, 30)
    )
    mentors = [UserFactory(email=f"mentor{n}@example.edu") for n in range(3)]
    for mentor in mentors:
        MembershipFactory(user=mentor, program=program, role=Role.PEER_MENTOR)
    pair = MentorPair.objects.create(
        cycle=cycle, third_year=mentors[0], fourth_year=mentors[1], faculty_mentor=mentors[2]
    )
    Mentee.objects.create(cycle=cycle, pair=pair, user=trainee)
    supporter = UserFactory(email="supporter@example.edu")
    MembershipFactory(user=supporter, program=program, role=Role.PEER_SUPPORTER)
    profile = SupporterProfile.objects.create(
        user=supporter, program=program, disclosed_identities=["Rural upbringing"]
    )
    SupporterAway.objects.create(
        profile=profile, starts_on=datetime.date(2027, 1, 4), ends_on=datetime.date(2027, 1, 8)
    )
    OfficeHours.objects.create(program=program, kind="drop_in", weekday=1, starts_at="12:00", ends_at="13:00")
    return {"session": session, "pair": pair, "profile": profile}

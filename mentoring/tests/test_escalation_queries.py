"""The contact escalation costs a fixed number of queries per batch of contacts, however
many are due and however many people each step tells: a batch's notices are read,
rendered and inserted together."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring import services
from mentoring.clock import program_today
from mentoring.models import AwayNotice, Contact, Mentee, MentorPair
from mentoring.services import contacts
from peers.models import Notification, Role, User
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2026, 8, 20, tzinfo=datetime.UTC)


def _people(prefix: str, count: int) -> list[User]:
    return User.objects.bulk_create(User(email=f"{prefix}{n}@example.edu", name=prefix) for n in range(count))


def _late_contacts(world: dict, count: int, *, late: datetime.timedelta) -> list[Contact]:
    """One unanswered contact, `late` past its deadline, in each of `count` pairs."""
    cycle, faculty = world["cycle"], world["faculty"]
    thirds, fourths, mentees = _people("third", count), _people("fourth", count), _people("mentee", count)
    pairs = MentorPair.objects.bulk_create(
        MentorPair(cycle=cycle, third_year=t, fourth_year=f, faculty_mentor=faculty, published_at=PUBLISHED)
        for t, f in zip(thirds, fourths, strict=True)
    )
    mentees = Mentee.objects.bulk_create(
        Mentee(cycle=cycle, pair=p, user=u) for p, u in zip(pairs, mentees, strict=True)
    )
    due = timezone.now() - late
    return Contact.objects.bulk_create(
        Contact(mentee=m, pair=m.pair, channel="text", received_at=due - datetime.timedelta(hours=24), due_at=due)
        for m in mentees
    )


def _queries(sweep) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        done = sweep()
    return done, [query["sql"] for query in captured.captured_queries]


def _assert_queries(queries: list[str], expected: int) -> None:
    listing = "\n".join(f"  {n}. {sql[:160]}" for n, sql in enumerate(queries, 1))
    assert len(queries) == expected, f"{len(queries)} queries, expected {expected}:\n{listing}"


# Per step: SAVEPOINT; the claim (SELECT ... FOR UPDATE SKIP LOCKED); the contacts with
# their pairs, mentors, programs and mentees; who is on duty (the away notices) or the
# programs' coordinators; the dedupe keys that exist; one INSERT ... ON CONFLICT DO
# NOTHING; the UPDATE stamping the contacts; RELEASE.
STEP_QUERIES = 8


@pytest.mark.parametrize("due", [5, 50])
def test_the_first_step_costs_a_fixed_number_of_queries_and_tells_who_is_on_duty(pair_world, due):
    late = _late_contacts(pair_world, due, late=datetime.timedelta(hours=1))
    away = late[0].pair
    today = program_today(pair_world["cycle"].program)
    AwayNotice.objects.create(pair=away, mentor=away.third_year, starts_on=today, ends_on=today, reason="exams")
    # The first step's batch, then an empty claim for each later step (nothing is a day late).
    done, queries = _queries(services.contacts_escalate)
    assert done == due
    _assert_queries(queries, STEP_QUERIES + 2 * 3)
    overdue = Notification.objects.filter(kind="contact_overdue")
    assert overdue.count() == 2 * due - 1
    assert list(overdue.filter(recipient__in=away.mentors()).values_list("recipient", flat=True)) == [
        away.fourth_year_id
    ]
    assert services.contacts_escalate() == 0  # each contact's step once


@pytest.mark.parametrize("due", [5, 50])
def test_all_three_steps_cost_a_fixed_number_of_queries(pair_world, due):
    late = _late_contacts(pair_world, due, late=datetime.timedelta(hours=49))
    covered = late[-1].pair
    today = program_today(pair_world["cycle"].program)
    for mentor in covered.mentors():
        AwayNotice.objects.create(pair=covered, mentor=mentor, starts_on=today, ends_on=today, reason="travel")
    second = UserFactory(email="second.coordinator@example.edu")
    MembershipFactory(user=second, program=pair_world["cycle"].program, role=Role.COORDINATOR)
    done, queries = _queries(services.contacts_escalate)
    assert done == 3 * due
    _assert_queries(queries, 3 * STEP_QUERIES)
    assert Notification.objects.filter(kind="contact_overdue").count() == 2 * (due - 1) + 1
    faculty = Notification.objects.filter(kind="contact_escalated_faculty", recipient=pair_world["faculty"])
    assert faculty.count() == due
    assert faculty.filter(body__contains="you cover for them: please answer it today").count() == 1
    assert faculty.filter(body__contains="Please check in with the peer mentors").count() == due - 1
    coordinators = Notification.objects.filter(kind="contact_escalated_coordinator")
    assert set(coordinators.values_list("recipient__email", flat=True)) == {
        pair_world["coordinator"].email,
        "second.coordinator@example.edu",
    }
    assert coordinators.count() == 2 * due
    assert services.contacts_escalate() == 0


def test_contacts_beyond_a_batch_take_one_more_batch(pair_world, monkeypatch):
    monkeypatch.setattr(contacts, "BATCH", 4)
    _late_contacts(pair_world, 10, late=datetime.timedelta(hours=1))
    done, queries = _queries(services.contacts_escalate)
    assert done == 10
    _assert_queries(queries, 3 * STEP_QUERIES + 2 * 3)  # 4 + 4 + 2, then the later steps' empty claims
    assert Notification.objects.filter(kind="contact_overdue").count() == 20

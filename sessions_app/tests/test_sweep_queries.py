"""The sessions' sweeps cost a fixed number of queries per batch of sessions, however
many sessions (up to a batch) and however many people are due: the notifications of a
batch are read, rendered and inserted together."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peers.models import Notification, Role, User
from peers.tests.factories import MembershipFactory, UserFactory
from sessions_app import notify, services
from sessions_app.models import Booking, Session, WaitlistEntry
from sessions_app.services import sweeps, waitlist
from sessions_app.tests.factories import SessionFactory, seats_held

pytestmark = pytest.mark.django_db


def _people(count: int) -> list[User]:
    return User.objects.bulk_create(
        User(email=f"due{n}@example.edu", name=f"Trainee {n}", time_zone="America/Toronto") for n in range(count)
    )


def _due_sessions(program, *, sessions: int, booked: int, starts_in: datetime.timedelta) -> list[Session]:
    """`sessions` sessions starting about `starts_in` from now, `booked` people booked on each."""
    start = timezone.now() + starts_in
    rows = [SessionFactory(program=program, starts_at=start + datetime.timedelta(minutes=n)) for n in range(sessions)]
    people = _people(sessions * booked)
    Booking.objects.bulk_create(
        Booking(session=session, user=person, round_key=f"session:{session.pk}")
        for n, session in enumerate(rows)
        for person in people[n * booked : (n + 1) * booked]
    )
    return rows


def _queries(sweep) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        done = sweep()
    return done, [query["sql"] for query in captured.captured_queries]


def _assert_queries(queries: list[str], expected: int) -> None:
    listing = "\n".join(f"  {n}. {sql[:160]}" for n, sql in enumerate(queries, 1))
    assert len(queries) == expected, f"{len(queries)} queries, expected {expected}:\n{listing}"


# SAVEPOINT; the claim (SELECT ... FOR UPDATE SKIP LOCKED); the sessions with program and
# topic; their bookings with users; their facilitations with users; the dedupe keys that
# exist; one INSERT ... ON CONFLICT DO NOTHING; the UPDATE stamping the sessions; RELEASE.
REMINDER_QUERIES = 9


@pytest.mark.parametrize("due", [5, 50])
def test_reminders_to_many_people_in_one_session_cost_a_fixed_number_of_queries(program, trained_facilitator, due):
    (session,) = _due_sessions(program, sessions=1, booked=due, starts_in=datetime.timedelta(hours=3))
    services.facilitation_add(session=session, user=trained_facilitator("fac@example.edu"))
    done, queries = _queries(services.sessions_remind)
    assert done == 1
    _assert_queries(queries, REMINDER_QUERIES)
    reminders = Notification.objects.filter(kind="session_reminder")
    assert reminders.count() == due + 1
    assert reminders.filter(body__contains="You co-facilitate").get().recipient.email == "fac@example.edu"


@pytest.mark.parametrize("due", [5, 50])
def test_reminders_of_many_sessions_cost_a_fixed_number_of_queries(program, due):
    _due_sessions(program, sessions=due, booked=3, starts_in=datetime.timedelta(hours=3))
    done, queries = _queries(services.sessions_remind)
    assert done == due
    _assert_queries(queries, REMINDER_QUERIES)
    assert Notification.objects.filter(kind="session_reminder").count() == due * 3
    assert services.sessions_remind() == 0  # each person once


def test_sessions_beyond_a_batch_take_one_more_batch(program, monkeypatch):
    monkeypatch.setattr(sweeps, "BATCH", 4)
    _due_sessions(program, sessions=10, booked=2, starts_in=datetime.timedelta(hours=3))
    done, queries = _queries(services.sessions_remind)
    assert done == 10
    _assert_queries(queries, 3 * REMINDER_QUERIES)  # 4 + 4 + 2
    assert Notification.objects.filter(kind="session_reminder").count() == 20


def test_a_reminder_already_sent_is_not_sent_again_when_the_sweep_runs_over(program):
    (session,) = _due_sessions(program, sessions=1, booked=3, starts_in=datetime.timedelta(hours=3))
    first = Booking.objects.filter(session=session).order_by("pk").first()
    notify.session_reminder(session, first.user, facilitating=False)
    assert services.sessions_remind() == 1
    assert Notification.objects.filter(kind="session_reminder").count() == 3
    assert Notification.objects.filter(kind="session_reminder", recipient=first.user).count() == 1


# SAVEPOINT; the claim; the sessions; their facilitations with users; the dedupe keys;
# the INSERT; the stamp; RELEASE.
ATTENDANCE_QUERIES = 8
# SAVEPOINT; the claim; the sessions; their bookings with users; the dedupe keys; the
# INSERT; the stamp; RELEASE.
FEEDBACK_QUERIES = 8


@pytest.mark.parametrize("due", [5, 50])
def test_feedback_requests_cost_a_fixed_number_of_queries(program, due):
    sessions = _due_sessions(program, sessions=due, booked=2, starts_in=datetime.timedelta(hours=-3))
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(attendance_requested_at=timezone.now())
    Booking.objects.filter(session=sessions[0]).update(attended=False)  # no-shows are not asked
    done, queries = _queries(services.sessions_request_feedback)
    assert done == due
    _assert_queries(queries, FEEDBACK_QUERIES)
    assert Notification.objects.filter(kind="feedback_request").count() == (due - 1) * 2


@pytest.mark.parametrize("due", [5, 50])
def test_attendance_requests_cost_a_fixed_number_of_queries(program, trained_facilitator, due):
    sessions = _due_sessions(program, sessions=due, booked=1, starts_in=datetime.timedelta(days=2))
    facilitator = trained_facilitator("fac@example.edu")
    services.facilitation_add(session=sessions[0], user=facilitator)
    with time_machine.travel(sessions[-1].starts_at + datetime.timedelta(minutes=1)):
        done, queries = _queries(services.sessions_request_attendance)
    assert done == due
    _assert_queries(queries, ATTENDANCE_QUERIES)
    assert list(Notification.objects.values_list("kind", "recipient")) == [("attendance_request", facilitator.pk)]


# SAVEPOINT; the claim (with its count of active facilitators); the sessions; their
# facilitation counts; the programs' coordinators; the dedupe keys; the INSERT; the
# stamp; RELEASE.
COVERAGE_QUERIES = 9


@pytest.mark.parametrize("due", [5, 50])
def test_coverage_alerts_cost_a_fixed_number_of_queries(program, coordinator, trained_facilitator, due):
    sessions = _due_sessions(program, sessions=due, booked=0, starts_in=datetime.timedelta(days=2))
    services.facilitation_add(session=sessions[0], user=trained_facilitator("fac@example.edu"))
    second = UserFactory(email="second.coordinator@example.edu")
    MembershipFactory(user=second, program=program, role=Role.COORDINATOR)
    done, queries = _queries(services.sessions_alert_coverage)
    assert done == due
    _assert_queries(queries, COVERAGE_QUERIES)
    alerts = Notification.objects.filter(kind="coverage_alert")
    assert alerts.count() == due * 2
    assert alerts.filter(link__contains=f"/{sessions[0].pk}/", body__contains="1 of 2").count() == 2


def _expired_offers(program, *, due: int) -> list[Session]:
    """`due` full one-seat sessions whose seat is held for an offer that expired an hour
    ago; on all but every fifth someone else waits next."""
    now = timezone.now()
    sessions = [
        SessionFactory(program=program, capacity=1, starts_at=now + datetime.timedelta(days=5, minutes=n))
        for n in range(due)
    ]
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(seats_taken=1)
    offered, waiting = (
        _people(due),
        User.objects.bulk_create(
            User(email=f"next{n}@example.edu", name=f"Next {n}", time_zone="Asia/Tokyo") for n in range(due)
        ),
    )
    expired = now - datetime.timedelta(hours=1)
    WaitlistEntry.objects.bulk_create(
        [
            WaitlistEntry(session=s, user=u, status="offered", offered_at=expired, offer_expires_at=expired)
            for s, u in zip(sessions, offered, strict=True)
        ]
        + [WaitlistEntry(session=s, user=u) for n, (s, u) in enumerate(zip(sessions, waiting, strict=True)) if n % 5]
    )
    return sessions


# The expired offers (unlocked); SAVEPOINT; their rounds' groups locked in id order; the
# offers locked (SKIP LOCKED); the UPDATE expiring them; the people waiting there, with
# their users; the seats held in those rounds; the open offers there; the new offers in
# one UPDATE; the dedupe keys that exist; one INSERT of the offers' notifications; the
# UPDATE freeing the seats nobody waits for; RELEASE.
OFFER_EXPIRY_QUERIES = 13


@pytest.mark.parametrize("due", [5, 50])
def test_expired_waitlist_offers_are_passed_on_in_a_fixed_number_of_queries(program, due):
    sessions = _expired_offers(program, due=due)
    done, queries = _queries(services.waitlist_offers_expire)
    assert done == due
    _assert_queries(queries, OFFER_EXPIRY_QUERIES)
    offers = WaitlistEntry.objects.filter(status="offered").order_by("session__starts_at")
    assert [offer.user.email for offer in offers] == [f"next{n}@example.edu" for n in range(due) if n % 5]
    assert all(offer.offer_expires_at > timezone.now() for offer in offers)
    told = Notification.objects.filter(kind="waitlist_offer")
    assert sorted(told.values_list("recipient__email", flat=True)) == sorted(o.user.email for o in offers)
    assert [seats_held(s) for s in sessions] == [1 if n % 5 else 0 for n in range(due)]
    assert services.waitlist_offers_expire() == 0


def test_offers_beyond_a_batch_take_one_more_batch(program, monkeypatch):
    monkeypatch.setattr(waitlist, "BATCH", 4)
    _expired_offers(program, due=6)
    assert services.waitlist_offers_expire() == 6
    assert WaitlistEntry.objects.filter(status="expired").count() == 6
    assert WaitlistEntry.objects.filter(status="offered").count() == 4  # sessions 1 to 4; 0 and 5 had nobody


def test_someone_waiting_in_two_groups_whose_offers_lapse_together_is_offered_one(make_round, make_trainee):
    """Two groups' offers expire in one batch and the same person waits next in both: they
    are offered the first group, and the second group's seat goes to the person after them."""
    one, two = make_round(capacity=1)
    expired = timezone.now() - datetime.timedelta(minutes=5)
    both, after = make_trainee("both@example.edu"), make_trainee("after@example.edu")
    for group in (one, two):
        WaitlistEntry.objects.create(
            session=group,
            user=make_trainee(f"lapsed{group.pk}@example.edu"),
            status="offered",
            offered_at=expired,
            offer_expires_at=expired,
        )
        WaitlistEntry.objects.create(session=group, user=both)
    WaitlistEntry.objects.create(session=two, user=after)
    Session.objects.filter(pk__in=[one.pk, two.pk]).update(seats_taken=1)
    assert services.waitlist_offers_expire() == 2
    offered = {(e.session_id, e.user.email) for e in WaitlistEntry.objects.filter(status="offered")}
    assert offered == {(one.pk, "both@example.edu"), (two.pk, "after@example.edu")}
    assert (seats_held(one), seats_held(two)) == (1, 1)

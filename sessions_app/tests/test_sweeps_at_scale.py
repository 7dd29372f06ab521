"""The sessions' sweeps read what is due, not what exists: with thousands of sessions
that are not due, each idle sweep runs a fixed number of queries, and its main query
reads the session table through its partial index (see peers/testing/sweep_plans.py)."""

import datetime

import pytest
from django.utils import timezone

from peers.models import User
from peers.testing.sweep_plans import analyze, assert_constant_idle_queries, assert_uses_index, main_query
from sessions_app import services
from sessions_app.models import Session, WaitlistEntry
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

SESSIONS = "sessions_app_session"


def _sessions_not_due(template: Session, count: int = 3000) -> None:
    """Past sessions already swept, cancelled ones, sessions months away, and sessions
    in the next day already reminded and covered. The last kind sits in every window a
    sweep reads by date, so only the partial index (which leaves swept rows out) reads
    nothing: an index on the date alone would read them, and the planner can tell."""
    now = timezone.now()
    swept = {
        "reminders_sent_at": now,
        "attendance_requested_at": now,
        "feedback_requested_at": now,
        "coverage_alert_sent_at": now,
    }
    upcoming_swept = {"reminders_sent_at": now, "coverage_alert_sent_at": now}
    rows = []
    for n in range(count):
        kind = n % 4
        if kind == 3:
            starts = now + datetime.timedelta(hours=1 + n % 20)
        else:
            starts = now + datetime.timedelta(days=(-1 - n % 700) if kind == 0 else (30 + n % 300))
        rows.append(
            Session(
                program=template.program,
                topic=template.topic,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=1),
                round_date=starts.date(),
                group_number=n + 2,
                capacity=10,
                status=(Session.Status.COMPLETED, Session.Status.CANCELLED, Session.Status.SCHEDULED)[min(kind, 2)],
                **(swept if kind == 0 else upcoming_swept if kind == 3 else {}),
            )
        )
    Session.objects.bulk_create(rows)
    analyze(SESSIONS)


@pytest.fixture
def swept_session(program):
    """One session a month away, so the table is not empty at the small size."""
    return SessionFactory(program=program, starts_at=timezone.now() + datetime.timedelta(days=40))


# Each idle sweep: SAVEPOINT, the claiming SELECT ... FOR UPDATE SKIP LOCKED, RELEASE SAVEPOINT.
@pytest.mark.parametrize(
    ("sweep", "index"),
    [
        (services.sessions_remind, "session_reminders_due"),
        (services.sessions_request_attendance, "session_attendance_due"),
        (services.sessions_request_feedback, "session_feedback_due"),
        (services.sessions_alert_coverage, "session_coverage_due"),
    ],
    ids=["reminders", "attendance", "feedback", "coverage"],
)
def test_an_idle_session_sweep_reads_only_its_partial_index(swept_session, sweep, index):
    queries = assert_constant_idle_queries(sweep, 3, grow=lambda: _sessions_not_due(swept_session))
    assert_uses_index(main_query(queries, SESSIONS), table=SESSIONS, index=index)


def test_the_idle_waitlist_expiry_reads_only_open_offers(swept_session, trainee):
    """Closed entries, and people still waiting (the waitlist's other partial index holds
    them), are not read: only offers, which can expire."""

    def grow():
        waiting = User.objects.bulk_create(User(email=f"waiting{n}@example.edu", name="W") for n in range(1000))
        WaitlistEntry.objects.bulk_create(
            [WaitlistEntry(session=swept_session, user=user) for user in waiting]
            + [
                WaitlistEntry(session=swept_session, user=trainee, status=WaitlistEntry.Status.EXPIRED)
                for _ in range(3000)
            ]
        )
        analyze("sessions_app_waitlistentry")

    # The one unlocked SELECT of an expired offer (the round and the offer are locked only
    # once there is one, in the order accepting takes them).
    queries = assert_constant_idle_queries(services.waitlist_offers_expire, 1, grow=grow)
    table = "sessions_app_waitlistentry"
    assert_uses_index(main_query(queries, table), table=table, index="waitlist_offers_expiring")


def test_the_roster_figures_tally_each_ended_session_from_the_booking_index(program, other_program):
    """Not a sweep, but the same promise: with 40,000 bookings of another program's
    sessions, the figures read the program's own sessions and, for each, its booked seats
    from `booking_held_tally`, never the whole booking table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sessions_app.models import Booking
    from sessions_app.selectors import program_figures

    elsewhere = SessionFactory(program=other_program)
    _sessions_not_due(elsewhere, count=2000)
    people = User.objects.bulk_create(User(email=f"seat{n}@example.edu", name="S") for n in range(20))
    sessions = list(Session.objects.filter(program=other_program))
    Booking.objects.bulk_create(
        Booking(session=session, user=person, round_key=f"r{session.pk}", status=Booking.Status.BOOKED)
        for session in sessions
        for person in people
    )
    mine = SessionFactory(program=program, starts_at=timezone.now() - datetime.timedelta(days=2))
    Booking.objects.create(session=mine, user=people[0], round_key="mine", status=Booking.Status.BOOKED)
    analyze(SESSIONS, "sessions_app_booking")
    with CaptureQueriesContext(connection) as captured:
        figures = program_figures(program)
    assert (figures["held"], figures["booked"]) == (1, 1)
    (tally,) = [query["sql"] for query in captured.captured_queries if "tally" in query["sql"]]
    assert_uses_index(tally, table="sessions_app_booking", index="booking_held_tally")

"""The mentoring sweeps read what is due, not what exists: with thousands of rows that
are not due, each idle sweep runs a fixed number of queries, and its main query reads
through an index rather than the whole table (see peers/testing/sweep_plans.py)."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring import services
from mentoring.models import Application, Contact, Mentee, MentoringCycle, MentorPair
from mentoring.services.pair_feedback import pair_feedback_invite
from peers.models import Notification, User
from peers.testing.sweep_plans import (
    analyze,
    assert_constant_idle_queries,
    assert_uses_index,
    idle_queries,
    loops_by_table,
    main_query,
)

pytestmark = pytest.mark.django_db

PAIRS = "mentoring_mentorpair"
CONTACTS = "mentoring_contact"
PUBLISHED = datetime.datetime(2026, 8, 20, tzinfo=datetime.UTC)
AFTER_MID_SEMESTER = datetime.datetime(2026, 10, 26, 15, tzinfo=datetime.UTC)


@pytest.fixture
def semester(pair_world):
    cycle = pair_world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    cycle.save()
    MentorPair.objects.filter(pk=pair_world["pair"].pk).update(published_at=PUBLISHED)
    return pair_world


def _people(prefix: str, count: int) -> list[User]:
    return User.objects.bulk_create(User(email=f"{prefix}{n}@example.edu", name=prefix) for n in range(count))


def _pairs_not_owed(world: dict) -> None:
    """12,000 pairs of ended cycles, and 200 pairs of the running cycle whose reminders
    for this month and this milestone both mentors already hold."""
    program, cycle, faculty = world["cycle"].program, world["cycle"], world["faculty"]
    thirds, fourths = _people("third", 200), _people("fourth", 200)
    ended = MentoringCycle.objects.bulk_create(
        MentoringCycle(
            program=program,
            name=f"old {n}",
            starts_on=datetime.date(1960 + n, 7, 1),
            ends_on=datetime.date(1961 + n, 6, 30),
        )
        for n in range(60)
    )
    pairs = [
        MentorPair(cycle=old, third_year=t, fourth_year=f, faculty_mentor=faculty, published_at=PUBLISHED)
        for old in ended
        for t, f in zip(thirds, fourths, strict=True)
    ]
    current = [
        MentorPair(cycle=cycle, third_year=t, fourth_year=f, faculty_mentor=faculty, published_at=PUBLISHED)
        for t, f in zip(thirds, fourths, strict=True)
    ]
    MentorPair.objects.bulk_create(pairs + current)
    mentees = _people("mentee", 200)
    Mentee.objects.bulk_create(Mentee(cycle=cycle, pair=p, user=u) for p, u in zip(current, mentees, strict=True))
    _reminders_held(current, ("month-2026-10", "meet-2026-09-01-mid"))
    analyze(PAIRS, "mentoring_mentee", "mentoring_mentoringcycle", "peers_notification")


def _reminders_held(pairs, keys: tuple[str, ...]) -> None:
    """Each mentor of `pairs` already holds the duty reminders with these keys (as
    mentoring.notify.mentor_duty writes them)."""
    Notification.objects.bulk_create(
        Notification(
            recipient=mentor,
            kind="mentor_duty",
            subject="s",
            body="b",
            due_at=timezone.now(),
            dedupe_key=f"duty:{pair.pk}:{key}:{mentor.pk}",
        )
        for pair in pairs
        for mentor in pair.mentors()
        for key in keys
    )


def test_the_idle_duty_reminders_cost_one_query_however_many_pairs(semester):
    with time_machine.travel(AFTER_MID_SEMESTER):
        assert services.duties_remind() == 4  # the monthly contact and the mid-semester meeting, to both mentors
        # 1. the pairs that could be owed a reminder today (none now: the counts are not run).
        queries = assert_constant_idle_queries(services.duties_remind, 1, grow=lambda: _pairs_not_owed(semester))
    # Only the running cycle's pairs are read (through the pairs' cycle index), not the 12,000
    # pairs of ended cycles: the coarse bound on the cycle's end (a day before UTC's today)
    # lets the planner start from the few running cycles.
    assert_uses_index(queries[0], table=PAIRS, index=None)


ACTIVITY = ("mentoring_contact", "mentoring_meeting", "mentoring_meeting_mentees", "mentoring_outreach")


def _pairs_reminded(world: dict, count: int, keys: tuple[str, ...]) -> None:
    """`count` pairs of the running cycle, each with a mentee nobody contacted or met, whose
    mentors already hold the reminders with these keys."""
    cycle, faculty = world["cycle"], world["faculty"]
    thirds, fourths, users = _people("third", count), _people("fourth", count), _people("mentee", count)
    pairs = MentorPair.objects.bulk_create(
        MentorPair(cycle=cycle, third_year=t, fourth_year=f, faculty_mentor=faculty, published_at=PUBLISHED)
        for t, f in zip(thirds, fourths, strict=True)
    )
    Mentee.objects.bulk_create(Mentee(cycle=cycle, pair=p, user=u) for p, u in zip(pairs, users, strict=True))
    _reminders_held(pairs, keys)


def test_the_idle_duty_reminders_read_no_contacts_meetings_or_outreach_when_none_could_be_owed(semester):
    """Every pair has a mentee missing, but already holds this month's and this milestone's
    reminders: the per-mentee counts are never evaluated (their scans run 0 times)."""
    with time_machine.travel(AFTER_MID_SEMESTER):
        assert services.duties_remind() == 4
        _pairs_reminded(semester, 30, ("month-2026-10", "meet-2026-09-01-mid"))
        (sql,) = idle_queries(services.duties_remind)
        loops = loops_by_table(sql)
    assert loops["mentoring_mentorpair"] > 0  # the pairs are read...
    assert {table: loops.get(table, 0) for table in ACTIVITY} == dict.fromkeys(ACTIVITY, 0)  # ...not their activity


def test_the_duty_counts_are_read_for_the_pairs_that_could_be_owed(semester):
    """The same pairs without this month's reminder: from the 21st they could be owed one,
    so their mentees' contacts, meetings and outreach are read (and the reminders go)."""
    with time_machine.travel(AFTER_MID_SEMESTER):
        assert services.duties_remind() == 4
        _pairs_reminded(semester, 30, ("meet-2026-09-01-mid",))
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            assert services.duties_remind() == 30 * 2
            transaction.set_rollback(True)  # explained below as it found them, then sent for real
        could, owed = (loops_by_table(query["sql"]) for query in captured.captured_queries[:2])
        loops = {table: could.get(table, 0) + owed.get(table, 0) for table in ACTIVITY}
        assert services.duties_remind() == 30 * 2
    # (the meetings' mentees table may or may not run, as the planner joins it to the meetings)
    assert all(loops[table] > 0 for table in ("mentoring_contact", "mentoring_meeting", "mentoring_outreach")), loops


def test_a_pair_of_the_running_cycle_is_still_reminded_among_thousands(semester):
    with time_machine.travel(AFTER_MID_SEMESTER):
        _pairs_not_owed(semester)
        assert services.duties_remind() == 4
        assert services.duties_remind() == 0


def _contacts_not_due(world: dict, count: int = 3000) -> None:
    """Answered contacts, contacts escalated to the last step, and contacts not yet due."""
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    shapes = (
        {"answered_at": now - hour, "due_at": now - hour},
        {
            "mentors_alerted_at": now,
            "faculty_alerted_at": now,
            "coordinator_alerted_at": now,
            "due_at": now - 100 * hour,
        },
        {"due_at": now + 10 * hour},
    )
    Contact.objects.bulk_create(
        Contact(
            mentee=world["mentee"], pair=world["pair"], channel="text", received_at=now - 200 * hour, **shapes[n % 3]
        )
        for n in range(count)
    )
    analyze(CONTACTS)


# SAVEPOINT, the claiming SELECT ... FOR UPDATE SKIP LOCKED, RELEASE SAVEPOINT; for each of the three steps.
def test_the_idle_contact_escalation_reads_only_contacts_that_can_still_escalate(pair_world):
    queries = assert_constant_idle_queries(services.contacts_escalate, 9, grow=lambda: _contacts_not_due(pair_world))
    for step in (1, 4, 7):
        assert_uses_index(queries[step], table=CONTACTS, index="contact_escalation_due")


def _applications_not_due(world: dict, count: int = 6000) -> None:
    """Decided applications, and offers that have not expired yet."""
    cycle = world["cycle"]
    applicants = _people("applicant", count)
    statuses = ("selected", "waitlisted", "declined", "withdrawn", "lapsed", "offered")
    later = timezone.now() + datetime.timedelta(hours=48)
    Application.objects.bulk_create(
        Application(
            cycle=cycle,
            applicant=person,
            entering_year=3,
            motivation="m",
            status=statuses[n % 6],
            offer_expires_at=later if statuses[n % 6] == "offered" else None,
        )
        for n, person in enumerate(applicants)
    )
    analyze("mentoring_application")


# 1. the next expired offer, through the partial index of open offers.
def test_the_idle_place_offer_sweep_reads_only_open_offers(pair_world):
    queries = assert_constant_idle_queries(
        services.place_offers_expire, 1, grow=lambda: _applications_not_due(pair_world)
    )
    assert_uses_index(queries[0], table="mentoring_application", index="mentor_offers_expiring")


def test_the_idle_faculty_summaries_cost_one_query_however_many_pairs(semester):
    with time_machine.travel(AFTER_MID_SEMESTER):
        assert services.faculty_summaries_send() == 1  # September's, to the one faculty mentor
        # 1. the faculty mentors owed the closed month's summary (none now).
        queries = assert_constant_idle_queries(
            services.faculty_summaries_send, 1, grow=lambda: _pairs_not_owed(semester)
        )
    assert_uses_index(queries[0], table=PAIRS, index=None)


def _cycles_long_over(world: dict, count: int = 20_000) -> None:
    """`count` cycles of past years, their semesters' feedback long invited or never due."""
    program, first = world["cycle"].program, datetime.date(1950, 9, 1)
    MentoringCycle.objects.bulk_create(
        (
            MentoringCycle(
                program=program,
                name=f"past {n}",
                starts_on=first + datetime.timedelta(days=n),
                ends_on=first + datetime.timedelta(days=n + 300),
                fall_ends_on=first + datetime.timedelta(days=n + 100),
                spring_ends_on=first + datetime.timedelta(days=n + 280),
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    analyze("mentoring_mentoringcycle")


# 1. the cycles with a semester that ended in the last days (none now), through the two
# partial indexes of semester ends.
def test_the_idle_pair_feedback_invitations_read_only_cycles_whose_semester_just_ended(semester):
    with time_machine.travel(AFTER_MID_SEMESTER):
        queries = assert_constant_idle_queries(pair_feedback_invite, 1, grow=lambda: _cycles_long_over(semester))
    assert_uses_index(queries[0], table="mentoring_mentoringcycle", index="cycle_fall_ends")
    assert_uses_index(queries[0], table="mentoring_mentoringcycle", index="cycle_spring_ends")


def test_the_coordinators_home_counts_escalated_contacts_from_their_own_index(pair_world):
    """Not a sweep, but the same promise: the home page's count of contacts escalated to
    the coordinator and still unanswered reads `contact_escalated_open`, not every contact."""
    from mentoring.home import _escalated_contacts

    now, hour = timezone.now(), datetime.timedelta(hours=1)

    def shape(n: int) -> dict:
        """As a year of contacts looks: nearly all answered in time; one in 50 answered only
        after reaching the coordinator; one in 100 not yet due; the first two still open."""
        if n < 2:
            return {"coordinator_alerted_at": now - 50 * hour}
        if n % 100 == 1:
            return {"due_at": now + 10 * hour}
        if n % 50 == 0:
            return {"coordinator_alerted_at": now - 50 * hour, "answered_at": now - 40 * hour}
        return {"answered_at": now - 150 * hour}

    Contact.objects.bulk_create(
        Contact(
            mentee=pair_world["mentee"],
            pair=pair_world["pair"],
            channel="text",
            received_at=now - 200 * hour,
            **{"due_at": now - 100 * hour, **shape(n)},
        )
        for n in range(6000)
    )
    analyze(CONTACTS)
    with CaptureQueriesContext(connection) as captured:
        (item,) = _escalated_contacts(pair_world["coordinator"])
    assert item.title.startswith("2 mentee contacts escalated to you")
    sql = main_query([query["sql"] for query in captured.captured_queries], CONTACTS)
    assert_uses_index(sql, table=CONTACTS, index="contact_escalated_open")

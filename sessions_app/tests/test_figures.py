"""The sessions figures, against a hand-computed fall term (program zone: Toronto)."""

import datetime

import pytest
import time_machine

from peers.figures import Period
from peers.models import Role
from peers.tests.factories import MembershipFactory, UserFactory
from sessions_app import figures_pages
from sessions_app.models import Booking, Facilitation, Feedback, Session
from sessions_app.tests.factories import SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db

TORONTO = datetime.timezone(datetime.timedelta(hours=-4))
AFTER_FALL = datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC)
FALL = Period.parse("2026-fall")


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T18:00").replace(tzinfo=TORONTO)


def _session(program, day, capacity, topic=None, **kwargs):
    return SessionFactory(
        program=program, starts_at=at(day), capacity=capacity, topic=topic or TopicFactory(), **kwargs
    )


def _book(session, user, attended):
    Booking.objects.create(session=session, user=user, round_key=f"s{session.pk}", attended=attended)


def _facilitate(session, user, slot, days_ahead):
    facilitation = Facilitation.objects.create(session=session, user=user, slot=slot)
    Facilitation.objects.filter(pk=facilitation.pk).update(
        created_at=session.starts_at - datetime.timedelta(days=days_ahead)
    )


@pytest.fixture
def fall_term(program):
    """Four trainees. September: A (10 seats; t1 and t2 came, t3 did not; both facilitators
    10 days ahead) and B (8 seats; t1 came, t4's attendance not taken; the second
    facilitator 2 days ahead). October: C (6 seats; t2 booked, attendance never taken)
    and a cancelled D. December: nothing."""
    trainees = [
        MembershipFactory(program=program, role=Role.TRAINEE, starts_on=datetime.date(2026, 1, 1)).user
        for _ in range(4)
    ]
    t1, t2, t3, t4 = trainees
    f1, f2, f3 = (UserFactory(name=name) for name in ("Ash Facilitator", "Birch Facilitator", "Cedar Facilitator"))
    topic = TopicFactory(title="Boundaries")
    a = _session(program, "2026-09-10", 10, topic=topic)
    b = _session(program, "2026-09-20", 8)
    c = _session(program, "2026-10-05", 6)
    d = _session(program, "2026-10-12", 6, status=Session.Status.CANCELLED)
    for user, attended in ((t1, True), (t2, True), (t3, False)):
        _book(a, user, attended)
    _book(b, t1, True)
    _book(b, t4, None)
    _book(c, t2, None)
    _book(d, t3, True)
    _facilitate(a, f1, 1, 10)
    _facilitate(a, f2, 2, 10)
    _facilitate(b, f1, 1, 10)
    _facilitate(b, f3, 2, 2)
    for rating in (5, 4, 4, 3, 5):
        Feedback.objects.create(session=a, rating=rating, comment=f"Rated {rating}")
    for rating in (2, 3):
        Feedback.objects.create(session=b, rating=rating, comment="Too short")
    Feedback.objects.update(submitted_on=datetime.date(2026, 9, 21))
    return a, b, c


def _figures(program, period=FALL):
    with time_machine.travel(AFTER_FALL, tick=False):
        section = figures_pages.program_section(program, period)
    return {figure.slug: figure for figure in section.figures}


def _rows(figure):
    return {row[0]: row[1:] for row in figure.rows}


def test_sessions_held_seats_and_attendance_by_month_and_for_the_term(program, fall_term):
    figures = _figures(program)
    held = _rows(figures["sessions-held"])
    assert held["Sep 2026"] == [2, 18, 5]
    assert held["Oct 2026"] == [1, 6, 1]  # the cancelled session is not held
    assert held["Dec 2026"] == [0, 0, 0]
    assert held["Whole period"] == [3, 24, 6]
    attendance = _rows(figures["sessions-attendance"])
    assert attendance["Sep 2026"] == [75, 3, 4]  # 3 of the 4 recorded
    assert attendance["Oct 2026"] == [None, 0, 0]  # nothing recorded: no rate
    assert attendance["Whole period"] == [75, 3, 4]


def test_reach_and_repeat_count_distinct_trainees(program, fall_term):
    reach = _rows(_figures(program)["sessions-reach"])
    assert reach["Sep 2026"] == [50, 2, 50, 1]  # t1 and t2 of 4; t1 came twice
    assert reach["Oct 2026"] == [0, 0, None, 0]
    assert reach["Whole period"] == [50, 2, 50, 1]


def test_a_years_terms_are_distinct_people_not_sums_of_months(program, fall_term):
    *_, c = fall_term
    spring = _session(program, "2027-02-10", 5)
    _book(spring, c.bookings.get().user, True)  # t2, who came once in the fall
    with time_machine.travel(datetime.datetime(2027, 7, 2, tzinfo=datetime.UTC), tick=False):
        section = figures_pages.program_section(program, Period.parse("2026"))
    reach = _rows({f.slug: f for f in section.figures}["sessions-reach"])
    assert reach["Fall 2026"] == [50, 2, 50, 1]
    assert reach["Spring 2027"] == [25, 1, 0, 0]
    assert reach["Whole period"] == [50, 2, 100, 2]  # t1 and t2 each came twice across the year


def test_coverage_load_and_attendance_never_taken(program, fall_term):
    figures = _figures(program)
    coverage = _rows(figures["sessions-coverage"])
    assert coverage["Sep 2026"] == [50, 1, 2, 0]  # B's second facilitator came 2 days ahead
    assert coverage["Oct 2026"] == [0, 0, 1, 1]  # C: booked, attendance never taken
    assert coverage["Whole period"] == [33, 1, 3, 1]
    assert figures["sessions-load"].rows == [["Ash Facilitator", 2], ["Birch Facilitator", 1], ["Cedar Facilitator", 1]]


def test_feedback_by_topic_shows_averages_and_comments_only_for_five_answers(program, fall_term):
    figures = _figures(program)
    by_topic = figures["feedback-topic"]
    rows = _rows(by_topic)
    assert rows["Boundaries"] == [4.2, "5 or more"]
    (other,) = [label for label in rows if label != "Boundaries"]
    assert rows[other] == ["–", "fewer than 5"]
    assert by_topic.texts == {"Boundaries": ["Rated 3", "Rated 4", "Rated 4", "Rated 5", "Rated 5"]}
    assert _rows(figures["feedback-format"]) == {"In person": [3.7, "5 or more"]}  # (21 + 5) / 7


def test_feedback_waits_for_the_period_to_end(program, fall_term):
    with time_machine.travel(datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC), tick=False):
        section = figures_pages.program_section(program, FALL)
    feedback = {f.slug: f for f in section.figures}["feedback-topic"]
    assert feedback.rows == [] and "once the period has ended" in feedback.note

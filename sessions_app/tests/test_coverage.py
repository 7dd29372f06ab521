"""The roster's shortfall and monthly open slots, and the open-slots page."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from peers.models import Role, TrainingRecord
from peers.testing.queries import page_queries
from peers.tests.factories import MembershipFactory, UserFactory
from sessions_app import services
from sessions_app.coverage import coverage_by_month
from sessions_app.models import Availability, Facilitation
from sessions_app.selectors import facilitator_roster
from sessions_app.tests.factories import SeriesFactory, SessionFactory

pytestmark = pytest.mark.django_db
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def _advisor(program, email):
    user = UserFactory(email=email)
    MembershipFactory(user=user, program=program, role=Role.WELLNESS_ADVISOR)
    return user


def _round(program, series, day: datetime.date, groups: int = 2):
    start = datetime.datetime.combine(day, datetime.time(12), TORONTO)
    return [
        SessionFactory(program=program, series=series, round_date=day, group_number=n, starts_at=start)
        for n in range(1, groups + 1)
    ]


def _available(user, program, *months):
    for month in months:
        Availability.objects.create(user=user, program=program, month=month)


def test_the_shortfall_counts_at_most_one_wellness_advisor_per_group(program, trained_facilitator):
    for _ in range(20):
        MembershipFactory(program=program, role=Role.TRAINEE)  # 2 groups of 10: 4 co-facilitators needed
    trained_facilitator("only@example.edu")
    for n in range(3):
        _advisor(program, f"advisor{n}@example.edu")
    roster = facilitator_roster(program)
    assert (roster["needed"], roster["available"], roster["shortfall"]) == (4, 3, 1)


@time_machine.travel(datetime.datetime(2027, 1, 10, 9, tzinfo=TORONTO), tick=False)
def test_each_coming_month_shows_open_slots_and_the_shortfall_from_stated_availability(
    client, program, coordinator, trained_facilitator
):
    series = SeriesFactory(program=program)
    january, february = (
        _round(program, series, datetime.date(2027, 1, 20)),
        _round(program, series, datetime.date(2027, 2, 17)),
    )
    jan, feb, mar = datetime.date(2027, 1, 1), datetime.date(2027, 2, 1), datetime.date(2027, 3, 1)
    both, early = trained_facilitator("both@example.edu"), trained_facilitator("early@example.edu")
    _available(both, program, jan, feb)
    _available(early, program, jan)
    for n in range(2):  # two advisors for February's two groups: each fills one slot
        _available(_advisor(program, f"adv{n}@example.edu"), program, feb)
    expired = trained_facilitator("expired@example.edu")
    TrainingRecord.objects.filter(user=expired).update(expires_on=datetime.date(2027, 1, 5))
    _available(expired, program, jan, feb)  # said yes, but untrained: not counted
    services.facilitation_add(session=january[0], user=both)
    rows = {row["month"]: row for row in coverage_by_month(program)}
    assert [(rows[m]["sessions"], rows[m]["open"], rows[m]["slots"]) for m in (jan, feb, mar)] == [
        (2, 3, 4),
        (2, 4, 4),
        (0, 0, 0),
    ]
    # January: one round, two available facilitators, one group each: 2 of 4 slots unfillable.
    # February: one facilitator and two advisors (one per session): 3 of 4.
    assert (rows[jan]["shortfall"], rows[feb]["shortfall"], rows[mar]["shortfall"]) == (2, 1, 0)
    assert len(february) == 2
    client.force_login(coordinator)
    page = " ".join(client.get(reverse("sessions:roster", args=[program.pk])).content.decode().split())
    assert (
        '<td data-label="Month">January 2027</td><td data-label="Sessions">2</td>'
        '<td data-label="Open slots">3 of 4</td>' in page
    )


def test_the_open_slots_page_shows_only_sessions_the_facilitator_can_still_take(
    client, program, trained_facilitator, advisor
):
    person = trained_facilitator("me@example.edu")
    held = SessionFactory(program=program)
    services.facilitation_add(session=held, user=person)
    clashing = SessionFactory(program=program, starts_at=held.starts_at + datetime.timedelta(minutes=30))
    free = SessionFactory(program=program, starts_at=held.starts_at + datetime.timedelta(days=1))
    full = SessionFactory(program=program, starts_at=held.starts_at + datetime.timedelta(days=2))
    services.facilitation_add(session=full, user=trained_facilitator("a@example.edu"))
    services.facilitation_add(session=full, user=trained_facilitator("b@example.edu"))
    after_training = SessionFactory(program=program, starts_at=held.starts_at + datetime.timedelta(days=400))
    with_advisor = SessionFactory(program=program, starts_at=held.starts_at + datetime.timedelta(days=3))
    services.facilitation_add(session=with_advisor, user=advisor, kind=Facilitation.Kind.WELLNESS_ADVISOR)

    def offered(user):
        client.force_login(user)
        page = client.get(reverse("sessions:facilitate")).content.decode()
        return {
            s.pk for s in (held, clashing, free, full, after_training, with_advisor) if f"/{s.pk}/facilitate/" in page
        }

    assert offered(person) == {free.pk, with_advisor.pk}
    assert offered(advisor) == {held.pk, clashing.pk, free.pk, after_training.pk}


def test_the_open_slots_page_runs_a_fixed_number_of_queries(client, program, trained_facilitator):
    person = trained_facilitator("me@example.edu")
    client.force_login(person)
    first_session = SessionFactory(program=program)
    url = reverse("sessions:facilitate")
    first = len(page_queries(client, url))
    for n in range(10):
        SessionFactory(program=program, starts_at=first_session.starts_at + datetime.timedelta(days=n + 1))
        Availability.objects.create(user=person, program=program, month=datetime.date(2027, n + 1, 1))
    assert len(page_queries(client, url)) == first

"""My PEERS for a peer mentor: a mentee's waiting contact with the time left to answer it."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from mentoring import services
from mentoring.models import Contact, Mentee, MentorPair
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_mentor_sees_the_time_left_to_answer_then_how_overdue_it_is(client, pair_world):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="Please call me")
    with time_machine.travel(contact.due_at - datetime.timedelta(hours=3, minutes=20), tick=False):
        client.force_login(pair_world["third"])
        before = client.get("/").content.decode()
    with time_machine.travel(contact.due_at + datetime.timedelta(minutes=45), tick=False):
        client.force_login(pair_world["third"])
        after = client.get("/").content.decode()
    assert "is waiting for your answer" in before and "answer by" in before and "3 h 20 min left" in before
    assert "overdue by 45 min" in after and "list-group-item-warning" in after


def _escalated(pair_world, n: int) -> None:
    """`n` contacts left unanswered after the last escalation (the coordinators were told)."""
    for _ in range(n):
        contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="hello")
        Contact.objects.filter(pk=contact.pk).update(
            received_at=timezone.now() - datetime.timedelta(days=4),
            due_at=timezone.now() - datetime.timedelta(days=3),
            coordinator_alerted_at=timezone.now(),
        )


def _pair_of(cycle, mentees: int, *, published: bool) -> MentorPair:
    pair = MentorPair.objects.create(
        cycle=cycle,
        third_year=UserFactory(),
        fourth_year=UserFactory(),
        faculty_mentor=UserFactory(),
        published_at=timezone.now() if published else None,
    )
    for _ in range(mentees):
        Mentee.objects.create(cycle=cycle, pair=pair, user=UserFactory())
    return pair


def test_a_coordinator_is_told_of_escalated_contacts_with_a_link_to_them(client, pair_world):
    coordinator = pair_world["coordinator"]
    client.force_login(coordinator)
    assert "escalated to you" not in client.get("/").content.decode()
    _escalated(pair_world, 2)
    services.contact_create(mentee=pair_world["mentee"], channel="text", message="not late yet")

    page = client.get("/").content.decode()

    assert "2 mentee contacts escalated to you, still unanswered" in page
    link = "/admin/mentoring/contact/?answered_at__isempty=1&amp;coordinator_alerted_at__isempty=0"
    assert link in page
    listed = client.get(link.replace("&amp;", "&"))
    assert listed.status_code == 200 and listed.context["cl"].result_count == 2


def test_a_coordinator_is_told_of_cohorts_out_of_bounds_in_draft_and_published_pairs(client, pair_world):
    cycle = pair_world["cycle"]
    cycle.ends_on = timezone.localdate() + datetime.timedelta(days=200)
    cycle.save()
    for _ in range(12):  # the fixture's pair holds 13 with its own mentee: usual
        Mentee.objects.create(cycle=cycle, pair=pair_world["pair"], user=UserFactory())
    _pair_of(cycle, 3, published=False)
    _pair_of(cycle, 17, published=True)
    _pair_of(cycle, 14, published=False)  # usual
    client.force_login(pair_world["coordinator"])

    page = client.get("/").content.decode()

    assert "2 mentoring pair(s) with a cohort outside 12-15" in page
    assert f"{cycle.name}: 1 draft, 1 published; review the cohorts" in page
    assert f"/admin/mentoring/mentorpair/?cycle__id__exact={cycle.pk}" in page


def test_mentors_and_other_programs_coordinators_are_told_neither(client, pair_world, other_coordinator):
    _escalated(pair_world, 1)
    _pair_of(pair_world["cycle"], 2, published=False)
    for person in (pair_world["third"], pair_world["faculty"], other_coordinator):
        client.force_login(person)
        page = client.get("/").content.decode()
        assert "escalated to you" not in page and "with a cohort outside" not in page


def test_the_coordinators_home_stays_fixed_as_escalations_and_cohorts_grow(client, pair_world):
    """1 session, 2 user, 3 TOTP check, 4 unread count, 5 memberships, then the to-dos:
    6 failed notifications, 7 sessions' offers, 8 bookings, 9 shortfalls, 10 mentee
    contacts waiting, 11 referrals, 12 change requests, 13 escalated contacts, 14 cohorts
    out of bounds, 15 support offers."""
    client.force_login(pair_world["coordinator"])
    _escalated(pair_world, 1)

    def grow():
        _escalated(pair_world, 5)
        for size in (1, 4, 20):
            _pair_of(pair_world["cycle"], size, published=size > 3)

    assert_fixed_queries(client, "/", 15, grow=grow)

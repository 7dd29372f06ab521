"""Fixed query counts on the mentor's page and the coordinator's figures, and cohort bounds."""

import datetime
import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import services
from mentoring.models import AwayNotice, Contact, Mentee, MentorPair, MentorReferral
from peers.models import AccessLog, Role
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _grow(pair_world, mentees: int, pairs: int = 0) -> None:
    program = pair_world["cycle"].program
    for _ in range(mentees):
        user = UserFactory()
        MembershipFactory(user=user, program=program, role=Role.TRAINEE)
        mentee = Mentee.objects.create(cycle=pair_world["cycle"], pair=pair_world["pair"], user=user)
        services.contact_create(mentee=mentee, channel="text", message="hi")
        MentorReferral.objects.create(
            pair=pair_world["pair"], mentor=pair_world["third"], to="faculty", category="other", mentee=mentee
        )
    for _ in range(pairs):
        MentorPair.objects.create(
            cycle=pair_world["cycle"],
            third_year=UserFactory(),
            fourth_year=UserFactory(),
            faculty_mentor=pair_world["faculty"],
            published_at=pair_world["pair"].published_at,
        )


def test_the_mentors_page_runs_a_fixed_number_of_queries(client, pair_world):
    client.force_login(pair_world["third"])
    # 1 session, 2 user, 3 memberships, 4 the disclosure statement to accept (with my
    # newest pair and my acceptance), 5 pairs with mentors, 6 mentees, 7 away notices
    # not over (who is on duty today, and my own, current or to come), 8 waiting
    # contacts, 9 my own mentee place, 10 meetings, 11 outreach, 12 contacts answered
    # this month, 13 unread count, 14 survey invitations, 15 referrals made or received.
    # No task's form until one is opened. (The reads of the waiting messages are logged
    # on the audit connection: test_the_waiting_messages_are_logged_in_one_insert.)
    assert_fixed_queries(client, reverse("mentoring:home"), 15, grow=lambda: _grow_with_away(pair_world))


def test_an_open_task_adds_no_query(client, pair_world):
    client.force_login(pair_world["third"])
    # As above: the form's mentees are the pairs' mentees, already loaded.
    assert_fixed_queries(client, reverse("mentoring:home") + "?task=meeting", 15, grow=lambda: _grow(pair_world, 12))


def test_the_waiting_messages_are_logged_in_one_insert(client, pair_world):
    """Every message the page shows is a logged read, one row each, in one INSERT however many."""
    client.force_login(pair_world["third"])
    logs = AccessLog.objects.using("audit").filter(action="message_view", actor=pair_world["third"])
    for waiting in (1, 13):
        _grow(pair_world, mentees=waiting - Contact.objects.filter(answered_at=None).count())
        before = logs.count()
        with CaptureQueriesContext(connections["audit"]) as audit:
            page = client.get(reverse("mentoring:home")).content.decode()
        assert page.count("hi</p>") == waiting
        assert len(audit.captured_queries) == 1 and logs.count() == before + waiting
        assert set(logs.values_list("object_id", flat=True)) == {
            str(pk) for pk in Contact.objects.filter(answered_at=None).values_list("pk", flat=True)
        }


def _grow_with_away(pair_world) -> None:
    """More mentees, contacts and referrals, and away notices to show at the top."""
    _grow(pair_world, mentees=12)
    today = datetime.date.today()
    for weeks in (1, 3, 5):
        starts_on = today + datetime.timedelta(weeks=weeks)
        AwayNotice.objects.create(
            mentor=pair_world["third"], pair=pair_world["pair"], starts_on=starts_on, ends_on=starts_on, reason="exams"
        )


def test_the_faculty_mentors_page_stays_fixed_as_pairs_grow(client, pair_world):
    client.force_login(pair_world["faculty"])
    # 1 session, 2 user, 3 memberships, 4 my pairs, 5 pairs with mentors, 6 mentees,
    # 7 away notices, 8 waiting contacts, 9 unread count, 10 survey invitations,
    # 11 my own mentee place, 12 referrals made or received.
    assert_fixed_queries(client, reverse("mentoring:home"), 12, grow=lambda: _grow(pair_world, mentees=3, pairs=4))


def test_the_coordinators_figures_run_a_fixed_number_of_queries(client, pair_world):
    client.force_login(pair_world["coordinator"])
    # 1 session, 2 user, 3 TOTP check, 4 memberships, 5 cycles, 6-11 the pairs' activity
    # (pairs, mentees, meetings, outreach, answered contacts, mentee ids), read once for
    # both the figures and the mentee-by-mentee rows, 12 contact totals, 13 application
    # totals, 14 unread count.
    assert_fixed_queries(client, reverse("mentoring:figures"), 14, grow=lambda: _grow(pair_world, mentees=8, pairs=5))


def test_the_admin_warns_about_cohorts_outside_12_to_15(client, pair_world):
    client.force_login(pair_world["coordinator"])
    page = client.get(reverse("admin:mentoring_mentorpair_changelist")).content.decode()
    assert "1 (outside 12-15)" in page
    _grow(pair_world, mentees=12)
    page = client.get(reverse("admin:mentoring_mentorpair_changelist")).content.decode()
    assert "13" in page and "13 (outside" not in page


def test_the_mentees_page_stays_fixed_as_their_messages_grow(client, pair_world):
    client.force_login(pair_world["mentee_user"])

    def grow():
        for n in range(8):
            services.contact_create(mentee=pair_world["mentee"], channel="email", message=f"Question {n}")

    # 1 session, 2 user, 3 memberships, 4 the statement to accept (none: not a peer
    # mentor), 5 my pairs as a mentor (none, so no mentees or away notices), 6 waiting
    # contacts of pairs I mentor, 7 my places with my mentors, 8 who answers today,
    # 9 my recent messages, 10 unread count, 11 survey invitations, 12 referrals.
    assert_fixed_queries(client, reverse("mentoring:home"), 12, grow=grow)


def test_the_admin_contact_list_runs_a_fixed_number_of_queries(client, pair_world):
    _grow(pair_world, mentees=2)
    client.force_login(pair_world["coordinator"])
    # 1 session, 2 user, 3 TOTP check, 4 memberships, 5 the count (capped), 6-7 the
    # permissions, 8 the page (mentees, their people and pairs' mentors joined).
    assert_fixed_queries(
        client, reverse("admin:mentoring_contact_changelist"), 8, grow=lambda: _grow(pair_world, mentees=30)
    )
    page = client.get(reverse("admin:mentoring_contact_changelist")).content.decode()
    assert len(set(re.findall(r"/admin/mentoring/contact/(\d+)/change/", page))) == 25  # a page of 25
    assert "32 contacts" in page


def _applications(pair_world, count: int) -> None:
    from mentoring.models import Application, MentoringCycle

    other_cycle = MentoringCycle.objects.get(pk=pair_world["cycle"].pk)  # rows of one cycle, each its own object
    for _ in range(count):
        Application.objects.create(
            cycle=other_cycle, applicant=UserFactory(), entering_year=3, motivation="I can help."
        )


@pytest.mark.parametrize(
    ("url", "expected", "grow"),
    [
        # 1 session, 2 user, 3 TOTP check, 4 memberships, 5-6 the cycles (scope and the
        # cycle filter's choices), 7 count, 8-9 permissions, 10 rows with their people,
        # cycle and program (a cycle's name names its program: one query a row without it)
        ("admin:mentoring_mentorpair_changelist", 10, lambda world: _grow(world, mentees=0, pairs=6)),
        # the same without the scope's read of the cycles
        ("admin:mentoring_application_changelist", 9, lambda world: _applications(world, 6)),
    ],
)
def test_the_coordinators_pair_and_application_lists_run_a_fixed_number_of_queries(
    client, pair_world, url, expected, grow
):
    client.force_login(pair_world["coordinator"])
    assert_fixed_queries(client, reverse(url), expected, grow=lambda: grow(pair_world))

"""Fixed query counts on the mentor's page and the coordinator's figures, and cohort bounds."""

import datetime
import re

import pytest
from django.urls import reverse

from mentoring import services
from mentoring.models import AwayNotice, Mentee, MentorPair, MentorReferral
from peers.models import Role
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
    # 1 session, 2 user, 3 memberships, 4 my pairs, 5 the disclosure statement to accept,
    # 6 pairs with mentors, 7 mentees, 8 away notices, 9 waiting contacts, 10 meetings,
    # 11 outreach, 12 contacts answered this month, 13 mentee ids (duty), 14 my own away
    # notices, current or to come, 15 unread count, 16 survey invitations, 17 my own
    # mentee place, 18 referrals made or received.
    assert_fixed_queries(client, reverse("mentoring:home"), 18, grow=lambda: _grow_with_away(pair_world))


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

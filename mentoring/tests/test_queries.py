"""Fixed query counts on the mentor's page and the coordinator's figures, and cohort bounds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import services
from mentoring.models import Mentee, MentorPair
from peers.models import Role
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(pair_world, mentees: int, pairs: int = 0) -> None:
    program = pair_world["cycle"].program
    for _ in range(mentees):
        user = UserFactory()
        MembershipFactory(user=user, program=program, role=Role.TRAINEE)
        mentee = Mentee.objects.create(cycle=pair_world["cycle"], pair=pair_world["pair"], user=user)
        services.contact_create(mentee=mentee, channel="text", message="hi")
    for _ in range(pairs):
        MentorPair.objects.create(
            cycle=pair_world["cycle"],
            third_year=UserFactory(),
            fourth_year=UserFactory(),
            faculty_mentor=pair_world["faculty"],
        )


def test_the_mentors_page_runs_a_fixed_number_of_queries(client, pair_world):
    client.force_login(pair_world["third"])
    first = _count(client, reverse("mentoring:home"))
    _grow(pair_world, mentees=12)
    assert _count(client, reverse("mentoring:home")) == first


def test_the_faculty_mentors_page_stays_fixed_as_pairs_grow(client, pair_world):
    client.force_login(pair_world["faculty"])
    first = _count(client, reverse("mentoring:home"))
    _grow(pair_world, mentees=3, pairs=4)
    assert _count(client, reverse("mentoring:home")) == first


def test_the_coordinators_figures_run_a_fixed_number_of_queries(client, pair_world):
    client.force_login(pair_world["coordinator"])
    first = _count(client, reverse("mentoring:figures"))
    _grow(pair_world, mentees=8, pairs=5)
    assert _count(client, reverse("mentoring:figures")) == first


def test_the_admin_warns_about_cohorts_outside_12_to_15(client, pair_world):
    client.force_login(pair_world["coordinator"])
    page = client.get(reverse("admin:mentoring_mentorpair_changelist")).content.decode()
    assert "1 (outside 12-15)" in page
    _grow(pair_world, mentees=12)
    page = client.get(reverse("admin:mentoring_mentorpair_changelist")).content.decode()
    assert "13" in page and "13 (outside" not in page

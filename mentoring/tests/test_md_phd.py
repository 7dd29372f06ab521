"""MD/PhD students keep their learning-community pair and also have the MD/PhD pair;
they write to either pair's mentors from the mentoring page."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from mentoring.models import Contact, Mentee, MentorPair
from peers.models import Notification, Role
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def md_phd_place(pair_world):
    """The fixture's mentee is an MD/PhD student: a place in the MD/PhD pair too."""
    cycle = pair_world["cycle"]
    mentors = []
    for name in ("Mdphd Third", "Mdphd Fourth"):
        mentor = UserFactory(name=name)
        MembershipFactory(user=mentor, program=cycle.program, role=Role.PEER_MENTOR)
        mentors.append(mentor)
    pair = MentorPair.objects.create(
        cycle=cycle,
        third_year=mentors[0],
        fourth_year=mentors[1],
        faculty_mentor=pair_world["faculty"],
        is_md_phd=True,
        published_at=pair_world["pair"].published_at,
    )
    return Mentee.objects.create(cycle=cycle, pair=pair, user=pair_world["mentee_user"])


def test_an_md_phd_student_sees_both_pairs_and_writes_to_the_md_phd_mentors(client, pair_world, md_phd_place):
    client.force_login(pair_world["mentee_user"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Your peer mentors" in page and "Your MD/PhD peer mentors" in page
    assert "Third and Fourth" in page and "Mdphd Third and Mdphd Fourth" in page
    client.post(reverse("mentoring:contact"), {"place": md_phd_place.pk, "channel": "text", "message": "Lab question"})
    contact = Contact.objects.get()
    assert contact.pair == md_phd_place.pair and contact.mentee == md_phd_place
    told = set(Notification.objects.filter(kind="mentee_contact").values_list("recipient__name", flat=True))
    assert told == {"Mdphd Third", "Mdphd Fourth"}
    client.post(reverse("mentoring:contact"), {"channel": "email", "message": "Course question"})  # no place: theirs
    assert Contact.objects.filter(pair=pair_world["pair"]).count() == 1


def test_nobody_writes_through_someone_elses_place(client, pair_world, md_phd_place):
    other = UserFactory()
    MembershipFactory(user=other, program=pair_world["cycle"].program, role=Role.TRAINEE)
    client.force_login(other)
    response = client.post(reverse("mentoring:contact"), {"place": md_phd_place.pk, "channel": "text", "message": "x"})
    assert response.status_code == 404 and not Contact.objects.exists()


def test_the_database_holds_one_place_of_each_kind_a_cycle(pair_world, md_phd_place):
    second = MentorPair.objects.create(
        cycle=pair_world["cycle"],
        third_year=UserFactory(),
        fourth_year=UserFactory(),
        faculty_mentor=pair_world["faculty"],
    )
    with pytest.raises(IntegrityError, match="mentee_once_per_cycle_and_kind"):
        Mentee.objects.create(cycle=pair_world["cycle"], pair=second, user=pair_world["mentee_user"])

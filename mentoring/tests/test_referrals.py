"""A referral reaches someone: whom it was sent to reads its note and the mentee it names
(each read logged), acknowledges it and records an outcome; the mentor sees that it was
received. Nobody else sees it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from mentoring import services
from mentoring.models import MentorReferral
from peers.models import AccessLog, Notification, Role
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTE = "She told me she has not slept in a week."
MENTEE = "Robin Quill"


@pytest.fixture(autouse=True)
def named_mentee(pair_world):
    pair_world["mentee_user"].name = MENTEE
    pair_world["mentee_user"].save()


def _refer(world, *, to="faculty", named=True):
    return services.referral_make(
        pair=world["pair"],
        mentor=world["third"],
        to=to,
        category="wellbeing",
        note=NOTE,
        mentee=world["mentee"] if named else None,
    )


def test_the_faculty_mentor_reads_the_note_and_the_mentee_and_each_read_is_logged(client, pair_world):
    referral = _refer(pair_world)
    told = Notification.objects.get(recipient=pair_world["faculty"], kind="mentor_referral")
    assert NOTE not in told.body and MENTEE not in told.body
    client.force_login(pair_world["faculty"])
    page = client.get(told.link).content.decode()
    assert NOTE in page and MENTEE in page and "Acknowledge: I have it" in page
    client.get(told.link)
    reads = AccessLog.objects.using("audit").filter(action="referral_view", object_id=str(referral.pk), allowed=True)
    assert reads.count() == 2


def test_the_note_is_encrypted_at_rest(pair_world):
    from django.db import connection

    referral = _refer(pair_world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM mentoring_mentorreferral WHERE id = %s", [referral.pk])
        assert NOTE not in cursor.fetchone()[0]


def test_acknowledging_tells_the_mentor_once_and_the_outcome_is_for_the_recipient(client, pair_world):
    referral = _refer(pair_world)
    client.force_login(pair_world["faculty"])
    url = reverse("mentoring:referral_detail", args=[referral.pk])
    done = client.post(url, {"action": "acknowledge"}, follow=True).content.decode()
    assert "the mentor has been told" in done
    client.post(url, {"action": "acknowledge"})  # a double tap
    told = Notification.objects.filter(recipient=pair_world["third"], kind="referral_acknowledged")
    assert told.count() == 1 and "Faculty" in told.get().body
    refused = client.post(url, {"note": "x"}, follow=True).content.decode()
    assert "Choose what came of the referral." in refused
    client.post(url, {"outcome": "met", "note": "We met on Tuesday."})
    referral.refresh_from_db()
    assert referral.outcome == "met" and referral.outcome_note == "We met on Tuesday."
    client.force_login(pair_world["third"])
    mine = client.get(url).content.decode()
    assert "Acknowledged by Faculty" in mine and "We met on Tuesday." not in mine and "Save the outcome" not in mine
    assert "acknowledged by Faculty" in client.get(reverse("mentoring:home")).content.decode()


def test_a_mentor_who_chose_not_to_name_the_mentee_leaves_them_unnamed(client, pair_world):
    referral = _refer(pair_world, named=False)
    client.force_login(pair_world["faculty"])
    page = client.get(reverse("mentoring:referral_detail", args=[referral.pk])).content.decode()
    assert "Not named by the mentor" in page and MENTEE not in page


def test_only_the_recipient_and_the_referring_mentor_see_it(client, pair_world, coordinator):
    referral = _refer(pair_world)  # to the faculty mentor
    url = reverse("mentoring:referral_detail", args=[referral.pk])
    outsider_faculty = UserFactory()
    MembershipFactory(user=outsider_faculty, program=pair_world["cycle"].program, role=Role.FACULTY_MENTOR)
    for person in (pair_world["fourth"], pair_world["mentee_user"], coordinator, outsider_faculty):
        client.force_login(person)
        assert client.get(url).status_code == 404, person
    assert (
        AccessLog.objects.using("audit")
        .filter(action="referral_view", object_id=str(referral.pk), allowed=False)
        .count()
        == 4
    )
    for person in (pair_world["faculty"], pair_world["third"]):
        client.force_login(person)
        assert NOTE in client.get(url).content.decode()


def test_a_referral_to_the_office_reaches_the_coordinators_not_the_faculty_mentor(client, pair_world, coordinator):
    referral = _refer(pair_world, to="office")
    url = reverse("mentoring:referral_detail", args=[referral.pk])
    client.force_login(pair_world["faculty"])
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    home = client.get(reverse("home")).content.decode()
    assert "A referral from Third waits for you" in home
    assert NOTE in client.get(url).content.decode()
    client.post(url, {"action": "acknowledge"})
    assert MentorReferral.objects.get(pk=referral.pk).acknowledged_by == coordinator


def test_the_referring_mentor_cannot_acknowledge_their_own_referral(pair_world):
    referral = _refer(pair_world)
    with pytest.raises(ValidationError, match="Only the people this referral was sent to"):
        services.referral_acknowledge(referral=referral, by=pair_world["third"])
    assert MentorReferral.objects.get(pk=referral.pk).acknowledged_at is None


def test_the_database_refuses_an_outcome_without_an_acknowledgement(pair_world):
    referral = _refer(pair_world)
    with pytest.raises(IntegrityError, match="referral_outcome_after_acknowledgement"):
        MentorReferral.objects.filter(pk=referral.pk).update(outcome="met")


def test_a_second_acknowledgement_changes_nothing_and_tells_nobody(pair_world):
    referral = _refer(pair_world)
    assert services.referral_acknowledge(referral=referral, by=pair_world["faculty"]) is True
    first = MentorReferral.objects.get(pk=referral.pk).acknowledged_at
    assert services.referral_acknowledge(referral=referral, by=pair_world["faculty"]) is False  # the work once
    assert MentorReferral.objects.get(pk=referral.pk).acknowledged_at == first


def test_a_mentor_with_a_new_statement_to_accept_sees_it_before_their_referral(client, pair_world, statement):
    from mentoring.models import DisclosureAcceptance, DisclosureStatement

    referral = MentorReferral.objects.create(
        pair=pair_world["pair"],
        mentor=pair_world["third"],
        to="faculty",
        category="other",
        note=NOTE,
        mentee=pair_world["mentee"],
    )
    assert DisclosureStatement.objects.count() == 1 and not DisclosureAcceptance.objects.exists()
    client.force_login(pair_world["third"])
    page = client.get(reverse("mentoring:referral_detail", args=[referral.pk])).content.decode()
    assert statement.text in page and MENTEE not in page and NOTE not in page

"""mentoring/access.py: a pair's contacts are for its mentors; an outsider, another
pair's mentor or faculty mentor, or another pair's mentee gets 404 and changes nothing.
Each read of a mentee's message is in the access log."""

import pytest
from django.urls import reverse

from mentoring import services
from mentoring.models import (
    Application,
    Contact,
    Interview,
    Mentee,
    MentorPair,
    MentorReferral,
    Outreach,
    Question,
    Survey,
)
from peers.models import AccessLog
from peers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OTHERS = ["outsider", "other pair's mentor", "other pair's faculty mentor", "other pair's mentee"]


@pytest.fixture
def other_pair(pair_world):
    pair = MentorPair.objects.create(
        cycle=pair_world["cycle"],
        third_year=UserFactory(),
        fourth_year=UserFactory(),
        faculty_mentor=UserFactory(),
        published_at=pair_world["pair"].published_at,
    )
    mentee = Mentee.objects.create(cycle=pair_world["cycle"], pair=pair, user=UserFactory())
    return {
        "outsider": UserFactory(),
        "other pair's mentor": pair.third_year,
        "other pair's faculty mentor": pair.faculty_mentor,
        "other pair's mentee": mentee.user,
    }


@pytest.fixture
def contact(pair_world):
    return services.contact_create(mentee=pair_world["mentee"], channel="text", message="Private words")


@pytest.mark.parametrize("who", OTHERS)
def test_someone_outside_the_pair_cannot_mark_its_contact_answered(client, pair_world, other_pair, contact, who):
    client.force_login(other_pair[who])
    assert client.post(reverse("mentoring:answered", args=[contact.pk])).status_code == 404
    contact.refresh_from_db()
    assert contact.answered_at is None


@pytest.mark.parametrize("who", OTHERS)
def test_someone_outside_the_pair_never_reads_its_messages(client, pair_world, other_pair, contact, who):
    client.force_login(other_pair[who])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Private words" not in page
    assert not AccessLog.objects.using("audit").filter(object_type="mentoring.contact").exists()


@pytest.mark.parametrize(
    "url, data",
    [
        ("mentoring:log_contact", {"channel": "call", "received_at": "2026-11-20T09:30"}),
        ("mentoring:meeting", {"held_on": "2026-11-20", "mode": "video", "kind": "group"}),
        ("mentoring:outreach", {"on": "2026-11-19", "channel": "text"}),
        ("mentoring:referral", {"to": "faculty", "category": "academic", "note": "n"}),
        ("mentoring:away", {"starts_on": "2026-12-01", "ends_on": "2026-12-02", "reason": "x"}),
    ],
)
@pytest.mark.parametrize("who", ["outsider", "other pair's faculty mentor", "other pair's mentee"])
def test_only_peer_mentors_reach_the_mentor_forms(client, pair_world, other_pair, url, data, who):
    mentee = str(pair_world["mentee"].pk)
    client.force_login(other_pair[who])
    assert client.post(reverse(url), {**data, "mentee": mentee, "mentees": [mentee]}).status_code == 404
    assert not Contact.objects.exists() and not Outreach.objects.exists() and not MentorReferral.objects.exists()


def test_only_a_mentee_writes_to_mentors(client, pair_world, other_pair):
    client.force_login(pair_world["third"])
    assert client.post(reverse("mentoring:contact"), {"channel": "text", "message": "x"}).status_code == 404
    assert not Contact.objects.exists()


def test_each_read_of_a_message_by_the_pairs_mentor_is_logged(client, pair_world, contact):
    client.force_login(pair_world["third"])
    assert "Private words" in client.get(reverse("mentoring:home")).content.decode()
    read = AccessLog.objects.using("audit").get(object_type="mentoring.contact")
    assert (read.object_id, read.actor_id, read.action, read.allowed) == (
        str(contact.pk),
        pair_world["third"].pk,
        "message_view",
        True,
    )


def test_the_faculty_mentor_sees_who_waits_and_reads_no_message(client, pair_world, contact):
    client.force_login(pair_world["faculty"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Mentee" in page and "Private words" not in page
    assert not AccessLog.objects.using("audit").filter(object_type="mentoring.contact").exists()


def test_a_survey_is_for_the_invited_and_its_results_for_the_programs_coordinators(
    client, pair_world, other_coordinator
):
    survey = Survey.objects.create(cycle=pair_world["cycle"], title="How is it going?", audience="mentees")
    Question.objects.create(survey=survey, kind="scale", text="Helpful?")
    services.survey_send(survey=survey)
    client.force_login(pair_world["third"])
    assert client.get(reverse("mentoring:survey", args=[survey.pk])).status_code == 404
    client.force_login(pair_world["mentee_user"])
    assert client.get(reverse("mentoring:survey", args=[survey.pk])).status_code == 200
    client.force_login(other_coordinator)
    assert client.get(reverse("mentoring:survey_results", args=[survey.pk])).status_code == 404
    assert client.get(reverse("mentoring:figures")).status_code == 404


def test_an_interview_is_scored_only_by_its_interviewer(client, pair_world, other_pair):
    application = Application.objects.create(
        cycle=pair_world["cycle"], applicant=UserFactory(), entering_year=3, motivation="x"
    )
    interview = Interview.objects.create(application=application, interviewer=pair_world["faculty"])
    scores = {"understanding": "5", "prior_experience": "5", "dedication": "5", "professionalism": "5"}
    client.force_login(other_pair["other pair's faculty mentor"])
    assert client.post(reverse("mentoring:interviews"), {"interview": interview.pk, **scores}).status_code == 404
    assert client.post(reverse("mentoring:interviews"), {"interview": "x", **scores}).status_code == 404
    interview.refresh_from_db()
    assert interview.total is None
    client.force_login(pair_world["faculty"])
    client.post(reverse("mentoring:interviews"), {"interview": interview.pk, **scores})
    interview.refresh_from_db()
    assert interview.total == 20
    assert client.get(reverse("mentoring:interviews")).status_code == 200

"""Applicants see their interview time in their own zone and can ask to move it; the
coordinators are told, set a new time in the admin, and the applicant is told."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import services
from mentoring.models import Application, Interview
from peers.models import Notification, Role
from peers.testing.program_settings import admin_change_data
from peers.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2030, 3, 4, 17, 30, tzinfo=datetime.UTC)  # 09:30 in Vancouver


@pytest.fixture
def interview(pair_world):
    user = UserFactory(email="applicant@example.edu", name="Avery Applicant", time_zone="America/Vancouver")
    MembershipFactory(user=user, program=pair_world["cycle"].program, role=Role.TRAINEE)
    application = Application.objects.create(
        cycle=pair_world["cycle"], applicant=user, entering_year=3, motivation="I care"
    )
    return Interview.objects.create(application=application, interviewer=pair_world["faculty"], scheduled_at=AT)


def test_the_applicant_sees_the_time_in_their_zone_and_asks_to_move_it(client, interview, coordinator):
    applicant = interview.application.applicant
    client.force_login(applicant)
    page = client.get(reverse("mentoring:apply")).content.decode()
    assert "Mon Mar 4, 2030, 09:30 PST" in page and "Ask to move my interview" in page
    url = reverse("mentoring:interview_move", args=[interview.application_id])
    refused = client.post(url, {"note": ""}, follow=True).content.decode()
    assert "Say which days and times would suit you." in refused
    done = client.post(url, {"note": "Any afternoon that week"}, follow=True).content.decode()
    assert "Your coordinator has been told" in done and "You asked to move it (Any afternoon that week)" in done
    told = Notification.objects.get(recipient=coordinator, kind="interview_move_requested")
    assert "Avery Applicant" in told.body and "Any afternoon that week" in told.body


def test_nobody_asks_to_move_someone_elses_interview(client, interview, pair_world):
    client.force_login(pair_world["mentee_user"])
    url = reverse("mentoring:interview_move", args=[interview.application_id])
    assert client.post(url, {"note": "Friday"}).status_code == 404
    assert not Interview.objects.get(pk=interview.pk).move_requested_at


def test_a_past_interview_cannot_be_moved(interview):
    Interview.objects.filter(pk=interview.pk).update(scheduled_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError, match="already taken place"):
        services.interview_move_request(application=interview.application, note="Friday")


def test_the_coordinator_sets_a_new_time_in_the_admin_and_the_applicant_is_told(client, interview, coordinator):
    services.interview_move_request(application=interview.application, note="Friday morning")
    client.force_login(coordinator)
    url = reverse("admin:mentoring_application_change", args=[interview.application_id])
    data = admin_change_data(client.get(url))
    data.update({"interview-0-scheduled_at_0": "2030-03-08", "interview-0-scheduled_at_1": "10:00:00"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    moved = Interview.objects.get(pk=interview.pk)
    assert moved.scheduled_at != AT and moved.move_requested_at is None
    told = Notification.objects.get(recipient=interview.application.applicant, kind="interview_scheduled")
    assert "Fri Mar 8, 2030" in told.body
    client.post(url, data)  # saving again without a change tells nobody again
    assert Notification.objects.filter(kind="interview_scheduled").count() == 1

"""The support intake when its request cannot be saved (a full disk, a database restart):
the person keeps the crisis resources and their own words, and nothing is kept."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from support_requests.models import SupportRequest
from support_requests.tests.conftest import NO

pytestmark = pytest.mark.django_db


def test_a_request_that_cannot_be_saved_answers_503_with_the_crisis_resources_and_the_words_kept(client, program):
    program.institution.crisis_resources = "Lakeshore Crisis Line: 555-0100"
    program.institution.save()
    details = {
        **{"step": "details", "program": program.pk, **{k: "no" for k in NO}},
        **{"reason": "adverse_event", "description": "It happened on nights.", "urgency": "this_week"},
        **{"contact_method": "phone", "contact_details": "555-0133"},
    }
    disk_full = OperationalError("could not extend file: No space left on device")
    with mock.patch("support_requests.services.request_create", side_effect=disk_full):
        response = client.post(reverse("support:intake"), details)
    page = response.content.decode()
    assert response.status_code == 503
    assert "We could not save this just now; nothing was lost. Please try again in a few minutes." in page
    assert "Lakeshore Crisis Line: 555-0100" in page and "It happened on nights." in page
    assert not SupportRequest.objects.exists()
    again = client.post(reverse("support:intake"), details)  # the same form, once the database is back
    assert again.status_code == 200 and "We've received your request" in again.content.decode()
    assert SupportRequest.objects.count() == 1

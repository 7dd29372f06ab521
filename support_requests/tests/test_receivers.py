"""The rule of support_requests.receivers: a program is not set to accept requests while
nobody would receive them; one that falls into that state shows on /healthz and in the admin."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from peers.models import TrainingProgram
from peers.services.sweeps import sweeps_run
from peers.testing.program_settings import admin_change_data
from peers.tests.factories import office_administrators
from support_requests import services
from support_requests.models import SupportSettings
from support_requests.tests.conftest import NO

pytestmark = pytest.mark.django_db

NOBODY = "Nobody would receive this program's support requests"


def _not_accepting(program) -> SupportSettings:
    SupportSettings.objects.filter(program=program).update(accepts_requests=False)
    return SupportSettings.objects.get(program=program)


def test_switching_on_requests_with_nobody_to_receive_them_is_refused(program):
    settings = _not_accepting(program)
    settings.accepts_requests = True
    with pytest.raises(ValidationError, match=NOBODY):
        settings.full_clean()


@pytest.mark.parametrize("receiver", ["lead", "office"])
def test_a_lead_or_an_office_is_enough_to_accept_requests(program, request, receiver):
    settings = _not_accepting(program)
    request.getfixturevalue("lead") if receiver == "lead" else office_administrators()
    settings.accepts_requests = True
    settings.full_clean()


def test_the_program_page_refuses_it_with_the_reason_beside_the_field(client, program, coordinator):
    _not_accepting(program)
    client.force_login(coordinator)
    url = reverse("admin:peers_trainingprogram_change", args=[program.pk])
    page = client.get(url)
    assert "Nobody: this program does not accept support requests." in page.content.decode()
    response = client.post(url, {**admin_change_data(page), "support_settings-0-accepts_requests": "on"})
    assert response.status_code == 200 and NOBODY in html.unescape(response.content.decode())
    assert not SupportSettings.objects.get(program=program).accepts_requests


def test_the_program_page_says_when_requests_would_reach_nobody(client, program, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("admin:peers_trainingprogram_change", args=[program.pk])).content.decode()
    assert "NOBODY: no active support lead and no office administrator." in page


def test_a_program_not_accepting_requests_is_not_offered_and_refused(client, program, other_program):
    _not_accepting(program)
    office_administrators()
    form = client.get(reverse("support:intake")).content.decode()
    assert other_program.name in form and program.name not in form
    with pytest.raises(ValidationError, match="does not take support requests"):
        services.request_create(
            program=TrainingProgram.objects.get(pk=program.pk), requester=None, screening=dict(NO), reason="other"
        )


def test_healthz_names_the_programs_whose_requests_would_reach_nobody(client, program):
    sweeps_run()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["support_programs_nobody_receives"] == [program.pk]
    assert program.name not in response.content.decode()
    office_administrators()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["support_programs_nobody_receives"] == []


def test_the_program_page_says_the_office_is_told_while_there_is_no_lead(client, program, coordinator):
    office_administrators()
    client.force_login(coordinator)
    page = client.get(reverse("admin:peers_trainingprogram_change", args=[program.pk])).content.decode()
    assert "No active support lead: the office (2 administrators) is told of each request" in page
    assert "Nobody can read a request until then." in page


def test_the_program_page_counts_the_leads_without_naming_them(client, program, coordinator, lead):
    client.force_login(coordinator)
    page = client.get(reverse("admin:peers_trainingprogram_change", args=[program.pk])).content.decode()
    assert "1 active support lead." in page and lead.email not in page

"""The crisis and clinical resources shown are the requester's institution's, in their
language where it has one; office hours say "open now" or when they next open, in the
program's zone, on /support/ and on the received and referred pages."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import InstitutionFactory, ProgramFactory
from support_requests.models import OfficeHours, ResourceTranslation, SupportRequest
from support_requests.tests.test_views import SCREEN_NO, _details

pytestmark = pytest.mark.django_db

OURS, THEIRS, FRENCH = "Lakeshore Crisis Line: 555-0100", "Elsewhere Crisis Line: 555-0999", "Ligne de crise: 555-0199"
VANCOUVER = zoneinfo.ZoneInfo("America/Vancouver")
MONDAY_10 = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=VANCOUVER)  # a Monday


@pytest.fixture
def two_institutions(program):
    program.institution.crisis_resources = OURS
    program.institution.save()
    ResourceTranslation.objects.create(
        institution=program.institution, language="fr", language_name="Français", crisis_resources=FRENCH
    )
    return program.institution, InstitutionFactory(name="Elsewhere", crisis_resources=THEIRS)


def test_someone_unknown_sees_every_institution_until_they_pick_theirs(client, two_institutions):
    ours, _ = two_institutions
    page = client.get(reverse("support:intake")).content.decode()
    assert OURS in page and THEIRS in page and "Show only your institution" in page
    picked = client.get(reverse("support:intake"), {"institution": ours.pk}).content.decode()
    assert OURS in picked and THEIRS not in picked


def test_a_signed_in_person_sees_their_own_institutions(client, two_institutions, trainee):
    client.force_login(trainee)
    page = client.get(reverse("support:intake")).content.decode()
    assert OURS in page and THEIRS not in page


def test_the_program_chosen_on_the_form_decides_the_resources_from_then_on(client, program, two_institutions, lead):
    referred = client.post(reverse("support:intake"), {**SCREEN_NO, "program": program.pk, "self_harm": "yes"})
    assert OURS in referred.content.decode() and THEIRS not in referred.content.decode()
    received = client.post(reverse("support:intake"), _details(program)).content.decode()
    assert OURS in received and THEIRS not in received


def test_resources_come_in_the_requesters_language_where_the_institution_has_it(client, program, two_institutions):
    french = client.get(
        reverse("support:intake"), {"institution": program.institution.pk}, HTTP_ACCEPT_LANGUAGE="fr-CA"
    )
    assert FRENCH in french.content.decode() and OURS not in french.content.decode()
    spanish = client.get(reverse("support:intake"), {"institution": program.institution.pk}, HTTP_ACCEPT_LANGUAGE="es")
    assert OURS in spanish.content.decode()  # no Spanish: the institution's own text
    picked = client.get(reverse("support:intake"), {"institution": program.institution.pk, "lang": "fr"})
    assert FRENCH in picked.content.decode()
    page = client.post(reverse("support:intake"), _details(program), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert FRENCH in page
    assert SupportRequest.objects.get().resources_language == "fr"


@pytest.fixture
def vancouver_hours():
    program = ProgramFactory(name="West Residency", time_zone="America/Vancouver")
    for weekday, start, end in ((0, 9, 12), (2, 13, 16)):
        OfficeHours.objects.create(
            program=program,
            weekday=weekday,
            starts_at=datetime.time(start),
            ends_at=datetime.time(end),
            location="Room 5",
        )
    return program


def test_office_hours_say_open_now_in_the_programs_zone(client, vancouver_hours):
    with time_machine.travel(MONDAY_10):
        page = client.get(reverse("support:intake")).content.decode()
    assert "Open now" in page and "until 12:00" in page and "America/Vancouver time" in page


def test_office_hours_say_when_they_next_open(client, vancouver_hours):
    with time_machine.travel(MONDAY_10 + datetime.timedelta(hours=3)):  # Monday 13:00, after closing
        page = client.get(reverse("support:intake")).content.decode()
    assert "Closed now" in page and "Next opening: Wednesday 13:00" in page
    with time_machine.travel(MONDAY_10 + datetime.timedelta(days=2, hours=7)):  # Wednesday 17:00
        page = client.get(reverse("support:intake")).content.decode()
    assert "Next opening: Monday 09:00" in page


def test_the_received_and_referred_pages_show_the_programs_office_hours(client, vancouver_hours):
    with time_machine.travel(MONDAY_10):
        received = client.post(reverse("support:intake"), _details(vancouver_hours)).content.decode()
        referred = client.post(
            reverse("support:intake"), {**SCREEN_NO, "program": vancouver_hours.pk, "substance": "yes"}
        ).content.decode()
    for page in (received, referred):
        assert "Open now" in page and "West Residency" in page


def test_the_first_page_costs_the_same_whatever_the_number_of_institutions(client, two_institutions):
    def more():
        for n in range(5):
            program = ProgramFactory(institution=InstitutionFactory(name=f"More {n}"))
            ResourceTranslation.objects.create(institution=program.institution, language="fr", language_name="Fr")
            OfficeHours.objects.create(
                program=program, weekday=n, starts_at=datetime.time(9), ends_at=datetime.time(10), location="A"
            )

    # institutions, their translations, the chooser's institutions, office hours, the form's programs
    assert_fixed_queries(client, reverse("support:intake"), 5, grow=more)

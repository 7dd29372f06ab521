"""Departments are a list per institution. A requester may pick theirs, and then a supporter
of that department is never suggested or offered, whatever else matches. The free text
typed before the list is migrated into it and never lost."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from peers.tests.factories import InstitutionFactory
from support_requests import selectors, services
from support_requests.models import Department, SupporterProfile, SupportRequest
from support_requests.tests.test_views import _details

pytestmark = pytest.mark.django_db


@pytest.fixture
def surgery(program):
    return Department.objects.create(institution=program.institution, name="Surgery")


def test_a_supporter_of_the_picked_department_is_never_suggested_or_offered(client, program, surgery, make_supporter):
    # The best match in every other way is from the requester's department.
    best = make_supporter("best@example.edu", specialty="Cardiology", career_stage="resident", home_department=surgery)
    other = make_supporter("other@example.edu")
    page = client.get(reverse("support:intake"))
    assert page.status_code == 200
    form = client.post(reverse("support:intake"), {k: v for k, v in _details(program).items() if k != "step"})
    assert f'<option value="{surgery.pk}">Surgery</option>' in form.content.decode()
    client.post(
        reverse("support:intake"),
        _details(program, department=surgery.pk, specialty="Cardiology", career_stage="resident"),
    )
    request = SupportRequest.objects.get()
    assert request.department_picked == str(surgery.pk) and request.requester_department == "Surgery"
    assert [s.profile.user for s in selectors.supporter_suggestions(request)] == [other]
    with pytest.raises(ValidationError):
        services.request_offer(request=request, supporter=best)


def test_automatic_assignment_skips_the_department_too(program, surgery, make_supporter, make_request):
    program.support_settings.auto_assign = True
    program.support_settings.save()
    make_supporter("same@example.edu", capacity=5, home_department=surgery)
    other = make_supporter("other@example.edu")
    request = make_request(department_picked=str(surgery.pk))
    request.refresh_from_db()
    assert request.assigned_to == other


def test_a_department_of_another_institution_is_refused_on_the_form(client, program, surgery):
    elsewhere = Department.objects.create(institution=InstitutionFactory(), name="Medicine")
    page = client.post(reverse("support:intake"), _details(program, department=elsewhere.pk)).content.decode()
    assert "Choose your department from the list." in page
    assert not SupportRequest.objects.exists()


def test_an_institution_lists_a_department_once_whatever_its_case(program, surgery):
    with pytest.raises(IntegrityError):
        Department.objects.create(institution=program.institution, name="SURGERY")


def test_the_migration_makes_the_list_from_what_was_typed_and_loses_nothing(program, make_supporter, make_request):
    first = make_supporter("a@example.edu", department="Surgery")
    second = make_supporter("b@example.edu", department="Dept. of surgery")
    third = make_supporter("c@example.edu", department="Paediatrics")
    matched = make_request(requester_department="department of Surgery")
    unmatched = make_request(requester_department="Anaesthesia")
    migration = importlib.import_module("support_requests.migrations.0011_departments_from_free_text")
    migration.forwards(apps, None)

    assert sorted(Department.objects.values_list("name", flat=True)) == ["Paediatrics", "Surgery"]
    profiles = {p.user: p for p in SupporterProfile.objects.select_related("home_department")}
    assert profiles[first].home_department == profiles[second].home_department
    assert profiles[second].department == "Dept. of surgery"  # as typed, kept
    assert profiles[third].home_department.name == "Paediatrics"
    matched.refresh_from_db()
    unmatched.refresh_from_db()
    assert matched.department_picked == str(profiles[first].home_department_id)
    assert (unmatched.department_picked, unmatched.requester_department) == (None, "Anaesthesia")
    # The typed department still excludes, listed or not.
    assert first not in [s.profile.user for s in selectors.supporter_suggestions(matched)]
    anaesthetist = make_supporter("d@example.edu", department="anaesthesia")
    assert anaesthetist not in [s.profile.user for s in selectors.supporter_suggestions(unmatched)]


def test_a_supporter_picks_their_department_from_the_list(client, program, surgery, make_supporter):
    supporter = make_supporter("s@example.edu")
    client.force_login(supporter)
    page = client.get(reverse("support:profile")).content.decode()
    assert "Surgery" in page
    client.post(
        reverse("support:profile"),
        {"form": "profile", "home_department": surgery.pk, "capacity": "2", "is_active": "on"},
    )
    profile = SupporterProfile.objects.get(user=supporter)
    assert (profile.home_department, profile.department) == (surgery, "Surgery")

"""Each program's support settings: one row per program, made with the program, copied
from the old `support_` columns by the migration, refused by the database when out of
range, and edited on the program's admin page."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from peers.testing.program_settings import admin_change_data, apps_before_the_move
from peers.tests.factories import ProgramFactory
from support_requests.models import SupportSettings

pytestmark = pytest.mark.django_db

migration = importlib.import_module("support_requests.migrations.0007_support_settings")
FIELDS = (
    "first_response_hours",
    "urgent_response_hours",
    "offer_hours",
    "auto_assign",
    "notes_allowed",
    "retention_days",
)


def test_every_new_program_gets_its_support_settings_with_the_defaults():
    program = ProgramFactory()
    settings = SupportSettings.objects.values_list(*FIELDS).get(program=program)
    assert settings == (24, 4, 4, False, True, 180)


def test_the_migration_copies_each_programs_values_without_the_prefix():
    program = ProgramFactory()
    SupportSettings.objects.all().delete()  # as before the migration: no rows yet
    old = {
        "pk": program.pk,
        "support_first_response_hours": 12,
        "support_urgent_response_hours": 2,
        "support_offer_hours": 6,
        "support_auto_assign": True,
        "support_notes_allowed": False,
        "support_retention_days": 90,
    }
    migration.settings_copy(apps_before_the_move(programs=[old], settings_model=SupportSettings), None)
    assert SupportSettings.objects.values_list(*FIELDS).get(program=program) == (12, 2, 6, True, False, 90)


@pytest.mark.parametrize("field", ["first_response_hours", "urgent_response_hours", "offer_hours", "retention_days"])
def test_the_database_refuses_support_hours_or_retention_under_one(program, field):
    settings = program.support_settings
    setattr(settings, field, 0)
    with pytest.raises(ValidationError, match="Support hours and retention must be at least 1."):
        settings.full_clean()
    with pytest.raises(IntegrityError, match="support_settings_positive"):
        SupportSettings.objects.filter(pk=settings.pk).update(**{field: 0})


def test_a_coordinator_turns_notes_off_and_auto_assignment_on_on_the_program_page(client, program, coordinator):
    client.force_login(coordinator)
    url = reverse("admin:peers_trainingprogram_change", args=[program.pk])
    data = admin_change_data(client.get(url))
    assert data["support_settings-0-notes_allowed"] == "on" and "support_settings-0-auto_assign" not in data
    del data["support_settings-0-notes_allowed"]
    response = client.post(url, {**data, "support_settings-0-auto_assign": "on", "support_settings-0-offer_hours": "8"})
    assert response.status_code == 302, response.content.decode()[:2000]
    settings = SupportSettings.objects.get(program=program)
    assert (settings.notes_allowed, settings.auto_assign, settings.offer_hours) == (False, True, 8)

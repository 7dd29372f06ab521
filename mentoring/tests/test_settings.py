"""Each program's mentoring settings: one row per program, made with the program, copied
from the old columns by the migration, refused by the database when out of range, and
edited on the program's admin page."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from mentoring.models import MentoringSettings
from peers.testing.program_settings import admin_change_data, apps_before_the_move
from peers.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("mentoring.migrations.0010_mentoring_settings")


def test_every_new_program_gets_its_mentoring_settings_with_the_defaults():
    program = ProgramFactory()
    settings = MentoringSettings.objects.get(program=program)
    assert (settings.response_hours_text_call, settings.response_hours_email) == (24, 48)


def test_the_migration_copies_each_programs_values():
    programs = [ProgramFactory(), ProgramFactory()]
    MentoringSettings.objects.all().delete()  # as before the migration: no rows yet
    old = [
        {"pk": programs[0].pk, "response_hours_text_call": 12, "response_hours_email": 36},
        {"pk": programs[1].pk, "response_hours_text_call": 24, "response_hours_email": 72},
    ]
    migration.settings_copy(apps_before_the_move(programs=old, settings_model=MentoringSettings), None)
    copied = MentoringSettings.objects.order_by("program_id").values_list(
        "program_id", "response_hours_text_call", "response_hours_email"
    )
    assert list(copied) == [tuple(row.values()) for row in old]


@pytest.mark.parametrize("field", ["response_hours_text_call", "response_hours_email"])
def test_the_database_refuses_a_response_time_under_one_hour(program, field):
    settings = program.mentoring_settings
    setattr(settings, field, 0)
    with pytest.raises(ValidationError, match="Response times must be at least 1 hour."):
        settings.full_clean()
    with pytest.raises(IntegrityError, match="mentoring_settings_response_hours_positive"):
        MentoringSettings.objects.filter(pk=settings.pk).update(**{field: 0})


def test_a_coordinator_sets_the_response_times_on_the_program_page(client, program, coordinator):
    client.force_login(coordinator)
    url = reverse("admin:peers_trainingprogram_change", args=[program.pk])
    data = admin_change_data(client.get(url))
    data.update(
        {"mentoring_settings-0-response_hours_text_call": "12", "mentoring_settings-0-response_hours_email": "0"}
    )
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Response times must be at least 1 hour." in refused.content.decode()
    response = client.post(url, {**data, "mentoring_settings-0-response_hours_email": "36"})
    assert response.status_code == 302, response.content.decode()[:2000]
    settings = MentoringSettings.objects.get(program=program)
    assert (settings.response_hours_text_call, settings.response_hours_email) == (12, 36)

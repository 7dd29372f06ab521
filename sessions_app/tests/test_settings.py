"""Each program's sessions settings: one row per program, made with the program, copied
from the old columns by the migration, refused by the database when out of range, and
edited on the program's admin page."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from peers.models import Role, TrainingProgram, User
from peers.testing.program_settings import admin_change_data, apps_before_the_move
from peers.tests.factories import InstitutionFactory, MembershipFactory, ProgramFactory, give_totp
from sessions_app.models import SessionCadence, SessionSettings

pytestmark = pytest.mark.django_db

migration = importlib.import_module("sessions_app.migrations.0004_session_settings")


def test_every_new_program_gets_its_sessions_settings_with_the_defaults():
    program = ProgramFactory()
    settings = SessionSettings.objects.get(program=program)
    assert (settings.session_cadence, settings.group_size) == (SessionCadence.MONTHLY, 10)
    assert (settings.session_reminder_hours, settings.waitlist_offer_hours) == (24, 12)
    program.save()  # saving the program again makes no second row
    assert SessionSettings.objects.filter(program=program).count() == 1


def test_the_migration_copies_each_programs_values():
    programs = [ProgramFactory(), ProgramFactory()]
    SessionSettings.objects.all().delete()  # as before the migration: no rows yet
    old = [
        {"pk": p.pk, "session_cadence": c, "group_size": g, "session_reminder_hours": r, "waitlist_offer_hours": w}
        for p, (c, g, r, w) in zip(programs, [("quarterly", 6, 48, 8), ("bimonthly", 12, 24, 12)], strict=True)
    ]
    migration.settings_copy(apps_before_the_move(programs=old, settings_model=SessionSettings), None)
    copied = SessionSettings.objects.order_by("program_id").values_list(
        "program_id", "session_cadence", "group_size", "session_reminder_hours", "waitlist_offer_hours"
    )
    assert list(copied) == [tuple(row.values()) for row in old]


@pytest.mark.parametrize(
    ("field", "value", "message", "constraint"),
    [
        ("group_size", 1, "A group needs at least 2 trainees.", "session_settings_group_size_at_least_2"),
        (
            "session_reminder_hours",
            0,
            "Reminder and waitlist hours must be at least 1.",
            "session_settings_hours_positive",
        ),
        (
            "waitlist_offer_hours",
            0,
            "Reminder and waitlist hours must be at least 1.",
            "session_settings_hours_positive",
        ),
    ],
)
def test_the_database_refuses_settings_out_of_range(program, field, value, message, constraint):
    settings = program.session_settings
    setattr(settings, field, value)
    with pytest.raises(ValidationError, match=message):
        settings.full_clean()
    with pytest.raises(IntegrityError, match=constraint):
        SessionSettings.objects.filter(pk=settings.pk).update(**{field: value})


def _program_page(client, program):
    url = reverse("admin:peers_trainingprogram_change", args=[program.pk])
    return url, admin_change_data(client.get(url))


def test_a_coordinator_sets_the_group_size_on_the_program_page_and_the_roster_follows(client, program, coordinator):
    for _ in range(12):
        MembershipFactory(program=program, role=Role.TRAINEE)
    client.force_login(coordinator)
    url, data = _program_page(client, program)
    assert data["session_settings-0-group_size"] == "10"
    response = client.post(
        url, {**data, "session_settings-0-group_size": "4", "session_settings-0-session_cadence": "quarterly"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    settings = SessionSettings.objects.get(program=program)
    assert (settings.group_size, settings.session_cadence) == (4, "quarterly")
    roster = client.get(reverse("sessions:roster", args=[program.pk])).content.decode()
    assert "groups of 4 make 3 groups per round" in " ".join(roster.split())


def test_the_program_page_refuses_a_group_of_one_with_its_message(client, program, coordinator):
    client.force_login(coordinator)
    url, data = _program_page(client, program)
    response = client.post(url, {**data, "session_settings-0-group_size": "1"})
    assert response.status_code == 200
    assert "A group needs at least 2 trainees." in response.content.decode()
    assert SessionSettings.objects.get(program=program).group_size == 10


def test_a_coordinator_cannot_change_another_programs_settings(client, program, other_program, coordinator):
    client.force_login(coordinator)
    _, data = _program_page(client, program)
    data["session_settings-0-program"] = str(other_program.pk)
    other_url = reverse("admin:peers_trainingprogram_change", args=[other_program.pk])
    assert client.post(other_url, {**data, "session_settings-0-group_size": "3"}).status_code == 404
    assert SessionSettings.objects.get(program=other_program).group_size == 10


def test_the_office_sets_the_sessions_settings_while_adding_a_program(client):
    office = User.objects.create_superuser("office@example.edu", "long-enough-password")
    give_totp(office)
    client.force_login(office)
    add_url = reverse("admin:peers_trainingprogram_add")
    data = admin_change_data(client.get(add_url))
    data.update({"institution": str(InstitutionFactory().pk), "name": "Family Medicine", "kind": "residency"})
    response = client.post(add_url, {**data, "session_settings-0-group_size": "6"})
    assert response.status_code == 302, response.content.decode()[:2000]
    program = TrainingProgram.objects.get(name="Family Medicine")
    assert SessionSettings.objects.get(program=program).group_size == 6

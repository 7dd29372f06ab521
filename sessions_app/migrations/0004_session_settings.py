"""Each program's sessions settings move from peers.TrainingProgram to SessionSettings:
the model, then one row per existing program with its current values. Runs before the
peers migration that removes the columns."""

import django.db.models.deletion
from django.db import migrations, models

# TrainingProgram's column -> SessionSettings' field
COLUMNS = {
    "session_cadence": "session_cadence",
    "group_size": "group_size",
    "session_reminder_hours": "session_reminder_hours",
    "waitlist_offer_hours": "waitlist_offer_hours",
}


def settings_copy(apps, schema_editor):
    """One row per program, with the values the program had."""
    program_model = apps.get_model("peers", "TrainingProgram")
    settings_model = apps.get_model("sessions_app", "SessionSettings")
    settings_model.objects.bulk_create(
        settings_model(program_id=row["pk"], **{field: row[column] for column, field in COLUMNS.items()})
        for row in program_model.objects.values("pk", *COLUMNS)
    )


def settings_copy_back(apps, schema_editor):
    program_model = apps.get_model("peers", "TrainingProgram")
    settings_model = apps.get_model("sessions_app", "SessionSettings")
    for row in settings_model.objects.values("program_id", *COLUMNS.values()):
        program_model.objects.filter(pk=row["program_id"]).update(
            **{column: row[field] for column, field in COLUMNS.items()}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0009_cache_table"),
        ("sessions_app", "0003_feedback_given_flag"),
    ]
    run_before = [("peers", "0010_program_settings_move_to_apps")]

    operations = [
        migrations.CreateModel(
            name="SessionSettings",
            fields=[
                (
                    "program",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="session_settings",
                        serialize=False,
                        to="peers.trainingprogram",
                    ),
                ),
                (
                    "session_cadence",
                    models.CharField(
                        choices=[("monthly", "Monthly"), ("bimonthly", "Every two months"), ("quarterly", "Quarterly")],
                        default="monthly",
                        max_length=20,
                    ),
                ),
                ("group_size", models.PositiveSmallIntegerField(default=10, help_text="Trainees per small group.")),
                (
                    "session_reminder_hours",
                    models.PositiveSmallIntegerField(default=24, verbose_name="remind people of a session (hours before)"),
                ),
                (
                    "waitlist_offer_hours",
                    models.PositiveSmallIntegerField(
                        default=12,
                        verbose_name="a freed seat is held for the next person on the waitlist for (hours)",
                    ),
                ),
            ],
            options={
                "verbose_name": "PEERS sessions settings",
                "verbose_name_plural": "PEERS sessions settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("group_size__gte", 2)),
                        name="session_settings_group_size_at_least_2",
                        violation_error_message="A group needs at least 2 trainees.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("session_reminder_hours__gte", 1), ("waitlist_offer_hours__gte", 1)),
                        name="session_settings_hours_positive",
                        violation_error_message="Reminder and waitlist hours must be at least 1.",
                    ),
                ],
            },
        ),
        migrations.RunPython(settings_copy, settings_copy_back),
    ]

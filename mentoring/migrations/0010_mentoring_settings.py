"""Each program's mentoring settings move from peers.TrainingProgram to MentoringSettings:
the model, then one row per existing program with its current values. Runs before the
peers migration that removes the columns."""

import django.db.models.deletion
from django.db import migrations, models

# TrainingProgram's column -> MentoringSettings' field
COLUMNS = {
    "response_hours_text_call": "response_hours_text_call",
    "response_hours_email": "response_hours_email",
}


def settings_copy(apps, schema_editor):
    """One row per program, with the values the program had."""
    program_model = apps.get_model("peers", "TrainingProgram")
    settings_model = apps.get_model("mentoring", "MentoringSettings")
    settings_model.objects.bulk_create(
        settings_model(program_id=row["pk"], **{field: row[column] for column, field in COLUMNS.items()})
        for row in program_model.objects.values("pk", *COLUMNS)
    )


def settings_copy_back(apps, schema_editor):
    program_model = apps.get_model("peers", "TrainingProgram")
    settings_model = apps.get_model("mentoring", "MentoringSettings")
    for row in settings_model.objects.values("program_id", *COLUMNS.values()):
        program_model.objects.filter(pk=row["program_id"]).update(
            **{column: row[field] for column, field in COLUMNS.items()}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0009_survey_closes_at"),
        ("peers", "0009_cache_table"),
    ]
    run_before = [("peers", "0010_program_settings_move_to_apps")]

    operations = [
        migrations.CreateModel(
            name="MentoringSettings",
            fields=[
                (
                    "program",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="mentoring_settings",
                        serialize=False,
                        to="peers.trainingprogram",
                    ),
                ),
                (
                    "response_hours_text_call",
                    models.PositiveSmallIntegerField(default=24, verbose_name="answer texts and calls within (hours)"),
                ),
                (
                    "response_hours_email",
                    models.PositiveSmallIntegerField(default=48, verbose_name="answer emails within (hours)"),
                ),
            ],
            options={
                "verbose_name": "peer mentoring settings",
                "verbose_name_plural": "peer mentoring settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("response_hours_text_call__gte", 1), ("response_hours_email__gte", 1)),
                        name="mentoring_settings_response_hours_positive",
                        violation_error_message="Response times must be at least 1 hour.",
                    )
                ],
            },
        ),
        migrations.RunPython(settings_copy, settings_copy_back),
    ]

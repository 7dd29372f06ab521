"""Each program's support settings move from peers.TrainingProgram to SupportSettings
(without the `support_` prefix): the model, then one row per existing program with its
current values. Runs before the peers migration that removes the columns."""

import django.db.models.deletion
from django.db import migrations, models

# TrainingProgram's column -> SupportSettings' field
COLUMNS = {
    "support_first_response_hours": "first_response_hours",
    "support_urgent_response_hours": "urgent_response_hours",
    "support_offer_hours": "offer_hours",
    "support_auto_assign": "auto_assign",
    "support_notes_allowed": "notes_allowed",
    "support_retention_days": "retention_days",
}


def settings_copy(apps, schema_editor):
    """One row per program, with the values the program had."""
    program_model = apps.get_model("peers", "TrainingProgram")
    settings_model = apps.get_model("support_requests", "SupportSettings")
    settings_model.objects.bulk_create(
        settings_model(program_id=row["pk"], **{field: row[column] for column, field in COLUMNS.items()})
        for row in program_model.objects.values("pk", *COLUMNS)
    )


def settings_copy_back(apps, schema_editor):
    program_model = apps.get_model("peers", "TrainingProgram")
    settings_model = apps.get_model("support_requests", "SupportSettings")
    for row in settings_model.objects.values("program_id", *COLUMNS.values()):
        program_model.objects.filter(pk=row["program_id"]).update(
            **{column: row[field] for column, field in COLUMNS.items()}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0009_cache_table"),
        ("support_requests", "0006_status_token_hash_default"),
    ]
    run_before = [("peers", "0010_program_settings_move_to_apps")]

    operations = [
        migrations.CreateModel(
            name="SupportSettings",
            fields=[
                (
                    "program",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="support_settings",
                        serialize=False,
                        to="peers.trainingprogram",
                    ),
                ),
                (
                    "first_response_hours",
                    models.PositiveSmallIntegerField(default=24, verbose_name="first support contact within (hours)"),
                ),
                (
                    "urgent_response_hours",
                    models.PositiveSmallIntegerField(default=4, verbose_name="first support contact when urgent (hours)"),
                ),
                (
                    "offer_hours",
                    models.PositiveSmallIntegerField(
                        default=4, verbose_name="a peer supporter has this long to accept a request (hours)"
                    ),
                ),
                (
                    "auto_assign",
                    models.BooleanField(
                        default=False,
                        help_text="Offer each request to the best-matched supporter without waiting for a support lead.",
                        verbose_name="assign support requests automatically",
                    ),
                ),
                (
                    "notes_allowed",
                    models.BooleanField(
                        default=True,
                        help_text="Some programs keep no notes at all.",
                        verbose_name="supporters may keep short notes",
                    ),
                ),
                (
                    "retention_days",
                    models.PositiveSmallIntegerField(
                        default=180, verbose_name="purge a closed request's content after (days)"
                    ),
                ),
            ],
            options={
                "verbose_name": "peer support settings",
                "verbose_name_plural": "peer support settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("first_response_hours__gte", 1),
                            ("urgent_response_hours__gte", 1),
                            ("offer_hours__gte", 1),
                            ("retention_days__gte", 1),
                        ),
                        name="support_settings_positive",
                        violation_error_message="Support hours and retention must be at least 1.",
                    )
                ],
            },
        ),
        migrations.RunPython(settings_copy, settings_copy_back),
    ]

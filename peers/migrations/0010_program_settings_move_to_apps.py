"""The sessions, mentoring and support columns leave TrainingProgram: each app now owns
its settings in a one-to-one model of its own. The apps' migrations that create those
models and copy these columns into them declare `run_before` this one, so the core's
migrations name no app."""

from django.db import migrations

MOVED = (
    "session_cadence",
    "group_size",
    "session_reminder_hours",
    "waitlist_offer_hours",
    "response_hours_text_call",
    "response_hours_email",
    "support_first_response_hours",
    "support_urgent_response_hours",
    "support_offer_hours",
    "support_auto_assign",
    "support_notes_allowed",
    "support_retention_days",
)


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0009_cache_table"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="trainingprogram", name="program_group_size_at_least_2"),
        migrations.RemoveConstraint(model_name="trainingprogram", name="program_response_targets_positive"),
        migrations.RemoveConstraint(model_name="trainingprogram", name="program_support_settings_positive"),
        *(migrations.RemoveField(model_name="trainingprogram", name=name) for name in MOVED),
    ]

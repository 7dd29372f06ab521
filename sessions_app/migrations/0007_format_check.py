"""A session's and a series' format (virtual, in person, hybrid) is held by the
database, like their duration."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0006_calendar_entries"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="session",
            constraint=models.CheckConstraint(
                condition=models.Q(("modality__in", ["virtual", "in_person", "hybrid"])),
                name="session_format_is_known",
                violation_error_message="A session is virtual, in person or hybrid.",
            ),
        ),
        migrations.AddConstraint(
            model_name="sessionseries",
            constraint=models.CheckConstraint(
                condition=models.Q(("modality__in", ["virtual", "in_person", "hybrid"])),
                name="series_format_is_known",
                violation_error_message="A session is virtual, in person or hybrid.",
            ),
        ),
    ]

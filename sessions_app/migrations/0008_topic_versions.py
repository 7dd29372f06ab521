"""Topics keep versions. Every existing topic gets its version 1, in force since before
any session, so past sessions show what they always showed; each adaptation records
version 1 of the core topic it adapts."""

import datetime

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models


SINCE_ALWAYS = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
CONTENT = ("title", "summary", "core_values", "facilitator_guide", "material_links", "default_minutes")


def first_versions(apps, schema_editor):
    Topic = apps.get_model("sessions_app", "Topic")
    TopicVersion = apps.get_model("sessions_app", "TopicVersion")
    for topic in Topic.objects.order_by("pk"):
        TopicVersion.objects.create(
            topic=topic, number=1, valid_from=SINCE_ALWAYS, **{name: getattr(topic, name) for name in CONTENT}
        )
    for topic in Topic.objects.filter(adapted_from__isnull=False):
        topic.adapted_from_version = TopicVersion.objects.get(topic=topic.adapted_from_id, number=1)
        topic.save(update_fields=["adapted_from_version"])


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0007_format_check"),
    ]

    operations = [
        migrations.CreateModel(
            name="TopicVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField()),
                ("valid_from", models.DateTimeField()),
                ("title", models.CharField(max_length=200)),
                ("summary", models.TextField()),
                (
                    "core_values",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("practice", "Practice enhancement"),
                                ("engagement", "Engagement"),
                                ("resilience", "Resilience"),
                                ("support", "Support"),
                            ],
                            max_length=20,
                        ),
                        default=list,
                        size=None,
                    ),
                ),
                ("facilitator_guide", models.TextField(blank=True)),
                ("material_links", models.TextField(blank=True)),
                ("default_minutes", models.PositiveSmallIntegerField(default=60)),
            ],
            options={
                "ordering": ["topic", "-number"],
            },
        ),
        migrations.AddField(
            model_name="topic",
            name="version",
            field=models.PositiveSmallIntegerField(
                default=1, editable=False, help_text="The current version's number."
            ),
        ),
        migrations.AddField(
            model_name="topicversion",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="sessions_app.topic"
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="adapted_from_version",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The version of the core topic this adaptation adapts.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="adaptations",
                to="sessions_app.topicversion",
            ),
        ),
        migrations.AddConstraint(
            model_name="topicversion",
            constraint=models.UniqueConstraint(fields=("topic", "number"), name="topic_version_number_unique"),
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]

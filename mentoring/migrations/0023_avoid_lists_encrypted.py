"""The people an applicant or a future mentee asked to avoid move from plain
many-to-many tables into one encrypted value per row (`avoid_ids`, user ids).

1. Add the encrypted field.
2. Copy each row's list into it (encrypted with the current first key).
3. Drop the many-to-many tables.

Reversible: going back re-creates the tables and fills them from the encrypted values
(ids of users deleted since are skipped, as the tables' foreign keys would have)."""

from collections import defaultdict

from django.conf import settings
from django.db import migrations

import peers.fields

OWNERS = (("Application", "application_id"), ("MenteePreference", "menteepreference_id"))


def _field():
    return peers.fields.EncryptedTextField(
        blank=True,
        editable=False,
        help_text="User ids, encrypted at rest. Only the solver and the program's coordinators read them.",
        null=True,
        verbose_name="people to avoid",
    )


def _stored(ids) -> str | None:
    return ",".join(str(pk) for pk in sorted(set(ids))) or None


def lists_encrypt(apps, schema_editor):
    for name, owner_column in OWNERS:
        model = apps.get_model("mentoring", name)
        through = model._meta.get_field("avoid").remote_field.through
        lists = defaultdict(set)
        for owner_id, user_id in through.objects.values_list(owner_column, "user_id").iterator():
            lists[owner_id].add(user_id)
        for row in model.objects.filter(pk__in=list(lists)).only("pk"):
            row.avoid_ids = _stored(lists[row.pk])
            row.save(update_fields=["avoid_ids"])


def lists_decrypt(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for name, owner_column in OWNERS:
        model = apps.get_model("mentoring", name)
        through = model._meta.get_field("avoid").remote_field.through
        rows = list(model.objects.filter(avoid_ids__isnull=False).only("pk", "avoid_ids"))
        wanted = {row.pk: {int(p) for p in row.avoid_ids.split(",") if p.strip().isdigit()} for row in rows}
        existing = set(User.objects.filter(pk__in=set().union(*wanted.values())).values_list("pk", flat=True))
        through.objects.bulk_create(
            [
                through(**{owner_column: owner_id, "user_id": user_id})
                for owner_id, ids in wanted.items()
                for user_id in sorted(ids & existing)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0022_mentor_taken_from_a_running_pair"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(model_name="application", name="avoid_ids", field=_field()),
        migrations.AddField(model_name="menteepreference", name="avoid_ids", field=_field()),
        migrations.RunPython(lists_encrypt, lists_decrypt),
        migrations.RemoveField(model_name="application", name="avoid"),
        migrations.RemoveField(model_name="menteepreference", name="avoid"),
    ]

"""Keep only a hash of each calendar feed address: subscribed feeds keep working,
because the hash of the token their address carries is what is stored, and the tokens
themselves are dropped. Nobody can be shown their old address again; the page offers a
new one."""

import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    User = apps.get_model("peers", "User")
    for pk, token in User.objects.values_list("pk", "calendar_token"):
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
        User.objects.filter(pk=pk).update(calendar_token_hash=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0012_user_quiet_hours"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="calendar_token_hash",
            field=models.CharField(
                editable=False,
                help_text="SHA-256 of the private calendar feed address; empty when the person has none (or it was revoked).",
                max_length=64,
                null=True,
                unique=True,
            ),
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="user", name="calendar_token"),
    ]

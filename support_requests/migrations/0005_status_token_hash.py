"""Keep only a hash of each status link: existing links keep working, because the hash
of the token they carry is what is stored, and the tokens themselves are dropped (from
the history table too)."""

import pgtrigger.compiler
import pgtrigger.migrations
import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    SupportRequest = apps.get_model("support_requests", "SupportRequest")
    for pk, token in SupportRequest.objects.values_list("pk", "status_token"):
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
        SupportRequest.objects.filter(pk=pk).update(status_token_hash=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("support_requests", "0004_overdue_at_no_default"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="supportrequest",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="supportrequest",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="supportrequest",
            name="delete_delete",
        ),
        migrations.AddField(
            model_name="supportrequest",
            name="status_token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="supportrequest",
            name="status_token",
        ),
        migrations.RemoveField(
            model_name="supportrequestevent",
            name="status_token",
        ),
        migrations.AlterField(
            model_name="supportrequest",
            name="status_token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="supportrequest",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "support_requests_supportrequestevent" ("accepted_at", "assigned_to_id", "closed_at", "contact_details", "contact_method", "created_at", "description", "first_contact_at", "first_contact_due_at", "id", "leads_alerted_at", "offer_expires_at", "offered_at", "outcome", "overdue_alerted_at", "overdue_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "preferences", "program_id", "purged_at", "reason", "reference", "requester_department", "requester_id", "screening", "status", "urgency") VALUES (NEW."accepted_at", NEW."assigned_to_id", NEW."closed_at", NEW."contact_details", NEW."contact_method", NEW."created_at", NEW."description", NEW."first_contact_at", NEW."first_contact_due_at", NEW."id", NEW."leads_alerted_at", NEW."offer_expires_at", NEW."offered_at", NEW."outcome", NEW."overdue_alerted_at", NEW."overdue_at", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."preferences", NEW."program_id", NEW."purged_at", NEW."reason", NEW."reference", NEW."requester_department", NEW."requester_id", NEW."screening", NEW."status", NEW."urgency"); RETURN NULL;',
                    hash="1732a632661ee20dd7b227782e2ee5a2bc6919e8",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_b1afa",
                    table="support_requests_supportrequest",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="supportrequest",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."accepted_at" IS DISTINCT FROM (NEW."accepted_at") OR OLD."assigned_to_id" IS DISTINCT FROM (NEW."assigned_to_id") OR OLD."closed_at" IS DISTINCT FROM (NEW."closed_at") OR OLD."contact_details" IS DISTINCT FROM (NEW."contact_details") OR OLD."contact_method" IS DISTINCT FROM (NEW."contact_method") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."description" IS DISTINCT FROM (NEW."description") OR OLD."first_contact_at" IS DISTINCT FROM (NEW."first_contact_at") OR OLD."first_contact_due_at" IS DISTINCT FROM (NEW."first_contact_due_at") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."leads_alerted_at" IS DISTINCT FROM (NEW."leads_alerted_at") OR OLD."offer_expires_at" IS DISTINCT FROM (NEW."offer_expires_at") OR OLD."offered_at" IS DISTINCT FROM (NEW."offered_at") OR OLD."outcome" IS DISTINCT FROM (NEW."outcome") OR OLD."overdue_alerted_at" IS DISTINCT FROM (NEW."overdue_alerted_at") OR OLD."overdue_at" IS DISTINCT FROM (NEW."overdue_at") OR OLD."preferences" IS DISTINCT FROM (NEW."preferences") OR OLD."program_id" IS DISTINCT FROM (NEW."program_id") OR OLD."purged_at" IS DISTINCT FROM (NEW."purged_at") OR OLD."reason" IS DISTINCT FROM (NEW."reason") OR OLD."reference" IS DISTINCT FROM (NEW."reference") OR OLD."requester_id" IS DISTINCT FROM (NEW."requester_id") OR OLD."requester_department" IS DISTINCT FROM (NEW."requester_department") OR OLD."screening" IS DISTINCT FROM (NEW."screening") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."urgency" IS DISTINCT FROM (NEW."urgency"))',
                    func='INSERT INTO "support_requests_supportrequestevent" ("accepted_at", "assigned_to_id", "closed_at", "contact_details", "contact_method", "created_at", "description", "first_contact_at", "first_contact_due_at", "id", "leads_alerted_at", "offer_expires_at", "offered_at", "outcome", "overdue_alerted_at", "overdue_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "preferences", "program_id", "purged_at", "reason", "reference", "requester_department", "requester_id", "screening", "status", "urgency") VALUES (NEW."accepted_at", NEW."assigned_to_id", NEW."closed_at", NEW."contact_details", NEW."contact_method", NEW."created_at", NEW."description", NEW."first_contact_at", NEW."first_contact_due_at", NEW."id", NEW."leads_alerted_at", NEW."offer_expires_at", NEW."offered_at", NEW."outcome", NEW."overdue_alerted_at", NEW."overdue_at", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."preferences", NEW."program_id", NEW."purged_at", NEW."reason", NEW."reference", NEW."requester_department", NEW."requester_id", NEW."screening", NEW."status", NEW."urgency"); RETURN NULL;',
                    hash="21f7583c16c87169c66f23fa57de7e00d2fd8c6e",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_4cc83",
                    table="support_requests_supportrequest",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="supportrequest",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "support_requests_supportrequestevent" ("accepted_at", "assigned_to_id", "closed_at", "contact_details", "contact_method", "created_at", "description", "first_contact_at", "first_contact_due_at", "id", "leads_alerted_at", "offer_expires_at", "offered_at", "outcome", "overdue_alerted_at", "overdue_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "preferences", "program_id", "purged_at", "reason", "reference", "requester_department", "requester_id", "screening", "status", "urgency") VALUES (OLD."accepted_at", OLD."assigned_to_id", OLD."closed_at", OLD."contact_details", OLD."contact_method", OLD."created_at", OLD."description", OLD."first_contact_at", OLD."first_contact_due_at", OLD."id", OLD."leads_alerted_at", OLD."offer_expires_at", OLD."offered_at", OLD."outcome", OLD."overdue_alerted_at", OLD."overdue_at", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."preferences", OLD."program_id", OLD."purged_at", OLD."reason", OLD."reference", OLD."requester_department", OLD."requester_id", OLD."screening", OLD."status", OLD."urgency"); RETURN NULL;',
                    hash="fb319c7489dabf2af163f2c1ec3c31f9543908d8",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_33951",
                    table="support_requests_supportrequest",
                    when="AFTER",
                ),
            ),
        ),
    ]

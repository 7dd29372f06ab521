import pgtrigger
from django.conf import settings
from django.db import models

from peers.fields import EncryptedTextField


class AccessLog(models.Model):
    """Append-only record of who read (or was refused) what. The database refuses
    updates and deletes; rows are written on the `audit` connection, outside the
    request's transaction."""

    # No database constraint: the row is written on its own connection, which must not
    # wait for (or fail on) a user row the request's transaction has just written.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    allowed = models.BooleanField()
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"], name="accesslog_object")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else "denied"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}#{self.object_id} {verdict}"


class EncryptionCanary(models.Model):
    """One row holding a known value encrypted with the current keys. If the app's keys
    cannot decrypt it, they are the wrong keys and the app refuses to start."""

    value = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"encryption canary of {self.created_at:%Y-%m-%d}"


class Heartbeat(models.Model):
    """When a periodic process last ran (the sweeps, for /healthz)."""

    name = models.CharField(max_length=60, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"

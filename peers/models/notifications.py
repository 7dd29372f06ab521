from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In the app"


class NotificationStatus(StrEnum):
    """Where a notification's delivery stands, as the admin lists it."""

    PENDING = "pending"
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"


# Neither sent nor given up on: delivery still owes it.
UNDELIVERED = Q(sent_at__isnull=True, failed_at__isnull=True)


class NotificationQuerySet(models.QuerySet):
    def owed(self, now=None) -> "NotificationQuerySet":
        """Due and undelivered, those backing off after a failed attempt included."""
        return self.filter(UNDELIVERED, due_at__lte=now or timezone.now())


class Notification(models.Model):
    """One message to one person, sent at most once (see peers/services/notifications.py).

    The dedupe key makes creation idempotent: the same reminder or escalation created
    twice is one row. Content is rendered when the row is created, so delivery needs
    nothing but this row.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    program = models.ForeignKey(
        "peers.TrainingProgram", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    dedupe_key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="Where the person acts on it, a path on this site.")
    attachments = models.JSONField(default=list, blank=True, help_text="[{filename, content, mimetype}]")
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="A delivery batch holds the row until then (peers/services/notifications.py)."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="Set when delivery gave up.")
    read_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="notification_unsent_due",
                condition=UNDELIVERED,
            ),
            models.Index(fields=["recipient", "-due_at"], name="notification_inbox"),
            # Failed notifications: the coordinator's home counts their programs' (a few; without
            # it the count read every notification of the programs).
            models.Index(fields=["program", "kind"], name="notification_failed", condition=Q(failed_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(sent_at__isnull=False) & Q(failed_at__isnull=False)),
                name="notification_sent_or_failed_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.subject}"

    @property
    def status(self) -> NotificationStatus:
        if self.sent_at:
            return NotificationStatus.SENT
        if self.failed_at:
            return NotificationStatus.FAILED
        return NotificationStatus.RETRYING if self.attempts else NotificationStatus.PENDING

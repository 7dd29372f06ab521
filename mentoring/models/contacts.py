"""A mentee reaching their mentors, and the clock on the answer."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mentoring.models.cohorts import Mentee, MentorPair
from peers.fields import EncryptedTextField


class Channel(models.TextChoices):
    TEXT = "text", "Text message"
    CALL = "call", "Phone call"
    EMAIL = "email", "Email"


class ContactQuerySet(models.QuerySet):
    def unanswered(self) -> "ContactQuerySet":
        return self.filter(answered_at__isnull=True)


class Contact(models.Model):
    """A mentee reaching their mentors, through the app or logged by a mentor. The
    answer is due 24 hours after a text or call and 48 after an email (program settings);
    unanswered, it escalates in three steps, each once, never carrying the content."""

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="contacts")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    message = EncryptedTextField(blank=True, null=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when a mentor logged a contact from outside.",
    )
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentors_alerted_at = models.DateTimeField(null=True, blank=True)
    faculty_alerted_at = models.DateTimeField(null=True, blank=True)
    coordinator_alerted_at = models.DateTimeField(null=True, blank=True)
    content_purged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the message and its replies were removed after the retention period."
    )

    objects = ContactQuerySet.as_manager()

    program_parents = ("pair",)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.CheckConstraint(condition=Q(due_at__gt=F("received_at")), name="contact_due_after")]
        indexes = [
            # The coordinators' list, newest first: its page reads the index instead of sorting
            # every contact of their programs.
            models.Index(fields=["-received_at"], name="contact_newest"),
            # Unanswered contacts not yet escalated to the last step: those the sweep can still act on.
            models.Index(
                fields=["due_at"],
                name="contact_escalation_due",
                condition=Q(answered_at__isnull=True, coordinator_alerted_at__isnull=True),
            ),
            # Unanswered contacts escalated to the coordinator: the coordinator's home counts them
            # (a few at any time; without it the count read every contact).
            models.Index(
                fields=["pair", "due_at"],
                name="contact_escalated_open",
                condition=Q(answered_at__isnull=True, coordinator_alerted_at__isnull=False),
            ),
            # Answered contacts whose thread is still kept: those the retention purge can reach.
            models.Index(
                fields=["answered_at"],
                name="contact_retention_due",
                condition=Q(answered_at__isnull=False, content_purged_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} from {self.mentee.user} ({self.received_at:%Y-%m-%d})"

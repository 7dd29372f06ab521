"""What a requester adds after the intake: a lost link asked for again, messages to the
people working their request, and anonymous feedback once it has closed.

Imported by support_requests.models, so these are models of this app like the others."""

import uuid

import pghistory
from django.db import models
from django.db.models import Q

from peers.fields import EncryptedCharField, EncryptedTextField

MESSAGE_MAX_LENGTH = 2000
FEEDBACK_COMMENT_MAX_LENGTH = 500


class LinkRecovery(models.Model):
    """One "I lost my link" form, posted. The page saves one of these and says the same
    thing for every post; the recovery sweep (services.recovery) then compares the
    reference and the contact with the requests, off the page's path, so neither the
    answer nor its timing tells a guess from a match. What was typed is encrypted and
    emptied once the sweep has looked at it."""

    reference = EncryptedCharField(max_length=40, blank=True, null=True)
    contact = EncryptedCharField(max_length=200, blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="support_recovery_due", condition=Q(processed_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"link recovery {self.pk}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class RequesterMessage(models.Model):
    """A message the requester added from their status page. Encrypted at rest; read only
    by the supporter who accepted the request and the program's support leads (access.py),
    on the request's page, where each read is logged."""

    request = models.ForeignKey("support_requests.SupportRequest", on_delete=models.CASCADE, related_name="messages")
    text = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"message on {self.request_id}"


class SupportFeedback(models.Model):
    """Short anonymous feedback after a request closed. Unlinkable to the request as far as
    we can make it: no key to the request or the person, a random id (so the order of rows
    says nothing), and only the month, not the moment. The request keeps only that feedback
    was given (`SupportRequest.feedback_given`), so it is given once. Counts of it leave
    the app only through peers.suppression (support_requests.feedback)."""

    class Helpful(models.IntegerChoices):
        NOT_REALLY = 1, "Not really"
        SOMEWHAT = 2, "Somewhat"
        YES = 3, "Yes"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey("peers.TrainingProgram", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month it was given, in the program's zone.")
    helpful = models.PositiveSmallIntegerField(choices=Helpful.choices)
    comment = EncryptedTextField(blank=True, null=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(helpful__gte=1, helpful__lte=3), name="support_feedback_helpful_range")
        ]

    def __str__(self) -> str:
        return "anonymous feedback"

"""Outreach: someone asked that a person be contacted (a referral by a colleague, or a
lead reaching out to several people after one difficult event). DESIGN.md 2.3.

Each outreach is one SupportRequest (so it has the request's clocks, offers, leads and
"never dropped" rule) plus this row. The request holds the contact (encrypted, deferred
by support_requests.access until a full read); this row holds the person's name
(encrypted), who asked, and how it ended. No clinical detail is asked for or kept: the
request's description stays empty. The person referred is not the request's requester:
nobody but the leads and the supporter who accepted it reads it.

Imported by support_requests.models, so these are models of this app like the others."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from peers.fields import EncryptedCharField

NAME_MAX_LENGTH = 120


class OutreachOutcome(models.TextChoices):
    TALKED = "talked", "We talked"
    DECLINED = "declined", "They declined"
    RESOURCES_SENT = "resources_sent", "Resources sent"
    NO_REACH = "no_reach", "Could not reach them"


class Outreach(models.Model):
    class Origin(models.TextChoices):
        REFERRAL = "referral", "Asked for by a colleague"
        LEAD = "lead", "Opened by a support lead after an event"

    request = models.OneToOneField("support_requests.SupportRequest", on_delete=models.CASCADE, related_name="outreach")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.REFERRAL)
    name = EncryptedCharField(max_length=NAME_MAX_LENGTH, blank=True, null=True)  # emptied by the purge
    after_event = models.BooleanField(default=False, help_text="Follows a difficult event (no details kept).")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="outreach_asked"
    )
    may_name_referrer = models.BooleanField(default=False, help_text="The person may be told who asked.")
    # The one-click "no thanks" link: only its SHA-256, like the status links.
    decline_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    message_sent_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True, help_text="The person said no thanks, by the link.")
    outcome = models.CharField(max_length=20, choices=OutreachOutcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    referrer_told_at = models.DateTimeField(null=True, blank=True, help_text="Told that outreach happened, only.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome_at__isnull=False), name="support_outreach_outcome_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"outreach for {self.request_id}"

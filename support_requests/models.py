"""Confidential peer support (DESIGN.md 2.3).

Narratives, contact details, screening answers, preferences and notes are encrypted
at rest (peers.fields), and so are their history copies. Only the requester, the
assigned supporter and the program's support leads ever see them.
"""

import hashlib
import secrets

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peers.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from peers.models import TrainingProgram
from support_requests.receivers import someone_receives

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "PS-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def new_status_token() -> str:
    return secrets.token_urlsafe(32)


def status_token_hash(token: str) -> str:
    """What the database keeps of a status link: its SHA-256. The token is 32 random
    bytes, so no salt or slow hash is needed (nothing to guess from the hash), and the
    hash does not depend on any rotating key, so links stay valid through rotations."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def unreachable_status_token_hash() -> str:
    """For a request made without the intake (demo data, imports): a link nobody holds."""
    return status_token_hash(new_status_token())


class Reason(models.TextChoices):
    ADVERSE_EVENT = "adverse_event", "An adverse clinical event"
    COMPLAINT = "complaint", "A patient or college complaint"
    CONFLICT = "conflict", "Conflict with a patient or colleague"
    LIFE_STRESSOR = "life_stressor", "An acute life stressor (a birth, a bereavement)"
    BURNOUT = "burnout", "Burnout or moral injury"
    WORK_CHANGE = "work_change", "A change at work"
    DISCRIMINATION = "discrimination", "Discrimination or being othered"
    OTHER = "other", "Something else"


class CareerStage(models.TextChoices):
    STUDENT = "student", "Medical or graduate student"
    RESIDENT = "resident", "Resident"
    FELLOW = "fellow", "Fellow"
    EARLY = "early", "Early-career physician"
    ESTABLISHED = "established", "Established physician"


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"


class Urgency(models.TextChoices):
    TODAY = "today", "Today, please"
    THIS_WEEK = "this_week", "This week"


class PauseReason(models.TextChoices):
    UNREACHABLE = "unreachable", "No way to reach the requester"
    LATER = "later", "The requester asked to be contacted later"


class Outcome(models.TextChoices):
    SUPPORTED = "supported", "Peer support given"
    REFERRED = "referred", "Referred to other resources"
    DECLINED = "declined", "The requester declined"
    NO_CONTACT = "no_contact", "Could not reach the requester"
    WITHDRAWN = "withdrawn", "The requester withdrew it"


class SupporterProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporter_profile")
    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="supporter_profiles")
    is_active = models.BooleanField(default=True)
    capacity = models.PositiveSmallIntegerField(default=3, help_text="Open requests at a time.")
    specialty = models.CharField(max_length=100, blank=True)
    department = models.CharField(max_length=100, blank=True, help_text="As typed, before departments were a list.")
    home_department = models.ForeignKey(
        "support_requests.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supporters",
        help_text="Never suggested or offered to a requester who picked this department.",
    )
    career_stage = models.CharField(max_length=20, choices=CareerStage.choices, blank=True)
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    disclosed_identities = ArrayField(
        models.CharField(max_length=60),
        default=list,
        blank=True,
        help_text="Only what the supporter chose to share, to match requesters who ask for it.",
    )
    identity_consent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the supporter agreed to be matched on these."
    )
    evaluates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="evaluated_by_supporters",
        help_text="People this supporter evaluates: never matched with them.",
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="supporter_capacity_positive")]

    def __str__(self) -> str:
        return f"{self.user} (peer supporter)"


class SupporterAway(models.Model):
    profile = models.ForeignKey(SupporterProfile, on_delete=models.CASCADE, related_name="away_periods")
    starts_on = models.DateField()
    ends_on = models.DateField()
    # When the supporter's open requests went back to the leads (services.handover), once.
    handed_over_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="supporter_away_order")
        ]
        indexes = [
            models.Index(
                fields=["starts_on"], name="support_away_handover_due", condition=Q(handed_over_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile.user} away {self.starts_on}–{self.ends_on}"


class OfficeHours(models.Model):
    class Kind(models.TextChoices):
        WALK_IN = "walk_in", "Walk-in"
        SAME_DAY = "same_day", "Same-day appointments"

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="support_office_hours")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WALK_IN)
    weekday = models.SmallIntegerField(
        choices=[
            (n, d) for n, d in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
        ]
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    location = models.CharField(max_length=200)

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name_plural = "office hours"
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="office_hours_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}, {self.location}"


class SupportRequestQuerySet(models.QuerySet):
    def open(self) -> "SupportRequestQuerySet":
        return self.exclude(status=SupportRequest.Status.CLOSED)

    def offered_to(self, user) -> "SupportRequestQuerySet":
        return self.filter(assigned_to=user, status=SupportRequest.Status.OFFERED)


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), exclude=["status_token_hash"]
)
class SupportRequest(models.Model):
    class Status(models.TextChoices):
        NEEDS_REFERRAL = "needs_referral", "Needs referral (screened out)"
        NEW = "new", "Waiting to be matched"
        OFFERED = "offered", "Offered to a supporter"
        ASSIGNED = "assigned", "Supporter assigned"
        CONTACTED = "contacted", "In contact"
        CLOSED = "closed", "Closed"

    # Named groups of statuses, so a rule reads as what it means.
    MATCHING = (Status.NEW, Status.OFFERED)  # waiting for a supporter: may be offered
    HELD = (Status.OFFERED, Status.ASSIGNED, Status.CONTACTED)  # takes one of a supporter's places
    WORKING = (Status.ASSIGNED, Status.CONTACTED, Status.NEEDS_REFERRAL)  # being worked on
    AWAITING_CONTACT = (Status.ASSIGNED, Status.NEEDS_REFERRAL)  # whoever holds it may record first contact

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    # Only the hash of the private status link: the link itself is shown to the
    # requester once, at intake, and exists nowhere else (`request_create`).
    status_token_hash = models.CharField(
        max_length=64, unique=True, editable=False, default=unreachable_status_token_hash
    )
    program = models.ForeignKey(TrainingProgram, on_delete=models.PROTECT, related_name="support_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_requests"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.THIS_WEEK)
    # Confidential content, encrypted at rest:
    # (Encrypted fields store an empty value as NULL, hence null=True.)
    screening = EncryptedTextField(blank=True, null=True, help_text="The screening questions answered yes.")
    description = EncryptedTextField(blank=True, null=True)
    contact_method = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    contact_details = EncryptedTextField(blank=True, null=True)
    preferences = EncryptedJSONField(default=dict, blank=True, null=True)
    requester_department = EncryptedCharField(max_length=200, blank=True, null=True)  # as typed, before the list
    # The id of the Department the requester picked, encrypted like the rest: a plain key
    # would say which department each request came from.
    department_picked = EncryptedCharField(max_length=20, blank=True, null=True)
    # The language of the resources shown to the requester, where the institution has them in it.
    resources_language = models.CharField(max_length=12, blank=True)
    # The workflow:
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_assignments"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    first_contact_due_at = models.DateTimeField()
    overdue_at = models.DateTimeField(help_text="Twice the first-contact target: everyone is told.")
    first_contact_at = models.DateTimeField(null=True, blank=True)
    leads_alerted_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    # A request waiting on the requester: its clock stands still (services.clock).
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=20, choices=PauseReason.choices, blank=True)
    resume_at = models.DateTimeField(null=True, blank=True, help_text="When the requester asked to be contacted.")
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    feedback_given = models.BooleanField(default=False, help_text="Only whether: the feedback is not linked to it.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(assigned_to__isnull=False, offer_expires_at__isnull=False),
                name="support_offer_has_supporter_and_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="support_closed_has_time"
            ),
            models.CheckConstraint(
                condition=Q(paused_at__isnull=True, pause_reason="", resume_at__isnull=True)
                | (Q(paused_at__isnull=False) & ~Q(pause_reason="")),
                name="support_pause_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["first_contact_due_at"],
                name="support_first_contact_due",
                condition=Q(first_contact_at__isnull=True, closed_at__isnull=True, overdue_alerted_at__isnull=True),
            ),
            models.Index(fields=["offer_expires_at"], name="support_offers_expiring", condition=Q(status="offered")),
            models.Index(
                fields=["resume_at"],
                name="support_resume_due",
                condition=Q(paused_at__isnull=False, resume_at__isnull=False),
            ),
            models.Index(
                fields=["closed_at"],
                name="support_purge_due",
                condition=Q(closed_at__isnull=False, purged_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def screened_yes(self) -> list[str]:
        return [key for key in (self.screening or "").split(",") if key]


class SupportDecline(models.Model):
    """A supporter who declined (or let an offer lapse) is not offered it again."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="declines")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    lapsed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "supporter"], name="support_decline_once")]

    def __str__(self) -> str:
        return f"{self.request} declined by {self.supporter_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SupportNote(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note on {self.request}"


class Referral(models.Model):
    class Resource(models.TextChoices):
        COUNSELLING = "counselling", "Counselling / wellness centre"
        PHYSICIAN_HEALTH = "physician_health", "Physician health program"
        CRISIS = "crisis", "Crisis line or emergency care"
        FACULTY = "faculty", "Faculty or program leadership"
        OTHER = "other", "Other resource"

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="referrals")
    resource = models.CharField(max_length=30, choices=Resource.choices)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.request}: {self.get_resource_display()}"


class SupportSettings(models.Model):
    """How one program runs confidential peer support: response times, offers, notes and
    how long a closed request's content is kept.

    Support owns these (they were `support_...` columns of TrainingProgram), so the core has
    nothing to change when support gains a setting. Exactly one row per program: migration
    0007 filled it for existing programs; for new ones a receiver connected through
    registry.register_program_settings makes it. It appears as an inline of the program admin."""

    program = models.OneToOneField(
        TrainingProgram, primary_key=True, on_delete=models.CASCADE, related_name="support_settings"
    )
    accepts_requests = models.BooleanField(
        "accepts support requests",
        default=True,
        help_text="Listed on the support request form. Needs an active support lead or an office "
        "administrator to receive the requests.",
    )
    first_response_hours = models.PositiveSmallIntegerField("first support contact within (hours)", default=24)
    urgent_response_hours = models.PositiveSmallIntegerField("first support contact when urgent (hours)", default=4)
    offer_hours = models.PositiveSmallIntegerField(
        "a peer supporter has this long to accept a request (hours)", default=4
    )
    auto_assign = models.BooleanField(
        "assign support requests automatically",
        default=False,
        help_text="Offer each request to the best-matched supporter without waiting for a support lead.",
    )
    notes_allowed = models.BooleanField(
        "supporters may keep short notes", default=True, help_text="Some programs keep no notes at all."
    )
    retention_days = models.PositiveSmallIntegerField("purge a closed request's content after (days)", default=180)

    class Meta:
        verbose_name = "peer support settings"
        verbose_name_plural = "peer support settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_hours__gte=1)
                & Q(urgent_response_hours__gte=1)
                & Q(offer_hours__gte=1)
                & Q(retention_days__gte=1),
                name="support_settings_positive",
                violation_error_message="Support hours and retention must be at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"Peer support settings of {self.program}"

    def clean(self) -> None:
        """The rule of support_requests.receivers: a program is not set to accept requests
        (switched on, or made so) while nobody would receive them. A program already in that
        state is not locked against other edits: /healthz and the admin show it."""
        accepted_before = SupportSettings.objects.filter(pk=self.pk, accepts_requests=True).exists()
        if self.accepts_requests and not accepted_before and not someone_receives(self.program):
            raise ValidationError(
                {
                    "accepts_requests": "Nobody would receive this program's support requests: it has no "
                    "active support lead and there is no office administrator. Appoint a support lead "
                    "first, or stop accepting requests."
                }
            )


# Kept in their own modules to keep this one short; imported here so Django finds them.
from support_requests.models_departments import Department, ResourceTranslation, department_key  # noqa: E402, F401
from support_requests.models_hours import SupportHoliday, SupportHours  # noqa: E402, F401
from support_requests.models_outreach import Outreach, OutreachOutcome  # noqa: E402, F401
from support_requests.models_requester import (  # noqa: E402, F401
    FEEDBACK_COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    LinkRecovery,
    RequesterMessage,
    SupportFeedback,
)

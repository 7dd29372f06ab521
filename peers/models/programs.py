import datetime

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peers.models.validators import validate_email_domain, validate_time_zone


class ProgramKind(models.TextChoices):
    MEDICAL_SCHOOL = "medical_school", "Medical school"
    RESIDENCY = "residency", "Residency"
    FELLOWSHIP = "fellowship", "Fellowship"
    GRADUATE = "graduate", "Graduate program"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Program coordinator"
    FACILITATOR = "facilitator", "Facilitator"
    WELLNESS_ADVISOR = "wellness_advisor", "Wellness advisor"
    TRAINEE = "trainee", "Trainee"
    PEER_MENTOR = "peer_mentor", "Peer mentor"
    FACULTY_MENTOR = "faculty_mentor", "Faculty mentor"
    PEER_SUPPORTER = "peer_supporter", "Peer supporter"
    SUPPORT_LEAD = "support_lead", "Support lead"


# Roles whose holders see other people's data or confidential requests: they must
# set up two-factor authentication before they can use the site.
MFA_REQUIRED_ROLES = frozenset({Role.COORDINATOR, Role.PEER_SUPPORTER, Role.SUPPORT_LEAD})
# Roles only the well-being office (a superuser) grants: they open other people's data
# or confidential requests, so a program coordinator cannot hand them out, even to themselves.
OFFICE_GRANTED_ROLES = frozenset({Role.COORDINATOR, Role.PEER_SUPPORTER, Role.SUPPORT_LEAD})
# Roles that open confidential support requests. Nobody, superusers included, hands them out
# alone: one office administrator proposes a RoleGrant and another approves it (see
# peers/services/role_grants.py), and the database refuses such a membership without one.
CONFIDENTIAL_ROLES = frozenset({Role.PEER_SUPPORTER, Role.SUPPORT_LEAD})


class TrainingKind(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator training"
    PEER_MENTOR = "peer_mentor", "Peer mentor training"
    PEER_SUPPORTER = "peer_supporter", "Peer supporter training"


class Institution(models.Model):
    name = models.CharField(max_length=200, unique=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone])
    crisis_resources = models.TextField(
        blank=True, help_text="Shown at once to anyone whose request is out of scope. One resource per line."
    )
    clinical_resources = models.TextField(blank=True, help_text="Clinical and counselling services, one per line.")
    allowed_email_domains = ArrayField(
        models.CharField(max_length=120, validators=[validate_email_domain]),
        default=list,
        blank=True,
        help_text="Email domains of this institution, comma-separated (medschool.example.edu).",
    )
    allow_self_signup = models.BooleanField(
        default=False,
        help_text="Let people with an address in the allowed domains create their own account.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingProgram(models.Model):
    """A training program of an institution. Each app keeps its own settings for the program
    in a one-to-one model of its own (program.session_settings, .mentoring_settings,
    .support_settings), so this model does not change when an app gains a setting."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProgramKind.choices)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone])

    class Meta:
        ordering = ["institution__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="program_name_unique_per_institution"),
        ]

    def __str__(self) -> str:
        return self.name


class LearningCommunity(models.Model):
    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="learning_communities")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["program__name", "name"]
        verbose_name_plural = "learning communities"
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="learning_community_unique_per_program"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


# The backstop behind the role-grant services. A confidential-role membership is inserted, or
# widened (another person, program, role or grant, an earlier start, a later or removed end),
# only when it points to an approved grant for the same person, program and role and lies within
# the grant's dates. An ended membership is not extended under the grant it already had, so one
# administrator cannot undo a revocation. Narrowing (ending early) is always allowed, also for
# memberships made before grants existed.
_CONFIDENTIAL_ROLE_NEEDS_GRANT = f"""
IF NEW.role NOT IN ({", ".join(f"'{role.value}'" for role in sorted(CONFIDENTIAL_ROLES))}) THEN
    RETURN NEW;
END IF;
IF TG_OP = 'UPDATE' AND NEW.user_id = OLD.user_id AND NEW.program_id = OLD.program_id
   AND NEW.role = OLD.role AND NEW.grant_id IS NOT DISTINCT FROM OLD.grant_id
   AND NEW.starts_on >= OLD.starts_on
   AND (NEW.ends_on IS NOT DISTINCT FROM OLD.ends_on
        OR (NEW.ends_on IS NOT NULL AND (OLD.ends_on IS NULL OR NEW.ends_on <= OLD.ends_on))) THEN
    RETURN NEW;
END IF;
IF TG_OP = 'UPDATE' AND NEW.role = OLD.role AND NEW.grant_id IS NOT DISTINCT FROM OLD.grant_id
   AND OLD.ends_on IS NOT NULL THEN
    RAISE EXCEPTION 'An ended % membership is extended only by a new approved role grant.', NEW.role
        USING ERRCODE = 'check_violation';
END IF;
IF NOT EXISTS (
    SELECT 1 FROM peers_rolegrant g
    WHERE g.id = NEW.grant_id AND g.status = 'approved'
      AND g.user_id = NEW.user_id AND g.program_id = NEW.program_id AND g.role = NEW.role
      AND NEW.starts_on >= g.starts_on
      AND (g.ends_on IS NULL OR (NEW.ends_on IS NOT NULL AND NEW.ends_on <= g.ends_on))
) THEN
    RAISE EXCEPTION 'A % membership needs an approved role grant for this person, program and dates.', NEW.role
        USING ERRCODE = 'check_violation';
END IF;
RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    """A person's role in one training program, for a period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    class_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of study (1-4 in medical school)."
    )
    pgy = models.PositiveSmallIntegerField("PGY", null=True, blank=True, help_text="Postgraduate year.")
    is_md_phd = models.BooleanField("MD/PhD", default=False)
    learning_community = models.ForeignKey(
        LearningCommunity, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    grant = models.ForeignKey(
        "peers.RoleGrant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="memberships",
        help_text="The approved role grant behind a peer supporter or support lead membership.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["program__name", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "role"],
                name="membership_one_per_role",
                violation_error_message="This person already has this role in this program.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(class_year__isnull=True) | Q(class_year__gte=1, class_year__lte=8),
                name="membership_class_year_range",
                violation_error_message="Class year must be between 1 and 8.",
            ),
            models.CheckConstraint(
                condition=Q(pgy__isnull=True) | Q(pgy__gte=1, pgy__lte=10),
                name="membership_pgy_range",
                violation_error_message="PGY must be between 1 and 10.",
            ),
        ]
        indexes = [models.Index(fields=["program", "role"])]
        triggers = [
            pgtrigger.Trigger(
                name="confidential_role_needs_grant",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=_CONFIDENTIAL_ROLE_NEEDS_GRANT,
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.program}"

    def clean(self) -> None:
        if self.learning_community_id and self.program_id and self.learning_community.program_id != self.program_id:
            raise ValidationError({"learning_community": "This learning community belongs to another program."})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class TrainingRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records")
    kind = models.CharField(max_length=20, choices=TrainingKind.choices)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="training_expires_after_completion",
                violation_error_message="Training must expire after the date it was completed.",
            ),
            models.UniqueConstraint(fields=["user", "kind", "completed_on"], name="training_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user} · {self.completed_on}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.completed_on <= on and (self.expires_on is None or self.expires_on >= on)

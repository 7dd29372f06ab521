"""Granting a confidential role (peer supporter, support lead): one office administrator
proposes, another approves. The grant row is the office's record of who opened whose access
to confidential requests, when and why; a membership in one of these roles cannot exist
without an approved grant (a trigger on the membership table, see `Membership.Meta`)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from peers.models.programs import CONFIDENTIAL_ROLES, Role, TrainingProgram


class GrantStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for a second administrator"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_grants")
    program = models.ForeignKey(TrainingProgram, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=20, choices=[(r.value, r.label) for r in Role if r in CONFIDENTIAL_ROLES])
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True, help_text="Leave empty for no end date.")
    reason = models.TextField(help_text="Why this person needs the role (training completed, appointed by …).")
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default=GrantStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_grants_proposed"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="role_grants_approved"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="role_grants_rejected"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=sorted(CONFIDENTIAL_ROLES)),
                name="role_grant_confidential_roles_only",
                violation_error_message="Only the peer supporter and support lead roles are granted this way.",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="role_grant_approver_is_not_proposer",
                violation_error_message="A second office administrator must approve this grant.",
            ),
            models.CheckConstraint(
                condition=~Q(user=F("proposed_by")) & (Q(approved_by__isnull=True) | ~Q(approved_by=F("user"))),
                name="role_grant_not_to_oneself",
                violation_error_message="Nobody proposes or approves a role for themselves.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=GrantStatus.PROPOSED, approved_by__isnull=True, rejected_by__isnull=True)
                    | Q(
                        status=GrantStatus.APPROVED,
                        approved_by__isnull=False,
                        approved_at__isnull=False,
                        rejected_by__isnull=True,
                    )
                    | Q(
                        status=GrantStatus.REJECTED,
                        rejected_by__isnull=False,
                        rejected_at__isnull=False,
                        approved_by__isnull=True,
                    )
                ),
                name="role_grant_status_matches_decision",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="role_grant_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.UniqueConstraint(
                fields=["user", "program", "role"],
                condition=Q(status=GrantStatus.PROPOSED),
                name="role_grant_one_open_proposal",
                violation_error_message="This person already has a proposal for this role waiting for approval.",
            ),
        ]
        triggers = [
            # A decided grant is the office's record of who opened whose access: kept as it was.
            pgtrigger.Protect(
                name="decided_grant_is_kept",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Condition("OLD.status <> 'proposed'"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.user} in {self.program} ({self.get_status_display().lower()})"

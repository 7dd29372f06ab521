"""A mentor referring a situation beyond the relationship."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentoring.models.cohorts import Mentee, MentorPair
from peers.fields import EncryptedTextField

# A referral still holding a note or an outcome note (the retention purge empties both).
KEPT_NOTES = Q(note__isnull=False) | Q(outcome_note__isnull=False)


class MentorReferral(models.Model):
    """A mentor referring a situation beyond the relationship to the faculty mentor or the
    program office, as the program requires."""

    class To(models.TextChoices):
        FACULTY = "faculty", "The faculty mentor"
        OFFICE = "office", "The program office"

    class Category(models.TextChoices):
        WELLBEING = "wellbeing", "Well-being concern"
        ACADEMIC = "academic", "Academic difficulty"
        PROFESSIONALISM = "professionalism", "Professionalism concern"
        MISTREATMENT = "mistreatment", "Mistreatment"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        MET = "met", "Met or spoke with the mentee"
        REFERRED_ON = "referred_on", "Referred on to services"
        MENTOR_SUPPORTED = "mentor_supported", "Advised the mentor; no further action"
        NO_ACTION = "no_action", "No action needed"

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="referrals")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    to = models.CharField(max_length=10, choices=To.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    note = EncryptedTextField(blank=True, null=True)
    mentee = models.ForeignKey(
        Mentee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the mentor chose not to name the mentee.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(blank=True, null=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    program_parents = ("pair",)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(acknowledged_at__isnull=False, outcome_at__isnull=False),
                name="referral_outcome_after_acknowledgement",
                violation_error_message="Acknowledge the referral before recording its outcome.",
            )
        ]
        indexes = [
            # Referrals whose notes are still kept: those the retention purge can reach.
            models.Index(fields=["created_at"], name="referral_notes_retention_due", condition=KEPT_NOTES)
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} referral to {self.get_to_display().lower()}"

"""Applications to be a peer mentor, and their interviews."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mentoring.models.avoid import AvoidList
from mentoring.models.cohorts import MentoringCycle

ENTERING_YEARS = [(3, "Third year"), (4, "Fourth year")]


class ApplicationQuerySet(models.QuerySet):
    def undecided(self) -> "ApplicationQuerySet":
        return self.filter(status=Application.Status.SUBMITTED)

    def selected(self) -> "ApplicationQuerySet":
        return self.filter(status=Application.Status.SELECTED)

    def holding_a_place(self) -> "ApplicationQuerySet":
        """Selected, or offered a freed place that is held for them until the offer expires."""
        return self.filter(status__in=(Application.Status.SELECTED, Application.Status.OFFERED))


class Application(AvoidList):
    """A student entering third or fourth year (or an MD/PhD student) applying to be a
    peer mentor for a cycle. The people they should not be paired with are `avoid_ids`
    (encrypted)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SELECTED = "selected", "Selected"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Not selected"
        WITHDRAWN = "withdrawn", "Withdrew"
        OFFERED = "offered", "Offered a place"
        LAPSED = "lapsed", "Offer lapsed"

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_applications"
    )
    entering_year = models.PositiveSmallIntegerField(choices=ENTERING_YEARS)
    is_md_phd = models.BooleanField("applying as an MD/PhD peer mentor", default=False)
    motivation = models.TextField(max_length=3000)
    experience = models.TextField(max_length=3000, blank=True)
    preferred_partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    offer_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="A freed place offered from the waitlist is held until then."
    )

    objects = ApplicationQuerySet.as_manager()

    program_parents = ("cycle",)

    class Meta:
        ordering = ["cycle", "entering_year", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "applicant"], name="application_once_per_cycle"),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="application_offer_has_expiry",
                violation_error_message="An offered place needs the time the offer expires.",
            ),
        ]
        indexes = [
            # Open offers only: what the expiry sweep can act on.
            models.Index(fields=["offer_expires_at"], name="mentor_offers_expiring", condition=Q(status="offered"))
        ]

    def __str__(self) -> str:
        return f"{self.applicant} ({self.get_entering_year_display()})"


class InterviewQuerySet(models.QuerySet):
    def assigned_to(self, user) -> "InterviewQuerySet":
        """The undecided interviews `user` (a faculty mentor or coordinator) is to score."""
        return self.filter(interviewer=user, application__status=Application.Status.SUBMITTED)


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Interview(models.Model):
    """Four criteria, each scored 1 to 5."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="interview")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    understanding = models.PositiveSmallIntegerField(
        "understanding of mentoring qualities", null=True, blank=True, validators=SCORE
    )
    prior_experience = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    dedication = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    professionalism = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    move_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    move_request_note = models.CharField(
        "times that suit the applicant", max_length=300, blank=True, help_text="What the applicant asked for."
    )

    objects = InterviewQuerySet.as_manager()

    program_parents = ("application",)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(understanding__isnull=True) | Q(understanding__gte=1, understanding__lte=5),
                name="interview_understanding_1_5",
            ),
            models.CheckConstraint(
                condition=Q(prior_experience__isnull=True) | Q(prior_experience__gte=1, prior_experience__lte=5),
                name="interview_experience_1_5",
            ),
            models.CheckConstraint(
                condition=Q(dedication__isnull=True) | Q(dedication__gte=1, dedication__lte=5),
                name="interview_dedication_1_5",
            ),
            models.CheckConstraint(
                condition=Q(professionalism__isnull=True) | Q(professionalism__gte=1, professionalism__lte=5),
                name="interview_professionalism_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Interview of {self.application}"

    @property
    def total(self) -> int | None:
        scores = [self.understanding, self.prior_experience, self.dedication, self.professionalism]
        return None if None in scores else sum(scores)

"""A mentoring cycle, its mentor pairs (one third-year and one fourth-year peer mentor
with their faculty mentor) and each pair's cohort of mentees."""

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q

from peers.models import LearningCommunity, TrainingProgram

COHORT_MIN, COHORT_MAX = 12, 15  # the mentees a pair normally mentors
MENTEE_CLASS_YEARS = (1, 2)  # first- and second-year students are mentees


class MentoringCycle(models.Model):
    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="mentoring_cycles")
    name = models.CharField(max_length=100, help_text="e.g. 2026-2027")
    starts_on = models.DateField()
    ends_on = models.DateField()
    positions_third_year = models.PositiveSmallIntegerField(default=26)
    positions_fourth_year = models.PositiveSmallIntegerField(default=26)
    positions_md_phd = models.PositiveSmallIntegerField(
        "MD/PhD positions per entering year",
        default=1,
        help_text="MD/PhD peer mentors selected in addition to each year's positions.",
    )
    applications_open_on = models.DateField(null=True, blank=True)
    applications_close_on = models.DateField(null=True, blank=True)
    interviews_from = models.DateField(null=True, blank=True)
    interviews_to = models.DateField(null=True, blank=True)
    fall_starts_on = models.DateField(null=True, blank=True)
    fall_ends_on = models.DateField(null=True, blank=True)
    spring_starts_on = models.DateField(null=True, blank=True)
    spring_ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="mentoring_cycle_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="mentoring_cycle_order",
                violation_error_message="A cycle ends after it starts.",
            ),
        ]
        # The pair feedback sweep reads the cycles whose semester ended in the last days
        # (services/pair_feedback.py): through these, not over every cycle there was.
        indexes = [
            models.Index(fields=["fall_ends_on"], name="cycle_fall_ends", condition=Q(fall_ends_on__isnull=False)),
            models.Index(
                fields=["spring_ends_on"], name="cycle_spring_ends", condition=Q(spring_ends_on__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.name}"

    def accepts_applications(self, day) -> bool:
        return bool(
            self.applications_open_on
            and self.applications_close_on
            and self.applications_open_on <= day <= self.applications_close_on
        )

    def semester_of(self, day):
        """(start, end) of the semester containing `day`, or None."""
        for start, end in ((self.fall_starts_on, self.fall_ends_on), (self.spring_starts_on, self.spring_ends_on)):
            if start and end and start <= day <= end:
                return start, end
        return None


class MentorPairQuerySet(models.QuerySet):
    def published(self) -> "MentorPairQuerySet":
        return self.filter(published_at__isnull=False)

    def current(self) -> "MentorPairQuerySet":
        """Published and not dissolved: the pairs mentees can be in."""
        return self.filter(published_at__isnull=False, dissolved_at__isnull=True)

    def of_peer_mentor(self, user) -> "MentorPairQuerySet":
        return self.filter(Q(third_year=user) | Q(fourth_year=user))

    def with_people(self) -> "MentorPairQuerySet":
        """The mentors, the faculty mentor and the mentees (by name), in two queries."""
        return self.select_related(
            "cycle__program", "third_year", "fourth_year", "faculty_mentor", "learning_community"
        ).prefetch_related(Prefetch("mentees", queryset=Mentee.objects.select_related("user").order_by("user__name")))


class MentorPair(models.Model):
    """One third-year and one fourth-year peer mentor with their faculty mentor. A seat is
    empty only while a published pair runs with one mentor, after a coordinator took its
    other mentor to replace someone in another pair (mentoring.services.repairing); the
    database keeps at least one."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="pairs")
    # Not blank: a form (the admin's) always names both; only re-pairing empties a seat.
    third_year = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    fourth_year = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    faculty_mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    learning_community = models.ForeignKey(LearningCommunity, on_delete=models.SET_NULL, null=True, blank=True)
    is_md_phd = models.BooleanField("MD/PhD pair", default=False, help_text="Mentors all MD/PhD students.")
    reasons = models.TextField(blank=True, help_text="Why the solver proposed this pair.")
    published_at = models.DateTimeField(null=True, blank=True)
    dissolved_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set when a coordinator dissolved the pair (re-pairing)."
    )

    objects = MentorPairQuerySet.as_manager()

    program_parents = ("cycle",)

    class Meta:
        constraints = [
            # One current pair per mentor; a dissolved pair frees its mentors for another.
            models.UniqueConstraint(
                fields=["cycle", "third_year"], condition=Q(dissolved_at__isnull=True), name="pair_third_year_once"
            ),
            models.UniqueConstraint(
                fields=["cycle", "fourth_year"], condition=Q(dissolved_at__isnull=True), name="pair_fourth_year_once"
            ),
            models.CheckConstraint(condition=~Q(third_year=F("fourth_year")), name="pair_two_people"),
            models.CheckConstraint(
                condition=Q(third_year__isnull=False) | Q(fourth_year__isnull=False), name="pair_keeps_a_mentor"
            ),
        ]

    def __str__(self) -> str:
        return " & ".join(m.get_full_name() for m in self.mentors()) + (
            "" if self.vacant_seat is None else " (one mentor)"
        )

    def mentors(self) -> list:
        """The peer mentors in their seats (one while the pair runs with one mentor)."""
        return [mentor for mentor in (self.third_year, self.fourth_year) if mentor is not None]

    @property
    def mentor_names(self) -> str:
        return " and ".join(m.get_full_name() for m in self.mentors())

    @property
    def vacant_seat(self) -> str | None:
        """ "third_year" or "fourth_year" while that seat is empty, else None."""
        for seat in ("third_year", "fourth_year"):
            if getattr(self, f"{seat}_id") is None:
                return seat
        return None

    def has_peer_mentor(self, user) -> bool:
        return user.pk in (self.third_year_id, self.fourth_year_id)

    def partner_of(self, user):
        """The other peer mentor; None while the pair runs with one mentor."""
        return self.fourth_year if user.pk == self.third_year_id else self.third_year


class Mentee(models.Model):
    """A student's place in a pair's cohort. Each student has one place a cycle in a
    learning-community pair, and an MD/PhD student one more in an MD/PhD pair: the
    MD/PhD mentoring is in addition (`md_phd` copies the pair's kind so that the
    database can hold one place of each kind)."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="mentees")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="mentees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_places")
    md_phd = models.BooleanField("in the MD/PhD pair", default=False, editable=False)

    program_parents = ("cycle",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user", "md_phd"], name="mentee_once_per_cycle_and_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.pair}"

    def save(self, *args, **kwargs) -> None:
        self.md_phd = self.pair.is_md_phd
        super().save(*args, **kwargs)


def cohort_size_is_usual(size: int) -> bool:
    return COHORT_MIN <= size <= COHORT_MAX

"""A program's recurring sessions."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from peers.models import TrainingProgram
from sessions_app.models.curriculum import MAX_MINUTES, MIN_MINUTES, Modality, Topic


class SessionSeries(models.Model):
    """A program's recurring sessions: e.g. "second Tuesday of the month, 12:00 local"."""

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    class Week(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = -1, "Last"

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="session_series")
    name = models.CharField(max_length=200)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    week_of_month = models.SmallIntegerField(choices=Week.choices, default=Week.SECOND)
    weekday = models.SmallIntegerField(choices=Weekday.choices, default=Weekday.TUESDAY)
    local_start_time = models.TimeField(default=datetime.time(12, 0), help_text="In the program's time zone.")
    duration_minutes = models.PositiveSmallIntegerField(
        default=MIN_MINUTES, validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)]
    )
    term_starts_on = models.DateField()
    term_ends_on = models.DateField()
    modality = models.CharField(max_length=20, choices=Modality.choices, default=Modality.IN_PERSON)
    location = models.CharField(max_length=200, blank=True, help_text="Room or address.")
    join_link = models.URLField(blank=True, help_text="Shown only to booked trainees and the facilitators.")
    group_size = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Seats per small group; empty uses the program's group size."
    )
    topics = models.ManyToManyField(Topic, blank=True, help_text="Used in turn, one per round.")

    class Meta:
        ordering = ["program__name", "term_starts_on", "name"]
        verbose_name_plural = "session series"
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gte=F("term_starts_on")),
                name="series_term_order",
                violation_error_message="The term must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_MINUTES, duration_minutes__lte=MAX_MINUTES),
                name="series_length_60_to_90",
                violation_error_message="A session lasts between 60 and 90 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(modality__in=Modality.values),
                name="series_format_is_known",
                violation_error_message="A session is virtual, in person or hybrid.",
            ),
            models.CheckConstraint(
                condition=Q(group_size__isnull=True) | Q(group_size__gte=2),
                name="series_group_size_at_least_2",
                violation_error_message="A group needs at least 2 trainees.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.program})"

    @property
    def seats_per_group(self) -> int:
        return self.group_size or self.program.session_settings.group_size


class SeriesGroup(models.Model):
    """One parallel group of a series: its own room, join link and co-facilitators, copied
    to that group's sessions when they are generated (each session stays editable)."""

    program_parents = ("series",)  # see peers.rules
    series = models.ForeignKey(SessionSeries, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(help_text="The group's number in every round (1, 2, ...).")
    location = models.CharField(max_length=200, blank=True, help_text="Empty uses the series' room.")
    join_link = models.URLField(blank=True, help_text="Empty uses the series' link. Shown only to the group's people.")
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="series_groups",
        help_text="Up to two: given this group's sessions when they are generated.",
    )

    class Meta:
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"],
                name="series_group_number_unique",
                violation_error_message="This series already has a group with that number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="series_group_number_positive",
                violation_error_message="Groups are numbered from 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series.name} · group {self.number}"

"""PEERS well-being sessions (DESIGN.md 2.1): curriculum, series, sessions,
co-facilitation, bookings, waitlists and anonymous feedback."""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, BigIntegerRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from psycopg2.extras import NumericRange

from peers.models import TrainingProgram

MIN_MINUTES, MAX_MINUTES = 60, 90


class CoreValue(models.TextChoices):
    PRACTICE = "practice", "Practice enhancement"
    ENGAGEMENT = "engagement", "Engagement"
    RESILIENCE = "resilience", "Resilience"
    SUPPORT = "support", "Support"


class Modality(models.TextChoices):
    VIRTUAL = "virtual", "Virtual"
    IN_PERSON = "in_person", "In person"
    HYBRID = "hybrid", "Hybrid"


class Topic(models.Model):
    """A curriculum topic: core (no program), a program's adaptation of a core topic,
    or a program's own new topic."""

    program = models.ForeignKey(
        TrainingProgram,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="topics",
        help_text="Empty for the core curriculum.",
    )
    adapted_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adaptations",
        limit_choices_to={"program__isnull": True},
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    core_values = ArrayField(models.CharField(max_length=20, choices=CoreValue.choices), default=list)
    facilitator_guide = models.TextField(blank=True, help_text="Markdown. Shown to facilitators only.")
    material_links = models.TextField(blank=True, help_text="One link per line.")
    default_minutes = models.PositiveSmallIntegerField(
        default=MIN_MINUTES, validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)]
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["program__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_minutes__gte=MIN_MINUTES, default_minutes__lte=MAX_MINUTES),
                name="topic_length_60_to_90",
                violation_error_message="A session lasts between 60 and 90 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(adapted_from__isnull=True) | Q(program__isnull=False),
                name="topic_adaptation_belongs_to_a_program",
                violation_error_message="An adaptation belongs to a program.",
            ),
            models.UniqueConstraint(
                fields=["program", "title"], name="topic_title_unique_per_program", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str:
        if self.program_id is None:
            return "core"
        return "adaptation" if self.adapted_from_id else "program"

    def links(self) -> list[str]:
        return [line.strip() for line in self.material_links.splitlines() if line.strip()]


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
                condition=Q(group_size__isnull=True) | Q(group_size__gte=2),
                name="series_group_size_at_least_2",
                violation_error_message="A group needs at least 2 trainees.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.program})"

    @property
    def seats_per_group(self) -> int:
        return self.group_size or self.program.group_size


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="sessions")
    series = models.ForeignKey(SessionSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions")
    round_date = models.DateField(help_text="The local date of the round; parallel groups share it.")
    group_number = models.PositiveSmallIntegerField(default=1)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    modality = models.CharField(max_length=20, choices=Modality.choices, default=Modality.IN_PERSON)
    location = models.CharField(max_length=200, blank=True)
    join_link = models.URLField(blank=True)
    capacity = models.PositiveSmallIntegerField()
    seats_taken = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Bookings plus seats held for a waitlist offer."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    booking_closes_hours = models.PositiveSmallIntegerField(
        default=2, help_text="Booking and cancelling close this many hours before the start."
    )
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="Calendar revision (iCalendar SEQUENCE)."
    )
    reminders_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    attendance_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    feedback_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    coverage_alert_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "group_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at") + datetime.timedelta(minutes=MIN_MINUTES))
                & Q(ends_at__lte=F("starts_at") + datetime.timedelta(minutes=MAX_MINUTES)),
                name="session_length_60_to_90",
                violation_error_message="A session lasts between 60 and 90 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message="A session needs at least one seat.",
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")),
                name="session_never_overbooked",
                violation_error_message="This session is full.",
            ),
            models.UniqueConstraint(
                fields=["series", "round_date", "group_number"],
                name="session_unique_group",
                condition=Q(series__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["program", "starts_at"]),
            models.Index(
                fields=["starts_at"],
                name="session_reminders_due",
                condition=Q(status="scheduled", reminders_sent_at__isnull=True),
            ),
            models.Index(
                fields=["ends_at"],
                name="session_feedback_due",
                condition=Q(status="scheduled", feedback_requested_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        title = self.topic.title if self.topic_id else "PEERS session"
        return f"{title} · {self.starts_at:%Y-%m-%d %H:%M} UTC · group {self.group_number}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def booking_closes_at(self) -> datetime.datetime:
        return self.starts_at - datetime.timedelta(hours=self.booking_closes_hours)


# The overlap rule is an exclusion constraint on one integer range per facilitation,
# user_id * 10**10 + epoch seconds, so two ranges overlap only for the same person at
# overlapping times. (Equality on user_id inside a GiST exclusion constraint needs the
# btree_gist extension, which the embedded PostgreSQL does not ship.)
USER_SPAN = 10**10


def facilitation_span(user_id: int, starts_at: datetime.datetime, ends_at: datetime.datetime) -> NumericRange:
    base = user_id * USER_SPAN
    return NumericRange(base + int(starts_at.timestamp()), base + int(ends_at.timestamp()), "[)")


class Facilitation(models.Model):
    """One of the two co-facilitators of a session. The database refuses a third, a
    second wellness advisor, and a facilitator holding two overlapping sessions."""

    class Kind(models.TextChoices):
        FACILITATOR = "facilitator", "Trainee facilitator"
        WELLNESS_ADVISOR = "wellness_advisor", "Wellness advisor"

    program_parents = ("session",)  # see peers.rules
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="facilitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FACILITATOR)
    slot = models.PositiveSmallIntegerField()
    span = BigIntegerRangeField(editable=False, help_text="See facilitation_span().")
    active = models.BooleanField(default=True, editable=False, help_text="False once the session is cancelled.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "slot"]
        constraints = [
            models.CheckConstraint(condition=Q(slot__in=[1, 2]), name="facilitation_two_slots"),
            models.UniqueConstraint(
                fields=["session", "slot"],
                name="facilitation_slot_unique",
                violation_error_message="This session already has two co-facilitators.",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                name="facilitation_once_per_session",
                violation_error_message="This person already co-facilitates this session.",
            ),
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(kind="wellness_advisor"),
                name="facilitation_one_advisor",
                violation_error_message="A session has at most one wellness advisor.",
            ),
            models.CheckConstraint(
                condition=Q(
                    user_id=Func(F("span"), function="lower", output_field=models.BigIntegerField()) / USER_SPAN
                ),
                name="facilitation_span_is_the_users",
            ),
            ExclusionConstraint(
                name="facilitation_no_overlap",
                expressions=[("span", RangeOperators.OVERLAPS)],
                condition=Q(active=True),
                violation_error_message="This person already facilitates a session at that time.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.session}"

    def save(self, *args, **kwargs) -> None:
        self.span = facilitation_span(self.user_id, self.session.starts_at, self.session.ends_at)
        super().save(*args, **kwargs)


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    program_parents = ("session",)  # see peers.rules
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_bookings")
    round_key = models.CharField(max_length=60, editable=False, help_text="One seat per round of a series.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    feedback_given = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=Q(status="booked"), name="booking_one_per_session"
            ),
            models.UniqueConstraint(
                fields=["user", "round_key"], condition=Q(status="booked"), name="booking_one_per_round"
            ),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} · {self.status}"


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Seat offered"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Offer expired"
        LEFT = "left", "Left the waitlist"

    program_parents = ("session",)  # see peers.rules
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_waitlists")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_once_per_session",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False), name="waitlist_offer_has_expiry"
            ),
        ]
        indexes = [
            models.Index(fields=["offer_expires_at"], name="waitlist_offers_expiring", condition=Q(status="offered")),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} · {self.status}"


class Availability(models.Model):
    """When a facilitator says they can facilitate."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availabilities")
    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="facilitator_availability")
    month = models.DateField(help_text="The first day of the month.")
    note = models.CharField(max_length=200, blank=True, help_text="e.g. not on call days; any Tuesday")

    class Meta:
        ordering = ["month"]
        verbose_name_plural = "availability"
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "month"], name="availability_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="availability_month_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.month:%B %Y}"


class Feedback(models.Model):
    """Anonymous: no link to the person or the booking, and only the day it came. The
    booking records only that feedback was given (yes/no), so nobody gives it twice
    and no timestamp ties a comment to a name."""

    program_parents = ("session",)  # see peers.rules
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True, max_length=2000)
    submitted_on = models.DateField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
                violation_error_message="Choose a rating from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for session {self.session_id}"

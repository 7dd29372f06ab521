"""One session: a group of trainees at one time, with its seats and its sweeps' stamps."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from peers.models import TrainingProgram
from sessions_app.models.curriculum import MAX_MINUTES, MIN_MINUTES, Modality, Topic
from sessions_app.models.series import SessionSeries


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    NOT_CANCELLED = (Status.SCHEDULED, Status.COMPLETED)

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
    changed_by_hand = ArrayField(
        models.CharField(max_length=20),
        default=list,
        blank=True,
        editable=False,
        help_text="Fields a coordinator set on this session itself; a series edit leaves them as they are.",
    )

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
                condition=Q(modality__in=Modality.values),
                name="session_format_is_known",
                violation_error_message="A session is virtual, in person or hybrid.",
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
                condition=Q(status__in=("scheduled", "completed"), feedback_requested_at__isnull=True),
            ),
            models.Index(
                fields=["starts_at"],
                name="session_attendance_due",
                condition=Q(status="scheduled", attendance_requested_at__isnull=True),
            ),
            models.Index(
                fields=["starts_at"],
                name="session_coverage_due",
                condition=Q(status="scheduled", coverage_alert_sent_at__isnull=True),
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

    @property
    def round_key(self) -> str:
        """What every group of a round shares (a booking's `round_key`: one seat per round)."""
        return f"{self.series_id}:{self.round_date}" if self.series_id else f"session:{self.pk}"

    def booking_closes_at(self) -> datetime.datetime:
        return self.starts_at - datetime.timedelta(hours=self.booking_closes_hours)

"""A mentor's duties: away notices (and who covers), meetings, the monthly contact and
trainings attended."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mentoring.models.cohorts import Mentee, MentoringCycle, MentorPair
from mentoring.models.contacts import Channel
from peers.fields import EncryptedTextField


class AwayNotice(models.Model):
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="away_notices")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="away_notices")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=120, help_text="e.g. exams, travel")
    tell_mentees = models.BooleanField(default=True)

    program_parents = ("pair",)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            # An away notice ended before its first day keeps its row (ends the day before
            # it starts: an empty span, away on no day); no other end precedes the start.
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on") - datetime.timedelta(days=1)),
                name="away_order",
                violation_error_message="The end date is before the start date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} away {self.starts_on}–{self.ends_on}"


class Meeting(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video"

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group"

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    mentees = models.ManyToManyField(Mentee, related_name="meetings")
    notes = EncryptedTextField(blank=True, null=True, help_text="Only the pair sees these.")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    program_parents = ("pair",)

    class Meta:
        ordering = ["-held_on"]
        indexes = [
            # Meetings whose notes are still kept: those the retention purge can reach.
            models.Index(fields=["held_on"], name="meeting_notes_retention_due", condition=Q(notes__isnull=False))
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} meeting {self.held_on}"


class Outreach(models.Model):
    """A mentor reaching out to a mentee (the monthly contact duty). It keeps the pair
    the mentee was in when it happened, as a meeting and a contact do, so that after a
    move it counts for the pair that made it and never for the mentee's new pair."""

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="outreach")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="outreach")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices)

    program_parents = ("mentee",)

    class Meta:
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.mentor} reached {self.mentee.user} on {self.on}"

    def save(self, *args, **kwargs) -> None:
        if self.pair_id is None:
            self.pair_id = self.mentee.pair_id  # the mentee's place when it is logged
        super().save(*args, **kwargs)


class TrainingAttendance(models.Model):
    """Faculty-led trainings and program workshops a peer mentor attended."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="trainings")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    attended_on = models.DateField()

    program_parents = ("cycle",)

    class Meta:
        ordering = ["-attended_on"]
        verbose_name_plural = "training attendance"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "mentor", "title", "attended_on"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} at {self.title}"


class FacultySummary(models.Model):
    """The monthly summary of a faculty mentor's pairs' compliance, for one closed month
    of the program's calendar. Its row is the sweep's claim: UNIQUE(faculty mentor,
    cycle, month) means one summary each month, however many sweeps run."""

    faculty_mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="faculty_summaries")
    month = models.DateField(help_text="The first day of the month summarised.")
    mentees = models.PositiveIntegerField(default=0)
    contacted = models.PositiveIntegerField("contacted that month", default=0)
    met = models.PositiveIntegerField("met this semester by the month's end", default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    program_parents = ("cycle",)

    class Meta:
        ordering = ["-month"]
        verbose_name_plural = "faculty summaries"
        constraints = [
            models.UniqueConstraint(fields=["faculty_mentor", "cycle", "month"], name="faculty_summary_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.faculty_mentor} {self.month:%B %Y}"

"""Peer mentoring (DESIGN.md 2.2): cycles, mentor pairs with their faculty mentor and
cohort, mentee contacts on a response clock, and away cover.

Not built yet (see the README): applications and interviews, the pairing solver,
meetings and duty reminders, surveys and referrals.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from peers.fields import EncryptedTextField
from peers.models import LearningCommunity, TrainingProgram


class MentoringCycle(models.Model):
    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="mentoring_cycles")
    name = models.CharField(max_length=100, help_text="e.g. 2026-2027")
    starts_on = models.DateField()
    ends_on = models.DateField()
    positions_third_year = models.PositiveSmallIntegerField(default=26)
    positions_fourth_year = models.PositiveSmallIntegerField(default=26)

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

    def __str__(self) -> str:
        return f"{self.program} {self.name}"


class MentorPair(models.Model):
    """One third-year and one fourth-year peer mentor with their faculty mentor."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="pairs")
    third_year = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fourth_year = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    faculty_mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    learning_community = models.ForeignKey(LearningCommunity, on_delete=models.SET_NULL, null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    program_parents = ("cycle",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "third_year"], name="pair_third_year_once"),
            models.UniqueConstraint(fields=["cycle", "fourth_year"], name="pair_fourth_year_once"),
            models.CheckConstraint(condition=~Q(third_year=F("fourth_year")), name="pair_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.third_year.get_full_name()} & {self.fourth_year.get_full_name()}"

    def mentors(self) -> list:
        return [self.third_year, self.fourth_year]

    def partner_of(self, user):
        return self.fourth_year if user.pk == self.third_year_id else self.third_year


class Mentee(models.Model):
    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="mentees")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="mentees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_places")

    program_parents = ("cycle",)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="mentee_once_per_cycle")]

    def __str__(self) -> str:
        return f"{self.user} in {self.pair}"


class Channel(models.TextChoices):
    TEXT = "text", "Text message"
    CALL = "call", "Phone call"
    EMAIL = "email", "Email"


class Contact(models.Model):
    """A mentee reaching their mentors, through the app or logged by a mentor. The
    answer is due 24 hours after a text or call and 48 after an email (program settings);
    unanswered, it escalates in three steps, each once, never carrying the content."""

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="contacts")
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    message = EncryptedTextField(blank=True, null=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when a mentor logged a contact from outside.",
    )
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentors_alerted_at = models.DateTimeField(null=True, blank=True)
    faculty_alerted_at = models.DateTimeField(null=True, blank=True)
    coordinator_alerted_at = models.DateTimeField(null=True, blank=True)

    program_parents = ("pair",)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.CheckConstraint(condition=Q(due_at__gt=F("received_at")), name="contact_due_after")]
        indexes = [
            models.Index(fields=["due_at"], name="contact_unanswered_due", condition=Q(answered_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} from {self.mentee.user} ({self.received_at:%Y-%m-%d})"


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
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="away_order",
                violation_error_message="The end date is before the start date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} away {self.starts_on}–{self.ends_on}"

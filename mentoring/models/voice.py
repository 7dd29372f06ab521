"""Mentees' voice: what they ask of the pairing (a preferred mentor, people to avoid) and
their anonymous feedback on their pair after each semester."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentoring.models.avoid import AvoidList
from mentoring.models.cohorts import MentoringCycle, MentorPair
from peers.fields import EncryptedTextField

RATING_RANGE = (1, 5)


class MenteePreference(AvoidList):
    """What a first- or second-year student asks of the cohort placement, as applicants
    ask of the pairing. The people to avoid (`avoid_ids`, encrypted) are a hard constraint
    for the solver and are for the coordinators only: no mentor's page, notice or pair
    reason mentions them."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="mentee_preferences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    preferred_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A peer mentor the student would like.",
    )

    program_parents = ("cycle",)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="mentee_preference_once_per_cycle")]

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


class PairFeedbackRound(models.Model):
    """The claim of the invitation sweep: a pair's mentees are invited once per semester."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="feedback_rounds")
    semester_ends_on = models.DateField()
    invited = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "semester_ends_on"], name="pair_feedback_round_once"),
        ]

    def __str__(self) -> str:
        return f"feedback on {self.pair} ending {self.semester_ends_on}"


class PairFeedbackGiven(models.Model):
    """Only that a mentee answered for a pair and semester, so they answer once; it has no
    link to the answer (PairFeedback), which carries neither person nor time."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    semester_ends_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "user", "semester_ends_on"], name="pair_feedback_once"),
        ]

    def __str__(self) -> str:
        return "feedback given"


class PairFeedback(models.Model):
    """One mentee's anonymous answer on their pair for a semester: no person, no time, and a
    random id, so neither a row nor the order of rows says who answered or when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="+")
    semester_ends_on = models.DateField()
    reachable = models.PositiveSmallIntegerField("My mentors were easy to reach")
    helpful = models.PositiveSmallIntegerField("Talking with my mentors helped me")
    comfortable = models.PositiveSmallIntegerField("I felt comfortable bringing things up")
    comment = EncryptedTextField(blank=True, null=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(reachable__gte=1, reachable__lte=5)
                & Q(helpful__gte=1, helpful__lte=5)
                & Q(comfortable__gte=1, comfortable__lte=5),
                name="pair_feedback_ratings_1_5",
                violation_error_message="Choose each rating from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return "anonymous feedback on a pair"


RATINGS = ("reachable", "helpful", "comfortable")

"""Surveys of mentors or mentees, and the focus groups the program runs."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from mentoring.models.cohorts import MentoringCycle


class Survey(models.Model):
    class Audience(models.TextChoices):
        MENTORS = "mentors", "Peer mentors"
        MENTEES = "mentees", "Mentees"

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    anonymous = models.BooleanField(default=True, help_text="Answers are stored without the person.")
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Answers are taken until then, and results show only after it, so they never change "
        "once shown. Empty: two weeks after sending.",
    )

    program_parents = ("cycle",)

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closes_at is not None and self.closes_at <= timezone.now()


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Scale (1 to 5)"
        CHOICE = "choice", "Choice"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    choices = models.TextField(blank=True, help_text="For a choice question: one option per line.")

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class SurveyInvitation(models.Model):
    """Who may answer, and whether they did; never which answers are theirs when anonymous."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations")
    responded = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="survey_invitation_once")]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.survey}"


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the survey is anonymous.",
    )
    submitted_on = models.DateField(auto_now_add=True)

    def __str__(self) -> str:
        return f"response to {self.survey}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(max_length=2000)

    def __str__(self) -> str:
        return f"answer to {self.question_id}"


class FocusGroup(models.Model):
    """A focus group of mentors or mentees the program runs; who took part is recorded."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="focus_groups")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    program_parents = ("cycle",)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title

"""The curriculum: core topics, programs' adaptations and their own topics."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

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
    version = models.PositiveSmallIntegerField(default=1, editable=False, help_text="The current version's number.")
    adapted_from_version = models.ForeignKey(
        "TopicVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="adaptations",
        help_text="The version of the core topic this adaptation adapts.",
    )

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
        return _links(self.material_links)

    def core_value_marks(self) -> list[tuple[str, bool]]:
        return _value_marks(self.core_values)


def _links(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _value_marks(values: list[str]) -> list[tuple[str, bool]]:
    """All four core values, in their order, each with whether this topic builds it."""
    return [(label, value in values) for value, label in CoreValue.choices]


class TopicVersion(models.Model):
    """What a topic said from `valid_from` on. Editing a topic's content makes a new
    version (services.topic_save); a session uses the version in force when it started
    (a past session keeps it however often the topic changes), and an upcoming one the
    current version. Versions are never edited or deleted."""

    CONTENT = ("title", "summary", "core_values", "facilitator_guide", "material_links", "default_minutes")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    valid_from = models.DateTimeField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    core_values = ArrayField(models.CharField(max_length=20, choices=CoreValue.choices), default=list)
    facilitator_guide = models.TextField(blank=True)
    material_links = models.TextField(blank=True)
    default_minutes = models.PositiveSmallIntegerField(default=MIN_MINUTES)

    class Meta:
        ordering = ["topic", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="topic_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    def links(self) -> list[str]:
        return _links(self.material_links)

    def core_value_marks(self) -> list[tuple[str, bool]]:
        return _value_marks(self.core_values)

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

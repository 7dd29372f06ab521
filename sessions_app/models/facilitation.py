"""Who co-facilitates which session, and when facilitators say they can."""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from psycopg2.extras import NumericRange

from peers.models import TrainingProgram
from sessions_app.models.session import Session

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

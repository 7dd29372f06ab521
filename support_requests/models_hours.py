"""A program's support hours and holidays: what its first-contact clocks count in
(support_requests.hours). Coordinators keep them on the program's admin page."""

from django.db import models
from django.db.models import Q

from peers.models import TrainingProgram

WEEKDAYS = [
    (n, d) for n, d in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
]


class SupportHours(models.Model):
    """One stretch of one weekday, in the program's zone, when deadlines count."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="support_hours")
    weekday = models.SmallIntegerField(choices=WEEKDAYS)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name = "support hours"
        verbose_name_plural = "support hours (first-contact deadlines count only within these)"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="support_hours_order",
                violation_error_message="Support hours must end after they start (the same day).",
            ),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="support_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class SupportHoliday(models.Model):
    """A day the program's clocks stand still (except for urgent and screened-out requests)."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="support_holidays")
    date = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "support holiday"
        verbose_name_plural = "support holidays (no clock runs, except urgent and screened-out requests)"
        constraints = [models.UniqueConstraint(fields=["program", "date"], name="support_holiday_once")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()

from django.db import models
from django.utils import timezone


class PublishedTable(models.Model):
    """The suppressed figures of one closed period, exactly as they were first shown.

    Published counts cannot be taken back: a closed period is computed once, stored here
    as display strings, and every later report shows this row. So re-categorising or
    purging an old record changes nothing that was published, and differencing two
    reports gives nothing new. UNIQUE(program, kind, period) with INSERT … ON CONFLICT
    DO NOTHING makes two concurrent first reads store one row.
    """

    program = models.ForeignKey("peers.TrainingProgram", on_delete=models.CASCADE, related_name="published_tables")
    kind = models.CharField(max_length=60, help_text="Which report, e.g. support.month.")
    period = models.DateField(help_text="The first day of the closed period, in the program's time zone.")
    table = models.JSONField(help_text="Display strings only: never a count under 5.")
    published_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["program", "kind", "period"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kind", "period"], name="published_table_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period:%Y-%m} ({self.program_id})"

"""What calendar apps were last sent about one person's place in one session."""

from django.conf import settings
from django.db import models

from sessions_app.models.session import Session


class CalendarEntry(models.Model):
    """One person's calendar event for one session, as a booked trainee or as a
    co-facilitator. Its revision only grows (a cancellation, then each rebooking), so the
    iCalendar SEQUENCE (the session's revision plus this one) only grows too, and a
    calendar app never ignores a rebooking as older than the cancellation before it."""

    class Role(models.TextChoices):
        BOOKED = "booked", "Booked"
        FACILITATING = "facilitating", "Co-facilitating"

    program_parents = ("session",)  # see peers.rules
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_entries")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="calendar_entries")
    role = models.CharField(max_length=20, choices=Role.choices)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "calendar entries"
        constraints = [
            models.UniqueConstraint(fields=["user", "session", "role"], name="calendar_entry_once_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} · {self.role} · r{self.revision}"

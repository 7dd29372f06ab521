"""The sessions app's settings for one program."""

from django.db import models
from django.db.models import Q

from peers.models import TrainingProgram


class SessionCadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"


class SessionSettings(models.Model):
    """How one program runs its PEERS sessions: cadence, group size, reminders, waitlist offers.

    Owned by this app, so the core's TrainingProgram does not change when the app gains a
    setting. One row per program: the app's migration copied the old columns into it, and
    registry.register_program_settings (in ready()) makes it with each new program. Edited as
    an inline on the program's admin page (registry.register_program_inline)."""

    program = models.OneToOneField(
        TrainingProgram, primary_key=True, on_delete=models.CASCADE, related_name="session_settings"
    )
    session_cadence = models.CharField(max_length=20, choices=SessionCadence.choices, default=SessionCadence.MONTHLY)
    group_size = models.PositiveSmallIntegerField(default=10, help_text="Trainees per small group.")
    session_reminder_hours = models.PositiveSmallIntegerField("remind people of a session (hours before)", default=24)
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        "a freed seat is held for the next person on the waitlist for (hours)", default=12
    )
    facilitator_withdraw_hours = models.PositiveSmallIntegerField(
        "facilitators can withdraw themselves until (hours before the start)",
        default=72,
        help_text="After this, a facilitator who cannot come is asked to tell the coordinator.",
    )

    class Meta:
        verbose_name = "PEERS sessions settings"
        verbose_name_plural = "PEERS sessions settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(group_size__gte=2),
                name="session_settings_group_size_at_least_2",
                violation_error_message="A group needs at least 2 trainees.",
            ),
            models.CheckConstraint(
                condition=Q(session_reminder_hours__gte=1) & Q(waitlist_offer_hours__gte=1),
                name="session_settings_hours_positive",
                violation_error_message="Reminder and waitlist hours must be at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"PEERS sessions settings of {self.program}"

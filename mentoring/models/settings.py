"""The mentoring app's settings for one program."""

from django.db import models
from django.db.models import Q

from peers.models import TrainingProgram


class MentoringSettings(models.Model):
    """How soon one program's peer mentors answer a mentee, by channel, and how long
    mentoring messages and notes are kept.

    The app keeps this here, not on TrainingProgram, so the core stays unchanged as mentoring
    gains settings. Each program has one row, made by the data migration for the programs of
    the time and by the post_save receiver of registry.register_program_settings for later
    ones; the program's admin page shows it through registry.register_program_inline."""

    program = models.OneToOneField(
        TrainingProgram, primary_key=True, on_delete=models.CASCADE, related_name="mentoring_settings"
    )
    response_hours_text_call = models.PositiveSmallIntegerField("answer texts and calls within (hours)", default=24)
    response_hours_email = models.PositiveSmallIntegerField("answer emails within (hours)", default=48)
    place_offer_hours = models.PositiveSmallIntegerField(
        "a freed mentor place is held for (hours)",
        default=72,
        help_text="The next on the waitlist has this long to accept before the place moves on.",
    )

    retention_days = models.PositiveSmallIntegerField(
        "remove messages and notes after (days)",
        default=365,
        help_text=(
            "A contact's messages and replies are removed this long after it was answered, a meeting's notes "
            "this long after the meeting, a referral's notes this long after it was made."
        ),
    )

    class Meta:
        verbose_name = "peer mentoring settings"
        verbose_name_plural = "peer mentoring settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(response_hours_text_call__gte=1) & Q(response_hours_email__gte=1),
                name="mentoring_settings_response_hours_positive",
                violation_error_message="Response times must be at least 1 hour.",
            ),
            models.CheckConstraint(
                condition=Q(place_offer_hours__gte=1),
                name="mentoring_settings_place_offer_hours_positive",
                violation_error_message="A freed place is held for at least 1 hour.",
            ),
            models.CheckConstraint(
                condition=Q(retention_days__gte=1),
                name="mentoring_settings_retention_days_positive",
                violation_error_message="Messages and notes are kept for at least 1 day.",
            ),
        ]

    def __str__(self) -> str:
        return f"Peer mentoring settings of {self.program}"

"""Anonymous feedback on a session."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from sessions_app.models.session import Session


class Feedback(models.Model):
    """Anonymous: no link to the person or the booking, and only the day it came. The
    booking records only that feedback was given (yes/no), so nobody gives it twice
    and no timestamp ties a comment to a name."""

    program_parents = ("session",)  # see peers.rules
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True, max_length=2000)
    submitted_on = models.DateField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
                violation_error_message="Choose a rating from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for session {self.session_id}"

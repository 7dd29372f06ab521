"""Forms of the mentees' voice: wishes for the placement, and feedback on their pair."""

from django import forms

from mentoring.models import PairFeedback

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class PreferenceForm(forms.Form):
    preferred_mentor = forms.EmailField(
        required=False,
        label="A peer mentor you'd like (email, optional)",
        help_text="We try to place you with them; it isn't always possible.",
    )
    avoid = forms.CharField(
        required=False,
        max_length=500,
        label="Mentors you must not be placed with (emails, comma-separated, optional)",
        help_text="Only the program office sees this list. Your mentors never do.",
    )


def _rating(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        coerce=int,
        choices=RATING_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
        label=f"{PairFeedback._meta.get_field(name).verbose_name} (1 not at all, 5 very much)",
        error_messages={"required": "Choose a number from 1 to 5."},
    )


class PairFeedbackForm(forms.Form):
    reachable = _rating("reachable")
    helpful = _rating("helpful")
    comfortable = _rating("comfortable")
    comment = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything you'd like the program to know (optional)",
        help_text="The program office reads comments only when 5 or more mentees of your pair wrote one.",
    )

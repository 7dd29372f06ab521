import datetime

from django import forms
from django.utils import timezone

from sessions_app.models import Availability, Modality, Topic


class SessionFilterForm(forms.Form):
    month = forms.DateField(
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text="",
    )
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), required=False, empty_label="Any topic")
    modality = forms.ChoiceField(choices=[("", "Any format"), *Modality.choices], required=False)

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics if topics is not None else Topic.objects.none()
        self.fields["month"].error_messages["invalid"] = "Choose a month, such as 2026-11."


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        label="How helpful was the session? (1 = not at all, 5 = very)",
        error_messages={"required": "Choose a rating from 1 to 5.", "invalid_choice": "Choose a rating from 1 to 5."},
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything you'd like the facilitators to know? (optional)",
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Who came?")

    def __init__(self, *args, bookings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(b.user_id), b.user.get_full_name()) for b in bookings]


class AvailabilityForm(forms.ModelForm):
    month = forms.DateField(
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "Choose a month, such as 2026-11."},
    )

    class Meta:
        model = Availability
        fields = ["program", "month", "note"]

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].empty_label = "Choose…"
        self.fields["program"].error_messages["required"] = "Choose the program."

    def clean_month(self) -> datetime.date:
        month = self.cleaned_data["month"].replace(day=1)
        if month < timezone.localdate().replace(day=1):
            raise forms.ValidationError("Choose this month or a later one.")
        return month

import datetime

from django import forms
from django.utils import timezone

from sessions_app.models import Availability, Modality, Topic


class _PlainChoiceIterator(forms.models.ModelChoiceIterator):
    """A select's options from one plain query. The default iterates with `.iterator()`,
    a server-side cursor on PostgreSQL: DECLARE, FETCH and CLOSE, three round trips for
    the dozen topics or the one or two programs these forms list."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _PlainModelChoiceField(forms.ModelChoiceField):
    iterator = _PlainChoiceIterator


class SessionFilterForm(forms.Form):
    month = forms.DateField(
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text="",
    )
    topic = _PlainModelChoiceField(queryset=Topic.objects.none(), required=False, empty_label="Any topic")
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
        field_classes = {"program": _PlainModelChoiceField}

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

"""Forms of outreach: a colleague's referral, and a lead's outreach to several people."""

from django import forms
from django.core.exceptions import ValidationError

from support_requests.models_outreach import NAME_MAX_LENGTH, OutreachOutcome
from support_requests.services.outreach import MANY_AT_MOST, contact_parse, name_clean

NO_DETAILS = (
    "Please give no clinical details and nothing about what happened: only who to contact and how. "
    "We don't ask for or keep anything else."
)


class ReferralForm(forms.Form):
    program = forms.ModelChoiceField(
        queryset=None,
        label="Their program",
        empty_label="Choose their program",
        error_messages={"required": "Choose the program whose peer supporters should reach out."},
    )
    name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        label="Their name",
        error_messages={"required": "Give their name, so the supporter knows who to ask for."},
    )
    contact = forms.CharField(
        max_length=200,
        label="Their email address or phone number",
        error_messages={"required": "Give an email address or a phone number to reach them."},
    )
    after_event = forms.BooleanField(required=False, label="This follows a difficult event at work")
    may_name_referrer = forms.BooleanField(
        required=False,
        label="You may tell them I asked",
        help_text="Off unless you tick it: otherwise they hear only that a colleague asked.",
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def clean_name(self) -> str:
        return name_clean(self.cleaned_data["name"])

    def clean_contact(self) -> str:
        contact_parse(self.cleaned_data["contact"])
        return self.cleaned_data["contact"].strip()


class OpenManyForm(forms.Form):
    program = forms.ModelChoiceField(queryset=None, label="Program", empty_label=None)
    after_event = forms.BooleanField(required=False, initial=True, label="This follows a difficult event at work")
    people = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Who to reach out to",
        help_text="One person per line: their name, a comma, then their email address or phone number. "
        "Each gets their own outreach.",
        error_messages={"required": "Add at least one person."},
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def clean_people(self) -> list[tuple[str, str]]:
        lines = [line.strip() for line in self.cleaned_data["people"].splitlines() if line.strip()]
        if len(lines) > MANY_AT_MOST:
            raise ValidationError(f"At most {MANY_AT_MOST} people at once, please.")
        people, problems = [], []
        for number, line in enumerate(lines, start=1):
            name, _, contact = line.rpartition(",")
            try:
                people.append((name_clean(name), contact_parse(contact)[1]))
            except ValidationError as error:
                problems.append(f"Line {number} ({line}): {' '.join(error.messages)}")
        if problems:
            raise ValidationError(problems)
        return people


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=OutreachOutcome.choices,
        widget=forms.RadioSelect,
        label="How did it go?",
        error_messages={"required": "Choose how the outreach went."},
    )

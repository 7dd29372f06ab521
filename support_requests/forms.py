import secrets

from django import forms

from peers.models import TrainingProgram
from support_requests.models import CareerStage, ContactMethod, Department, Outcome, Reason, Referral, Urgency

SCREENING_QUESTIONS = {
    "self_harm": "Are you having thoughts of harming yourself, or of ending your life?",
    "substance": "Is your request about alcohol or substance use?",
    "mental_health": "Is it about a mental-health condition, such as depression or anxiety, that needs care?",
    "medical_advice": "Are you looking for medical advice about your own health?",
}

# The same questions in a few words, for the support lead's page.
SCREENING_LABELS = {
    "self_harm": "Thoughts of harming themselves",
    "substance": "Alcohol or substance use",
    "mental_health": "A mental-health condition",
    "medical_advice": "Medical advice about their own health",
}

YES_NO = [("no", "No"), ("yes", "Yes")]
CHOOSE = [("", "Choose…")]  # nothing is preset: the person picks


def honeypot() -> forms.CharField:
    """A field for bots: hidden from people (peers.css) and from screen readers."""
    return forms.CharField(
        required=False,
        label="Website",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true", "class": "peers-hp"}
        ),
    )


class ScreeningForm(forms.Form):
    program = forms.ModelChoiceField(
        queryset=TrainingProgram.objects.none(),
        label="Your program",
        empty_label="Choose your program",
        error_messages={
            "required": "Choose your program, so the right team sees this.",
            "invalid_choice": "Choose your program from the list.",
        },
    )

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs if programs is not None else TrainingProgram.objects.all()
        for name, question in SCREENING_QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                choices=YES_NO,
                widget=forms.RadioSelect,
                label=question,
                error_messages={"required": "Please answer yes or no."},
            )
        self.fields["website"] = honeypot()
        # One token per rendered form: a second POST of the same form makes no second request.
        self.fields["submission"] = forms.CharField(
            required=False, max_length=64, widget=forms.HiddenInput, initial=secrets.token_urlsafe(24)
        )

    def answers(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] == "yes" for name in SCREENING_QUESTIONS}


class RequestForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[*CHOOSE, *Reason.choices],
        label="What is it about?",
        error_messages={"required": "Choose what it is about (or 'Something else')."},
    )
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything you'd like to tell us (optional)",
        help_text="Only your peer supporter and the support leads can read this.",
    )
    contact_method = forms.ChoiceField(choices=ContactMethod.choices, label="How should we reach you?")
    contact_details = forms.CharField(
        max_length=200, label="Email address or phone number", error_messages={"required": "Tell us how to reach you."}
    )
    urgency = forms.ChoiceField(
        choices=Urgency.choices,
        initial=Urgency.THIS_WEEK,
        widget=forms.RadioSelect,
        label="When would you like to talk?",
    )
    specialty = forms.CharField(required=False, max_length=100, label="A supporter from this specialty (optional)")
    career_stage = forms.ChoiceField(
        required=False,
        choices=[("", "No preference"), *CareerStage.choices],
        label="A supporter at this career stage (optional)",
    )
    shared_identity = forms.CharField(
        required=False,
        max_length=60,
        label="A supporter who shares this identity (optional)",
        help_text="Matched only with supporters who chose to share it.",
    )
    language = forms.CharField(required=False, max_length=40, label="Language (optional)")
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label="I'd rather not say",
        label="Your department (optional)",
        help_text="A peer supporter from your department will never be suggested or offered to you.",
        error_messages={"invalid_choice": "Choose your department from the list."},
    )
    website = honeypot()

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None and departments.exists():
            self.fields["department"].queryset = departments
        else:
            del self.fields["department"]  # an institution without a list yet

    def content(self) -> dict:
        data = self.cleaned_data
        department = data.get("department")
        return {
            "reason": data["reason"],
            "description": data["description"].strip(),
            "contact_method": data["contact_method"],
            "contact_details": data["contact_details"].strip(),
            "urgency": data["urgency"],
            "requester_department": department.name if department else "",
            "department_picked": str(department.pk) if department else None,
            "preferences": {
                key: data[key] for key in ("specialty", "career_stage", "shared_identity", "language") if data[key]
            },
        }


class ContactForm(forms.Form):
    contact_method = forms.ChoiceField(choices=ContactMethod.choices, label="How should we reach you?")
    contact_details = forms.CharField(max_length=200, label="Email address or phone number")


class NoteForm(forms.Form):
    text = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Short note",
        error_messages={
            "required": "Write a short note (1,000 characters at most).",
            "max_length": "Write a short note (1,000 characters at most).",
        },
    )


class ReferralForm(forms.Form):
    resource = forms.ChoiceField(
        choices=[*CHOOSE, *Referral.Resource.choices],
        label="Referred to",
        error_messages={"required": "Choose a resource."},
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[*CHOOSE, *Outcome.choices],
        label="How did it end?",
        error_messages={"required": "Choose how the request ended."},
    )


class AssignForm(forms.Form):
    supporter = forms.IntegerField(widget=forms.HiddenInput)


class SupporterProfileForm(forms.Form):
    """What a peer supporter says about themselves. Identities are used for matching only
    with their consent, and they can withdraw it at any time."""

    specialty = forms.CharField(required=False, max_length=100)
    home_department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label="Department",
        empty_label="—",
        help_text="Never suggested or offered to a requester from it. Missing from the list? Ask the office.",
    )
    career_stage = forms.ChoiceField(required=False, choices=[("", "—"), *CareerStage.choices])
    languages = forms.CharField(required=False, max_length=200, help_text="Comma-separated.")
    capacity = forms.IntegerField(min_value=1, max_value=10, label="Open requests at a time")
    disclosed_identities = forms.CharField(
        required=False,
        max_length=300,
        label="Identities you choose to share (optional)",
        help_text="Comma-separated, e.g. parent, first-generation, LGBTQ+. Only used to match someone who asks.",
    )
    identity_consent = forms.BooleanField(required=False, label="I agree to be matched on what I shared above")
    is_active = forms.BooleanField(required=False, label="I'm taking new requests")

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["home_department"].queryset = departments

    def clean(self):
        data = super().clean()
        if data.get("disclosed_identities") and not data.get("identity_consent"):
            self.add_error("identity_consent", "Tick this to be matched on what you shared, or leave the field empty.")
        return data


class AwayPeriodForm(forms.Form):
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Away from")
    ends_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Last day away",
        help_text="You are back on duty the day after.",
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date is before the start date.")
        return data

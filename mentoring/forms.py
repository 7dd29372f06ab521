import datetime

from django import forms
from django.utils import timezone

from mentoring.models import ENTERING_YEARS, REPLY_MAX_LENGTH, Channel, Meeting, MentorReferral, Question

SCALE = range(1, 6)  # an interview criterion, and a survey's scale question
SCORES = [(n, n) for n in SCALE]
CHOOSE = ("", "Choose…")  # a mentee is never preset: the mentor picks one


def mentee_field() -> forms.ChoiceField:
    return forms.ChoiceField(label="Mentee", error_messages={"required": "Choose the mentee."})


def picked(choices, label: str, error: str, **kwargs) -> forms.ChoiceField:
    """A choice that starts on "Choose…": nothing is preset that the mentor did not pick."""
    return forms.ChoiceField(choices=[CHOOSE, *choices], label=label, error_messages={"required": error}, **kwargs)


def mentee_choices(mentees) -> list[tuple[str, str]]:
    return [CHOOSE, *[(str(m.pk), m.user.get_full_name()) for m in mentees]]


class ContactForm(forms.Form):
    channel = forms.ChoiceField(
        choices=Channel.choices, widget=forms.RadioSelect, label="How would you like the answer?"
    )
    message = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your message",
        help_text="Only your two peer mentors read it, and your faculty mentor on the days both are away.",
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your reply",
        help_text="Only this mentee and the mentors on duty read it.",
        error_messages={"required": "Write your reply first."},
    )

    def __init__(self, *args, for_mentee: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if for_mentee:
            self.fields["body"].label = "Add to your message"
            self.fields["body"].help_text = "Only your mentors read it. It keeps the same answer time."


class InterviewMoveForm(forms.Form):
    note = forms.CharField(
        max_length=300,
        label="Which days and times would suit you?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say which days and times would suit you."},
    )


class LogContactForm(forms.Form):
    mentee = mentee_field()
    channel = picked(Channel.choices, "They reached you by", "Choose how they reached you.")
    received_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "Enter a date and time, such as 2026-11-21 14:30."},
    )

    def __init__(self, *args, mentees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].choices = mentee_choices(mentees)

    def clean_received_at(self) -> datetime.datetime:
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise forms.ValidationError("That time hasn't come yet.")
        return value


class AwayForm(forms.Form):
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Away from")
    ends_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Last day away",
        help_text="You are back on duty the day after.",
    )
    reason = forms.CharField(max_length=120, label="Reason (your partner sees it)")
    tell_mentees = forms.BooleanField(required=False, initial=True, label="Tell my mentees too")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date is before the start date.")
        return data


class ApplicationForm(forms.Form):
    entering_year = forms.TypedChoiceField(
        coerce=int,
        choices=[CHOOSE, *ENTERING_YEARS],
        label="The year you are entering",
        error_messages={"required": "Choose the year you are entering."},
    )
    is_md_phd = forms.BooleanField(required=False, label="I am applying as an MD/PhD peer mentor")
    motivation = forms.CharField(
        max_length=3000, widget=forms.Textarea(attrs={"rows": 5}), label="What makes a good peer mentor, and why you?"
    )
    experience = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Mentoring or teaching you have done (optional)",
    )
    preferred_partner = forms.EmailField(
        required=False, label="A classmate you'd like to be paired with (email, optional)"
    )
    avoid = forms.CharField(
        required=False,
        max_length=500,
        label="People you should not be paired with (emails, comma-separated, optional)",
        help_text="Only the program office sees this.",
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    mode = picked(Meeting.Mode.choices, "Mode", "Choose how you met.")
    kind = picked(Meeting.Kind.choices, "Kind", "Choose the kind of meeting.")
    mentees = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label="Who was there")
    notes = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only you and your partner see these.",
    )

    def __init__(self, *args, mentees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentees"].choices = [(str(m.pk), m.user.get_full_name()) for m in mentees]


class OutreachForm(forms.Form):
    mentee = mentee_field()
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    channel = picked(Channel.choices, "By", "Choose how you reached them.")

    def __init__(self, *args, mentees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].choices = mentee_choices(mentees)

    def clean_on(self):
        if self.cleaned_data["on"] > timezone.localdate():
            raise forms.ValidationError("That day hasn't come yet.")
        return self.cleaned_data["on"]


class ReferralForm(forms.Form):
    to = picked(MentorReferral.To.choices, "Refer to", "Choose who the referral goes to.")
    category = picked(MentorReferral.Category.choices, "Category", "Choose what it is about.")
    mentee = forms.ChoiceField(
        required=False,
        label="Which mentee is it about?",
        help_text="Only whom you refer to sees it. Leave it empty not to name them.",
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Short note (optional)",
        help_text="Only whom you refer to reads it, in PEERS; the notice only says there is one.",
    )

    def __init__(self, *args, mentees=(), **kwargs):
        kwargs.setdefault("auto_id", "referral_%s")  # its fields sit on the page beside the logging forms' own
        super().__init__(*args, **kwargs)
        self.fields["mentee"].choices = [("", "Don't name the mentee"), *mentee_choices(mentees)[1:]]


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=MentorReferral.Outcome.choices,
        widget=forms.RadioSelect,
        label="What came of it?",
        error_messages={"required": "Choose what came of the referral."},
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Note (optional)",
        help_text="For you and other recipients only; the mentor is not shown it.",
    )


def survey_form(survey, data=None) -> forms.Form:
    """A form with one field per question of the survey."""
    form = forms.Form(data)
    for question in survey.questions.all():
        name = f"q{question.pk}"
        if question.kind == Question.Kind.SCALE:
            form.fields[name] = forms.ChoiceField(
                choices=[(str(n), str(n)) for n in SCALE],
                widget=forms.RadioSelect,
                label=question.text,
                required=False,
            )
        elif question.kind == Question.Kind.CHOICE:
            form.fields[name] = forms.ChoiceField(
                choices=[("", "—"), *[(o, o) for o in question.options()]], label=question.text, required=False
            )
        else:
            form.fields[name] = forms.CharField(
                max_length=2000, required=False, label=question.text, widget=forms.Textarea(attrs={"rows": 3})
            )
    return form


class InterviewScoreForm(forms.Form):
    understanding = forms.TypedChoiceField(coerce=int, choices=SCORES, label="Understanding of mentoring qualities")
    prior_experience = forms.TypedChoiceField(coerce=int, choices=SCORES, label="Prior experience")
    dedication = forms.TypedChoiceField(coerce=int, choices=SCORES, label="Dedication")
    professionalism = forms.TypedChoiceField(coerce=int, choices=SCORES, label="Professionalism")

"""Forms a requester fills in after the intake: from the status page, and to get a lost link back."""

from django import forms

from support_requests.forms import honeypot
from support_requests.models import FEEDBACK_COMMENT_MAX_LENGTH, MESSAGE_MAX_LENGTH, SupportFeedback


class RecoveryForm(forms.Form):
    reference = forms.CharField(
        max_length=40,
        label="Your reference code",
        help_text="It looks like PS-ABC234. It was on the page after you sent your request.",
        error_messages={"required": "Type the reference code of your request."},
    )
    contact = forms.CharField(
        max_length=200,
        label="The email address or phone number you left",
        error_messages={"required": "Type the email address or phone number you gave us."},
    )
    website = honeypot()


class MessageForm(forms.Form):
    text = forms.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Add a message",
        help_text="Only your peer supporter and the support leads can read it.",
        error_messages={
            "required": "Write your message first.",
            "max_length": "Keep your message to 2,000 characters.",
        },
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        coerce=int,
        choices=SupportFeedback.Helpful.choices,
        widget=forms.RadioSelect,
        label="Did peer support help?",
        error_messages={"required": "Choose an answer."},
    )
    comment = forms.CharField(
        required=False,
        max_length=FEEDBACK_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Anything you'd like the program to know (optional)",
        help_text="Anonymous: it is kept apart from your request, and shown only among five or more.",
        error_messages={"max_length": "Keep your comment to 500 characters."},
    )

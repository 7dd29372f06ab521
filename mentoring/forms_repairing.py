"""The coordinators' re-pairing forms and the private request for a change. The choices
are rendered from the page's data; the view looks every id up within the coordinator's
cycle, so a stale page (a mentee moved meanwhile, a pair dissolved) gets a clear answer."""

from django import forms

from mentoring.services.change_requests import TEXT_MAX


class MoveForm(forms.Form):
    mentee = forms.IntegerField(error_messages={"required": "Choose the mentee to move."})
    to_pair = forms.IntegerField(error_messages={"required": "Choose the pair to move them to."})
    reason = forms.CharField(required=False, max_length=500)


class ReplaceForm(forms.Form):
    leaving = forms.RegexField(
        regex=r"^\d+:\d+$",
        error_messages={"required": "Choose the mentor who leaves.", "invalid": "Choose the mentor who leaves."},
    )
    # "<user>" for someone from the waitlist or a free mentor; "<pair>:<user>" for a mentor
    # taken from another running pair.
    incoming = forms.RegexField(
        regex=r"^\d+(:\d+)?$",
        error_messages={"required": "Choose who takes their place.", "invalid": "Choose who takes their place."},
    )
    reason = forms.CharField(required=False, max_length=500)

    def pair_and_mentor_ids(self) -> tuple[int, int]:
        pair, mentor = self.cleaned_data["leaving"].split(":")
        return int(pair), int(mentor)

    def incoming_ids(self) -> tuple[int | None, int]:
        """(the pair they are taken from, or None; the incoming mentor)."""
        donor, _, mentor = self.cleaned_data["incoming"].rpartition(":")
        return (int(donor) if donor else None), int(mentor)


class DissolveForm(forms.Form):
    pair = forms.IntegerField(error_messages={"required": "Choose the pair to dissolve."})
    reason = forms.CharField(required=False, max_length=500)


class ChangeRequestForm(forms.Form):
    text = forms.CharField(
        label="What would you like to change, and why?",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only your program's coordinators read this: not your mentors, not the faculty mentor.",
        error_messages={"required": "Tell the coordinator in a few words what you would like to change."},
    )

"""The request page's form to stop a first-contact clock while the request waits on the requester."""

import datetime
import zoneinfo

from django import forms

from support_requests.models import PauseReason


class PauseForm(forms.Form):
    reason = forms.ChoiceField(
        choices=PauseReason.choices, widget=forms.RadioSelect, label="Why is it waiting on the requester?"
    )
    resume_at = forms.DateTimeField(
        required=False,
        label="When they asked to be contacted (program time)",
        help_text="The clock starts again then. Leave empty when there is no way to reach them: "
        "it starts again when they add a contact or write.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(zone)

    def clean_resume_at(self) -> datetime.datetime | None:
        """The time typed is the program's local time, whatever the browser's zone."""
        value = self.cleaned_data["resume_at"]
        if value is None:
            return None
        return value.replace(tzinfo=self.zone).astimezone(datetime.UTC)

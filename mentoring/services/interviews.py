"""Interviews: scoring them, an applicant asking to move theirs, and the coordinator
setting a new time."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring import notify
from mentoring.models import Application, Interview
from mentoring.selectors import coordinators_of
from peers.models import User


def interview_score(
    *, interview: Interview, by: User, understanding: int, prior_experience: int, dedication: int, professionalism: int
) -> None:
    """The interviewer (a faculty mentor or coordinator assigned to it) records the four scores."""
    if interview.interviewer_id != by.pk:
        raise ValidationError("Only the assigned interviewer scores this interview.")
    if interview.application.status != Application.Status.SUBMITTED:
        raise ValidationError("This application has already been decided.")
    interview.understanding, interview.prior_experience = understanding, prior_experience
    interview.dedication, interview.professionalism = dedication, professionalism
    interview.full_clean()
    interview.save(update_fields=["understanding", "prior_experience", "dedication", "professionalism"])


def interview_move_request(*, application: Application, note: str) -> Interview:
    """The applicant asks to move their interview, saying which times suit them; the
    program's coordinators are told (once per request: a second ask while the first is
    open changes what they asked for, and tells them again)."""
    with transaction.atomic():
        interview = (
            Interview.objects.select_for_update()
            .filter(application=application, application__status=Application.Status.SUBMITTED)
            .select_related("application__cycle__program", "application__applicant")
            .first()
        )
        if interview is None or interview.scheduled_at is None:
            raise ValidationError("There is no interview time to move yet.")
        if interview.scheduled_at <= timezone.now():
            raise ValidationError("This interview has already taken place.")
        note = note.strip()
        if not note:
            raise ValidationError("Say which days and times would suit you.")
        interview.move_requested_at, interview.move_request_note = timezone.now(), note
        interview.full_clean()
        interview.save(update_fields=["move_requested_at", "move_request_note"])
    for coordinator in coordinators_of(program_id=interview.application.cycle.program_id):
        notify.interview_move_requested(interview, coordinator)
    return interview


def interview_schedule(*, interview: Interview, scheduled_at: datetime.datetime | None) -> bool:
    """A coordinator sets (or moves) the interview's time; any move request is settled
    and the applicant is told the new time. True if the time changed."""
    with transaction.atomic():
        locked = (
            Interview.objects.select_for_update().select_related("application__cycle__program").get(pk=interview.pk)
        )
        if locked.scheduled_at == scheduled_at:
            return False
        locked.scheduled_at, locked.move_requested_at = scheduled_at, None
        locked.save(update_fields=["scheduled_at", "move_requested_at"])
    if scheduled_at is not None:
        notify.interview_scheduled(locked)
    return True

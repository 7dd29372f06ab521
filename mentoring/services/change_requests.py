"""A mentee or a peer mentor asking privately for a change of pair, and the coordinator
resolving it. The text is encrypted and reaches the program's coordinators only; the
notice to them says only that there is one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring import notify
from mentoring.models import ChangeRequest, Mentee, MentorPair
from mentoring.selectors import coordinators_of
from peers.models import User

TEXT_MAX = 2000


def change_request_make(*, user: User, pair: MentorPair, text: str) -> ChangeRequest:
    """Ask the coordinators for a change. Sending the same open request again (a double
    tap) returns the first one."""
    text = text.strip()
    if not text:
        raise ValidationError("Tell the coordinator in a few words what you would like to change.")
    if len(text) > TEXT_MAX:
        raise ValidationError(f"Please keep it under {TEXT_MAX} characters.")
    as_mentee = Mentee.objects.filter(pair=pair, user=user).exists()
    if pair.published_at is None or pair.dissolved_at is not None or not (as_mentee or pair.has_peer_mentor(user)):
        raise ValidationError("You can ask for a change only of a pair you are in.")
    with transaction.atomic():
        same = ChangeRequest.objects.filter(pair=pair, requester=user, resolved_at=None).order_by("pk")
        for open_request in same:
            if open_request.text == text:
                return open_request
        change_request = ChangeRequest.objects.create(pair=pair, requester=user, as_mentee=as_mentee, text=text)
        for coordinator in coordinators_of(program_id=pair.cycle.program_id):
            notify.change_request_received(change_request, coordinator)
    return change_request


def change_request_resolve(*, change_request: ChangeRequest, by: User) -> bool:
    """Mark a request resolved (claimed: the first coordinator resolves it, the requester
    is told once). The caller fetched it through `access.change_request_or_404`. False if
    it was already resolved."""
    now = timezone.now()
    claimed = ChangeRequest.objects.filter(pk=change_request.pk, resolved_at=None).update(
        resolved_at=now, resolved_by=by
    )
    if claimed:
        change_request.resolved_at, change_request.resolved_by = now, by
        notify.change_request_resolved(change_request)
    return bool(claimed)

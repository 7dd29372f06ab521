"""A supporter who goes away hands over their open requests: nothing waits on someone
who is not there.

When an away period begins (posted by the supporter on their profile, or by a lead or
coordinator in the admin), every request the supporter holds goes back to waiting for a
supporter, and the leads are told which ones (reference codes only) so they offer them
again; where the program assigns automatically, each is offered to its best match at
once. First contact already made stays recorded, and so do the notes and messages: the
next supporter reads them. The requester is told nothing of it (their status page says
only that a supporter is being found). Away dates are read like the matching reads them
(selectors.eligible_supporters: the site's date)."""

from django.db import transaction
from django.utils import timezone

from support_requests import notify, selectors
from support_requests.models import SupporterAway, SupportRequest
from support_requests.services.offers import request_offer


def aways_hand_over() -> int:
    """Sweep: each away period that has begun hands over once. Returns how many did."""
    count = 0
    while _hand_over_next():
        count += 1
    return count


def away_hand_over(*, away: SupporterAway) -> bool:
    """Hand over now if `away` has begun (when it is posted). Returns whether this call did."""
    return _hand_over_next(pk=away.pk)


def _hand_over_next(pk: int | None = None) -> bool:
    """1. Claim an away period that has begun and is not handed over: lock it, skipping
       any another sweep holds.
    2. Put back each request the supporter holds, and tell the leads once.
    3. Stamp it in the same transaction, so the claim lasts until it is done.
    Returns whether there was one."""
    today = timezone.localdate()
    with transaction.atomic():
        aways = SupporterAway.objects.select_for_update(skip_locked=True, of=("self",))
        aways = aways.filter(handed_over_at__isnull=True, starts_on__lte=today)
        away = (aways.filter(pk=pk) if pk else aways).select_related("profile__user").order_by("starts_on").first()
        if away is None:
            return False
        if away.ends_on >= today:
            _hand_over(away)
        SupporterAway.objects.filter(pk=away.pk).update(handed_over_at=timezone.now())
        return True


def _hand_over(away: SupporterAway) -> None:
    supporter = away.profile.user
    held = list(
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("program__support_settings")
        .filter(assigned_to=supporter, status__in=SupportRequest.HELD)
        .order_by("first_contact_due_at")
    )
    for request in held:
        request.status, request.assigned_to = SupportRequest.Status.NEW, None
        request.offered_at = request.offer_expires_at = request.accepted_at = None
        request.save(update_fields=["status", "assigned_to", "offered_at", "offer_expires_at", "accepted_at"])
    for program, requests in _by_program(held).items():
        notify.support_handover(program, requests, away)
        if program.support_settings.auto_assign:
            for request in requests:
                _offer_best(request)


def _by_program(requests: list[SupportRequest]) -> dict:
    grouped: dict = {}
    for request in requests:
        grouped.setdefault(request.program, []).append(request)
    return grouped


def _offer_best(request: SupportRequest) -> None:
    suggestions = selectors.supporter_suggestions(request)
    if suggestions:
        request_offer(request=request, supporter=suggestions[0].profile.user)

"""The rounds pages: one card per round, a round's groups, booking the round, switching
group and waiting for any group. The other sessions pages are in `views.py`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from peers.models import Role
from peers.numbers import whole_number
from sessions_app import access, round_selectors, selectors, services
from sessions_app.forms import SessionFilterForm

ROUNDS_PER_PAGE = 12
MAX_PAGE = 1000  # a page number past any real list is read as this one (an empty page)
BOOKED = "You're booked in group {n}. A confirmation with a calendar file is on its way."


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """The upcoming rounds, 12 a page, soonest first. A page reads one row more than it
    shows to know whether a later page exists: no count of every round (the supporter's
    queue does the same), so the pager says "Page 3", not "Page 3 of 9"."""
    programs = selectors.program_ids_for(request.user, (Role.TRAINEE,))
    form = SessionFilterForm(request.GET or None, topics=selectors.topics_for_trainee(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    number = max(whole_number(request.GET.get("page", "")) or 1, 1)
    number = min(number, MAX_PAGE)
    rounds = round_selectors.rounds_upcoming_for(
        request.user,
        month=filters.get("month"),
        topic_id=getattr(filters.get("topic"), "pk", None),
        modality=filters.get("modality", ""),
        limit=ROUNDS_PER_PAGE + 1,
        offset=(number - 1) * ROUNDS_PER_PAGE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rounds": rounds[:ROUNDS_PER_PAGE],
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if len(rounds) > ROUNDS_PER_PAGE else None,
        "query": query.urlencode(),
        "is_trainee": bool(programs),
    }
    return render(request, "sessions_app/list.html", context)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_or_404(request.user, pk)
    groups = round_selectors.round_groups(session)
    booking, entries = round_selectors.round_places_of(request.user, groups)
    for group in groups:
        group.my_entry = entries.get(group.pk)
        group.mine = booking is not None and booking.session_id == group.pk
        group.facilitating = any(f.user_id == request.user.pk for f in group.facilitations.all())
    lead = groups[0] if groups else session
    context = {
        "lead": lead,
        "groups": groups,
        "booking": booking,
        "entries": entries,
        "seats_free": sum(group.seats_left for group in groups if group.status == group.Status.SCHEDULED),
        "can_book": access.is_trainee_in(request.user, lead),
        "open": lead.status == lead.Status.SCHEDULED and timezone.now() < lead.booking_closes_at(),
    }
    return render(request, "sessions_app/round.html", context)


@login_required
@require_POST
def round_book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book the round: into the group chosen (`group`, one of the round's), else the emptiest."""
    session = access.trainee_session_or_404(request.user, pk)
    chosen = request.POST.get("group", "")
    try:
        if (group_number := whole_number(chosen)) is not None:
            group = access.round_group_or_404(request.user, session, group_number)
            booking = services.booking_create(session=group, user=request.user)
        else:
            booking = services.round_book(session=session, user=request.user)
        messages.success(request, BOOKED.format(n=booking.session.group_number))
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:round", pk=pk)


@login_required
@require_POST
def switch(request: HttpRequest, pk: int) -> HttpResponse:
    """Move my seat in this group's round to this group."""
    group = access.trainee_session_or_404(request.user, pk)
    booking = access.round_booking_or_404(request.user, group)
    try:
        services.booking_switch(booking=booking, to=group)
        messages.success(request, f"You're now in group {group.group_number}. The updated calendar file is on its way.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:round" if request.POST.get("back") == "round" else "sessions:detail", pk=pk)


@login_required
@require_POST
def round_waitlist_join(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.trainee_session_or_404(request.user, pk)
    try:
        services.round_waitlist_join(session=session, user=request.user)
        messages.success(
            request, "You're on the waitlist of every group. The first seat freed in any group is held for you in turn."
        )
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:round", pk=pk)

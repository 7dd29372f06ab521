import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from peers.numbers import whole_number
from sessions_app import access, round_selectors, selectors, services
from sessions_app import calendar as ics
from sessions_app.coverage import coverage_by_month
from sessions_app.forms import AttendanceForm, AvailabilityForm, FeedbackForm
from sessions_app.links import pk_link
from sessions_app.models import WaitlistEntry
from sessions_app.text import markdown_safe
from sessions_app.views_rounds import MAX_PAGE

SLOTS_PER_PAGE = 20  # the facilitator's open slots a page; Earlier / Later, no count


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _confirmed(request: HttpRequest) -> bool:
    """What cannot be undone happens only on a POST with confirm=1 (from the page `_ask` shows)."""
    return request.POST.get("confirm") == "1"


def _ask(request: HttpRequest, *, title: str, what: str, yes: str, keep: str) -> HttpResponse:
    """The confirmation page: what will happen, a "Yes, ..." button posting confirm=1 back
    to the same address, and a link to keep things as they are. No script needed."""
    context = {"title": title, "what": what, "yes": yes, "keep": keep, "action": request.path}
    return render(request, "sessions_app/confirm.html", context)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_or_404(request.user, pk)
    booking = selectors.booking_of(request.user, session)
    facilitations = list(session.facilitations.all())
    facilitating = any(f.user_id == request.user.pk for f in facilitations)
    entry = selectors.waitlist_entry_of(request.user, session)
    topic = selectors.topic_content_for(session)
    elsewhere = None if booking or facilitating else round_selectors.round_booking_of(request.user, session)
    return render(
        request,
        "sessions_app/detail.html",
        {
            "session": session,
            "topic": topic,
            "booking": booking,
            "elsewhere": elsewhere,
            "facilitating": facilitating,
            "facilitations": facilitations,
            "entry": entry,
            "position": selectors.waitlist_position(entry)
            if entry and entry.status == WaitlistEntry.Status.WAITING
            else None,
            "show_join_link": bool(booking or facilitating),
            "can_book": access.is_trainee_in(request.user, session),
            "guide_html": markdown_safe(topic.facilitator_guide) if facilitating and topic else "",
            "withdraw_until": services.withdraw_closes_at(session) if facilitating else None,
            "now": timezone.now(),
        },
    )


@login_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = access.topic_or_404(request.user, pk)
    return render(request, "sessions_app/topic.html", {"topic": topic})


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.trainee_session_or_404(request.user, pk)
    try:
        services.booking_create(session=session, user=request.user)
        messages.success(request, "You're booked. A confirmation with a calendar file is on its way.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access.booking_or_404(request.user, access.session_or_404(request.user, pk))
    if not _confirmed(request):
        return _ask(
            request,
            title="Cancel your booking?",
            what="Your seat goes to the next person waiting, and you may not get it back if the session fills.",
            yes="Yes, cancel my booking",
            keep=reverse("sessions:detail", args=[pk]),
        )
    try:
        services.booking_cancel(booking=booking)
        messages.success(request, "Your booking is cancelled. Thank you for freeing the seat.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
@require_POST
def waitlist_join(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.trainee_session_or_404(request.user, pk)
    try:
        entry = services.waitlist_join(session=session, user=request.user)
        messages.success(
            request,
            f"You're on the waitlist, number {selectors.waitlist_position(entry)}. "
            "If a seat opens, we'll hold it for you and let you know.",
        )
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
@require_POST
def waitlist_leave(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.waitlist_entry_or_404(request.user, access.session_or_404(request.user, pk))
    if not _confirmed(request):
        held = entry.status == WaitlistEntry.Status.OFFERED
        return _ask(
            request,
            title="Give up the seat held for you?" if held else "Leave the waitlist?",
            what="The seat goes to the next person waiting."
            if held
            else "You lose your place; if you join again, you start at the end.",
            yes="Yes, give up the seat" if held else "Yes, leave the waitlist",
            keep=reverse("sessions:detail", args=[pk]),
        )
    services.waitlist_leave(entry=entry)
    messages.success(request, "You've left the waitlist.")
    return redirect("sessions:detail", pk=pk)


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.offer_or_404(request.user, access.session_or_404(request.user, pk))
    try:
        services.waitlist_accept(entry=entry)
        messages.success(request, "The seat is yours. A confirmation with a calendar file is on its way.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
def mine(request: HttpRequest, *, feed_url: str = "") -> HttpResponse:
    return render(
        request,
        "sessions_app/mine.html",
        {
            "bookings": selectors.my_bookings(request.user)[:50],
            "waitlist": selectors.my_waitlist(request.user),
            "facilitations": selectors.my_facilitations(request.user)[:50],
            "has_feed": request.user.calendar_token_hash is not None,
            "feed_url": feed_url,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
@never_cache
def calendar_reset(request: HttpRequest) -> HttpResponse:
    """Make a feed address and show it, once: only its hash is kept, so this page is
    the one place it is ever shown (no redirect, no message that would store it)."""
    if request.user.calendar_token_hash is not None and not _confirmed(request):
        return _ask(
            request,
            title="Make a new calendar address?",
            what="Your current address stops working at once: every calendar app subscribed to it stops updating "
            "until you subscribe again with the new one.",
            yes="Yes, make a new address",
            keep=reverse("sessions:mine"),
        )
    token = services.calendar_token_reset(user=request.user)
    messages.success(request, "Here is your private calendar address. Copy it now: it is shown only this once.")
    return mine(request, feed_url=request.build_absolute_uri(reverse("calendar_feed", args=[token])))


@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = access.feed_owner_or_404(token)
    bookings, facilitations = selectors.feed_items(user)
    text = ics.feed_ics(user.pk, bookings, facilitations, selectors.calendar_revisions(user))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="peers.ics"'
    return response


@login_required
@never_cache
def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Add to calendar": the session as a file, for the booked and the co-facilitators,
    with the same UID and SEQUENCE as the emailed one, so importing it twice updates the
    one event instead of making a second."""
    session = access.session_or_404(request.user, pk)
    role = access.calendar_role_or_404(request.user, session)
    text = ics.session_ics(session, user_id=request.user.pk, role=role, bump=False)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="peers-session.ics"'
    return response


@login_required
def facilitate(request: HttpRequest) -> HttpResponse:
    programs = selectors.programs_facilitated_by(request.user)
    form = AvailabilityForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            services.availability_set(user=request.user, **form.cleaned_data)
            messages.success(request, "Thank you: your availability is saved.")
            return redirect("sessions:facilitate")
        except ValidationError as error:
            _fail(request, error)
    number = min(max(whole_number(request.GET.get("page", "")) or 1, 1), MAX_PAGE)
    slots = list(
        selectors.open_facilitation_slots_for(
            request.user, limit=SLOTS_PER_PAGE + 1, offset=(number - 1) * SLOTS_PER_PAGE
        )
    )
    return render(
        request,
        "sessions_app/facilitate.html",
        {
            "form": form,
            "slots": _with_links(slots[:SLOTS_PER_PAGE]),
            "number": number,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if len(slots) > SLOTS_PER_PAGE else None,
            "has_programs": bool(selectors.program_ids_for(request.user, selectors.FACILITATING)),
            "availability": selectors.my_availability(request.user)[:12],
        },
    )


def _with_links(slots: list) -> list:
    detail, take = pk_link("sessions:detail"), pk_link("sessions:facilitate_take")
    for slot in slots:
        slot.detail_url, slot.take_url = detail(slot.pk), take(slot.pk)
    return slots


@login_required
@require_POST
def facilitate_take(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_or_404(request.user, pk)
    kind = access.facilitation_kind_for(request.user, session)
    try:
        services.facilitation_add(session=session, user=request.user, kind=kind)
        messages.success(request, "Thank you: you co-facilitate this session. It's in your calendar feed.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:facilitate")


@login_required
@require_POST
def facilitate_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    facilitation = access.facilitation_or_404(request.user, access.session_or_404(request.user, pk))
    if not _confirmed(request):
        return _ask(
            request,
            title="Stop co-facilitating this session?",
            what="Your place opens for another facilitator, and the coordinator is told if the session is soon "
            "and short of facilitators.",
            yes="Yes, withdraw",
            keep=reverse("sessions:detail", args=[pk]),
        )
    try:
        services.facilitation_withdraw(facilitation=facilitation)
        messages.success(request, "You no longer co-facilitate this session. Thank you for letting us know.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.facilitated_session_or_404(request.user, pk)
    bookings = selectors.attendance_bookings(session)
    form = AttendanceForm(
        request.POST or None, bookings=bookings, initial={"present": [str(b.user_id) for b in bookings if b.attended]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_record(
                session=session, present_user_ids={int(x) for x in form.cleaned_data["present"]}
            )
        except ValidationError as error:
            _fail(request, error)
            return redirect("sessions:detail", pk=pk)
        messages.success(request, f"Attendance saved for {count} booked trainee{'s' if count != 1 else ''}.")
        return redirect("sessions:detail", pk=pk)
    return render(request, "sessions_app/attendance.html", {"session": session, "form": form})


@login_required
def feedback(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = access.feedback_booking_or_404(request.user, booking_id)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(booking=booking, **form.cleaned_data)
            messages.success(request, "Thank you. Your feedback is anonymous and helps the facilitators.")
            return redirect("sessions:mine")
        except ValidationError as error:
            _fail(request, error)
    return render(request, "sessions_app/feedback.html", {"booking": booking, "form": form})


@login_required
def roster(request: HttpRequest, program_id: int) -> HttpResponse:
    program, programs = access.coordinated_program_or_404(request.user, program_id)
    return render(
        request,
        "sessions_app/roster.html",
        {
            "program": program,
            "programs": programs,
            "roster": selectors.facilitator_roster(program),
            "coverage": coverage_by_month(program),
            "figures": selectors.program_figures(program),
            "feedback": selectors.feedback_figures(program),
        },
    )


@login_required
def coordinate(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator's page for one session: who is booked, and booking a trainee in."""
    session = access.coordinated_session_or_404(request.user, pk)
    if request.method == "POST":
        trainee = access.program_trainee_or_404(session, _int(request.POST.get("trainee")))
        try:
            services.booking_create(session=session, user=trainee, by_coordinator=True)
            messages.success(request, f"{trainee} is booked into this session and has been told.")
        except ValidationError as error:
            _fail(request, error)
        return redirect("sessions:coordinate", pk=pk)
    return _coordinate_page(request, session)


def _coordinate_page(request: HttpRequest, session, *, message: dict | None = None, status: int = 200) -> HttpResponse:
    people = selectors.session_people_for_coordinator(session)
    message = message or {"subject": "", "text": "", "token": uuid.uuid4().hex}
    context = {"session": session, "message": message, "limits": services.MESSAGE_LIMITS, **people}
    return render(request, "sessions_app/coordinate.html", context, status=status)


@login_required
@require_POST
def coordinate_remove(request: HttpRequest, pk: int, booking_id: int) -> HttpResponse:
    session = access.coordinated_session_or_404(request.user, pk)
    booking = access.coordinated_booking_or_404(request.user, session, booking_id)
    if not _confirmed(request):
        return _ask(
            request,
            title="Remove this booking?",
            what=f"{booking.user} loses their seat and is told; the seat goes to the first person waiting.",
            yes="Yes, remove the booking",
            keep=reverse("sessions:coordinate", args=[pk]),
        )
    try:
        services.booking_cancel(booking=booking, by_coordinator=True)
        messages.success(request, f"{booking.user}'s booking is removed and they have been told.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:coordinate", pk=pk)


@login_required
@require_POST
def coordinate_move(request: HttpRequest, pk: int, booking_id: int) -> HttpResponse:
    session = access.coordinated_session_or_404(request.user, pk)
    booking = access.coordinated_booking_or_404(request.user, session, booking_id)
    to = access.coordinated_move_target_or_404(session, _int(request.POST.get("to")))
    try:
        services.booking_move(booking=booking, to=to)
        when = timezone.localtime(to.starts_at)
        moved = f"group {to.group_number} on {when:%b %-d}"
        messages.success(request, f"{booking.user} is moved to {moved} and has been told.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:coordinate", pk=pk)


@login_required
@require_POST
def coordinate_promote(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    session = access.coordinated_session_or_404(request.user, pk)
    entry = access.coordinated_waitlist_entry_or_404(session, entry_id)
    try:
        services.waitlist_promote(entry=entry)
        messages.success(request, f"{entry.user} is booked in from the waitlist and has been told.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:coordinate", pk=pk)


@login_required
@require_POST
def coordinate_message(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.coordinated_session_or_404(request.user, pk)
    message = {key: request.POST.get(key, "") for key in ("subject", "text", "token")}
    try:
        sent = services.session_message_send(session=session, **message)
    except ValidationError as error:
        _fail(request, error)
        return _coordinate_page(request, session, message=message, status=400)  # the words are kept
    if sent:
        messages.success(request, f"Your message went to {sent} booked trainee{pluralize(sent)}, each on their own.")
    else:
        messages.info(request, "This message was already sent; nobody got it twice.")
    return redirect("sessions:coordinate", pk=pk)


def _int(value: str | None) -> int:
    return whole_number(value) or 0

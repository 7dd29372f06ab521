from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from peers.models import Role, TrainingProgram, User
from peers.selectors import programs_coordinated_by
from sessions_app import calendar as ics
from sessions_app import selectors, services
from sessions_app.forms import AttendanceForm, AvailabilityForm, FeedbackForm, SessionFilterForm
from sessions_app.models import Booking, Facilitation, Session, Topic, WaitlistEntry
from sessions_app.text import markdown_safe


def _session_or_404(request: HttpRequest, pk: int) -> Session:
    session = selectors.session_for(request.user, pk)
    if session is None:
        raise Http404("No such session")
    return session


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    programs = selectors.program_ids_for(request.user, (Role.TRAINEE,))
    topics = Topic.objects.filter(sessions__program__in=programs).distinct().order_by("title")
    form = SessionFilterForm(request.GET or None, topics=topics)
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = selectors.sessions_upcoming_for(
        request.user,
        month=filters.get("month"),
        topic_id=getattr(filters.get("topic"), "pk", None),
        modality=filters.get("modality", ""),
    )[:100]
    return render(request, "sessions_app/list.html", {"form": form, "sessions": sessions, "is_trainee": bool(programs)})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    booking = selectors.booking_of(request.user, session)
    facilitations = list(session.facilitations.all())
    facilitating = any(f.user_id == request.user.pk for f in facilitations)
    entry = selectors.waitlist_entry_of(request.user, session)
    return render(
        request,
        "sessions_app/detail.html",
        {
            "session": session,
            "booking": booking,
            "facilitating": facilitating,
            "facilitations": facilitations,
            "entry": entry,
            "position": services.waitlist_position(entry) if entry and entry.status == "waiting" else None,
            "show_join_link": bool(booking or facilitating),
            "can_book": _is_trainee(request, session),
            "guide_html": markdown_safe(session.topic.facilitator_guide) if facilitating and session.topic else "",
        },
    )


def _is_trainee(request: HttpRequest, session: Session) -> bool:
    return session.program_id in selectors.program_ids_for(request.user, (Role.TRAINEE,))


def _trainee_session_or_404(request: HttpRequest, pk: int) -> Session:
    session = _session_or_404(request, pk)
    if not _is_trainee(request, session):
        raise Http404("Only trainees of this program book its sessions")
    return session


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    session = _trainee_session_or_404(request, pk)
    try:
        services.booking_create(session=session, user=request.user)
        messages.success(request, "You're booked. A confirmation with a calendar file is on its way.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    booking = get_object_or_404(Booking, session=session, user=request.user, status=Booking.Status.BOOKED)
    try:
        services.booking_cancel(booking=booking)
        messages.success(request, "Your booking is cancelled. Thank you for freeing the seat.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
@require_POST
def waitlist_join(request: HttpRequest, pk: int) -> HttpResponse:
    session = _trainee_session_or_404(request, pk)
    try:
        entry = services.waitlist_join(session=session, user=request.user)
        messages.success(
            request,
            f"You're on the waitlist, number {services.waitlist_position(entry)}. "
            "If a seat opens, we'll hold it for you and let you know.",
        )
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
@require_POST
def waitlist_leave(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    entry = get_object_or_404(WaitlistEntry, session=session, user=request.user, status__in=["waiting", "offered"])
    services.waitlist_leave(entry=entry)
    messages.success(request, "You've left the waitlist.")
    return redirect("sessions:detail", pk=pk)


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    # The latest offer, or the one just accepted (a second tap lands on the booked page too).
    entry = (
        WaitlistEntry.objects.filter(session=session, user=request.user, status__in=["offered", "accepted"])
        .order_by("-pk")
        .first()
    )
    if entry is None:
        raise Http404("No open offer")
    try:
        services.waitlist_accept(entry=entry)
        messages.success(request, "The seat is yours. A confirmation with a calendar file is on its way.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:detail", pk=pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[request.user.calendar_token]))
    return render(
        request,
        "sessions_app/mine.html",
        {
            "bookings": selectors.my_bookings(request.user)[:50],
            "waitlist": selectors.my_waitlist(request.user),
            "facilitations": selectors.my_facilitations(request.user)[:50],
            "feed_url": feed_url,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.calendar_token_reset(user=request.user)
    messages.success(
        request, "Your calendar link has changed. The old one no longer works; subscribe again with the new one."
    )
    return redirect("sessions:mine")


@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = get_object_or_404(User, calendar_token=token, is_active=True)
    bookings, facilitations = selectors.feed_items(user)
    response = HttpResponse(ics.feed_ics(bookings, facilitations), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="peers.ics"'
    return response


@login_required
def facilitate(request: HttpRequest) -> HttpResponse:
    programs = TrainingProgram.objects.filter(
        pk__in=selectors.program_ids_for(request.user, (Role.FACILITATOR, Role.WELLNESS_ADVISOR))
    )
    form = AvailabilityForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            services.availability_set(user=request.user, **form.cleaned_data)
            messages.success(request, "Thank you: your availability is saved.")
            return redirect("sessions:facilitate")
        except ValidationError as error:
            _fail(request, error)
    return render(
        request,
        "sessions_app/facilitate.html",
        {
            "form": form,
            "slots": selectors.open_facilitation_slots_for(request.user),
            "has_programs": programs.exists(),
            "availability": request.user.availabilities.select_related("program").order_by("-month")[:12],
        },
    )


@login_required
@require_POST
def facilitate_take(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    roles = {m.role for m in request.user.memberships.active().filter(program=session.program_id)}
    kind = Facilitation.Kind.FACILITATOR if Role.FACILITATOR in roles else Facilitation.Kind.WELLNESS_ADVISOR
    try:
        services.facilitation_add(session=session, user=request.user, kind=kind)
        messages.success(request, "Thank you: you co-facilitate this session. It's in your calendar feed.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("sessions:facilitate")


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    if not session.facilitations.filter(user=request.user).exists():
        raise Http404("Only this session's facilitators take attendance")
    bookings = list(session.bookings.filter(status=Booking.Status.BOOKED).select_related("user").order_by("user__name"))
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
    booking = get_object_or_404(Booking.objects.select_related("session__topic"), pk=booking_id, user=request.user)
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
    programs = list(programs_coordinated_by(request.user).order_by("name"))
    program = next((p for p in programs if p.pk == program_id), None)
    if program is None:
        raise Http404("Not a program you coordinate")
    return render(
        request,
        "sessions_app/roster.html",
        {
            "program": program,
            "programs": programs,
            "roster": selectors.facilitator_roster(program),
            "figures": selectors.program_figures(program),
            "feedback": selectors.feedback_figures(program),
        },
    )

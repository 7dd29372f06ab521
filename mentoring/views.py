import functools
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentoring import access, selectors, services
from mentoring.clock import program_today
from mentoring.forms import (
    ApplicationForm,
    AwayForm,
    ContactForm,
    InterviewMoveForm,
    InterviewScoreForm,
    LogContactForm,
    MeetingForm,
    OutreachForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReplyForm,
    survey_form,
)
from peers.suppression import suppress_count

REFERRALS_SHOWN = 20  # on the mentoring page; the newest first


def _fail(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _disclosure_gate(request: HttpRequest):
    """A peer mentor sees no mentee data until they accept the current statement."""
    statement = selectors.disclosure_pending(user=request.user)
    if statement is not None:
        return render(request, "mentoring/disclosure.html", {"statement": statement})
    return None


def _disclosure_first(view):
    """Every action on mentee data is refused by its service until a peer mentor accepts
    the statement; this turns the refusal into a message and the page that shows it."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except access.DisclosureNotAccepted as refusal:
            messages.error(request, str(refusal))
            return redirect("mentoring:home")

    return wrapped


@login_required
@require_POST
def disclosure_accept(request: HttpRequest) -> HttpResponse:
    statement = selectors.disclosure_pending(user=request.user)
    if statement is not None and str(statement.pk) == request.POST.get("statement"):
        services.disclosure_accept(user=request.user, statement=statement)
        messages.success(request, "Thank you. Your mentees are below.")
    return redirect("mentoring:home")


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    if gate := _disclosure_gate(request):
        return gate
    return _home_page(request)


@dataclass(frozen=True)
class Task:
    """One of the peer mentor's tasks: the page opens one at a time (`?task=<key>`, or the
    one whose form came back with errors), so it renders one form, not five."""

    key: str
    title: str
    form_key: str
    form_class: type
    action: str
    button: str


TASKS = (
    Task("contact", "Log a text, call or email that reached you", "log_form", LogContactForm, "log_contact", "Log it"),
    Task("meeting", "Log a meeting", "meeting_form", MeetingForm, "meeting", "Log meeting"),
    Task("outreach", "Log outreach: you reached a mentee", "outreach_form", OutreachForm, "outreach", "Log contact"),
    Task("away", "Going away? Post an away notice", "away_form", AwayForm, "away", "Post away notice"),
    Task("referral", "Make a referral", "referral_form", ReferralForm, "referral", "Refer"),
)


def _tasks(request: HttpRequest, mentees: list, forms: dict) -> list[dict]:
    """The tasks, each with its form only when open: the one whose bound form is in
    `forms` (shown again with its errors), else the one `?task=` names (else none)."""
    bound = next((task for task in TASKS if task.form_key in forms), None)
    chosen = bound or next((task for task in TASKS if task.key == request.GET.get("task")), None)
    rows = []
    for task in TASKS:
        form = None
        if task is chosen:
            form = forms.get(task.form_key) or (
                task.form_class() if task.form_class is AwayForm else task.form_class(mentees=mentees)
            )
        rows.append({"task": task, "form": form, "action": reverse(f"mentoring:{task.action}")})
    return rows


def _home_page(request: HttpRequest, **forms) -> HttpResponse:
    """The mentoring page; `forms` are bound forms shown again with what was typed and
    each error beside its field."""
    pairs = list(selectors.pairs_of_mentor(user=request.user))
    mentees = [m for pair in pairs if request.user.pk != pair.faculty_mentor_id for m in pair.mentees.all()]
    today = program_today(pairs[0].cycle.program) if pairs else None
    on_duty, away_notices = selectors.on_duty_and_own_away(user=request.user, pairs=pairs, day=today)
    covered = frozenset(pair.pk for pair in pairs if access.is_covering(request.user, pair, on_duty[pair.pk]))
    open_contacts = access.contact_messages_read(
        request, selectors.open_contacts_for(user=request.user), covered_pairs=covered
    )
    for contact in open_contacts:  # the service refuses the others; the page offers only what works
        contact.can_mark = request.user.pk in {person.pk for person in on_duty.get(contact.pair_id, [])}
        duty = on_duty.get(contact.pair_id, [])
        # Both peer mentors away: the faculty mentor covers (the page says so to the mentors).
        contact.covered_by = duty[0] if [p.pk for p in duty] == [contact.pair.faculty_mentor_id] else None
    places = list(selectors.mentee_places(user=request.user))
    place_duty = _answering_today(places)
    duties = _duties(request.user, pairs)
    return render(
        request,
        "mentoring/home.html",
        {
            "pairs": pairs,
            "places": places,
            "place_duty": place_duty,
            "open_contacts": open_contacts,
            "my_contacts": selectors.my_contacts(user=request.user) if places else [],
            "contact_form": forms.get("contact_form") or ContactForm() if places else None,
            "tasks": _tasks(request, mentees, forms) if pairs and mentees else [],
            "referrals": selectors.referrals_for(user=request.user)[:REFERRALS_SHOWN],
            "open_surveys": selectors.open_invitations(user=request.user),
            "duties": duties,
            "duties_due": _duties_due(request.user, pairs, duties),
            "away_notices": away_notices,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def contact(request: HttpRequest) -> HttpResponse:
    place = access.mentee_place_or_404(request.user, request.POST.get("place"))
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _home_page(request, contact_form=form)
    contact = services.contact_create(mentee=place, **form.cleaned_data)
    answering = _answering_today([place])[place.pair_id]
    if answering == [place.pair.faculty_mentor]:
        away = "Your peer mentor is" if place.pair.vacant_seat else "Both your peer mentors are"
        messages.success(
            request,
            f"Sent. {away} away, so {place.pair.faculty_mentor.get_full_name()}, your faculty "
            "mentor, covers and will answer the way you asked.",
        )
    else:
        messages.success(request, "Sent. Your mentors will answer the way you asked.")
    return redirect("mentoring:thread", pk=contact.pk)


def _duties_due(user, pairs: list, duties: dict) -> list[tuple]:
    """(mentee, not met this semester, not contacted this month) for the peer mentor's
    mentees who are owed something, for the top of the page; no query."""
    return [
        (mentee, not duties[mentee.pk]["met"], not duties[mentee.pk]["contacted"])
        for pair in pairs
        if user.pk != pair.faculty_mentor_id
        for mentee in pair.mentees.all()
        if mentee.pk in duties and not (duties[mentee.pk]["met"] and duties[mentee.pk]["contacted"])
    ]


def _answering_today(places: list) -> dict[int, list]:
    """pair id -> who answers the mentee today (one query, none without places): the
    peer mentors not away, or the faculty mentor covering while both are."""
    if not places:
        return {}
    pairs = [place.pair for place in places]
    return selectors.on_duty_by_pair(pairs=pairs, day=program_today(pairs[0].cycle.program))


@never_cache
@login_required
@_disclosure_first
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact's thread: the mentee's message and the replies, for the mentee, the
    pair's peer mentors and the faculty mentor while covering (else 404; the read is
    logged). Whoever is on duty replies here, the first reply stopping the clock; the
    mentee can add to their message."""
    if gate := _disclosure_gate(request):
        return gate
    contact, duty = access.thread_or_404(request, pk)
    can_reply = request.user.pk in {person.pk for person in duty}
    is_mentee = contact.mentee.user_id == request.user.pk
    form = ReplyForm(request.POST or None, for_mentee=is_mentee)
    if request.method == "POST" and form.is_valid():
        write, done = (
            (services.contact_follow_up, "Added. Your mentors have been told.")
            if is_mentee
            else (services.contact_reply, "Reply sent. The mentee has been told that you answered.")
        )
        try:
            write(contact=contact, by=request.user, body=form.cleaned_data["body"])
            messages.success(request, done)
            return redirect("mentoring:thread", pk=contact.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "mentoring/thread.html",
        {
            "contact": contact,
            "replies": selectors.thread_replies(contact=contact),
            "duty": duty,
            "can_reply": can_reply,
            "is_mentee": is_mentee,
            "form": form,
        },
    )


@login_required
@require_POST
@_disclosure_first
def log_contact(request: HttpRequest) -> HttpResponse:
    def act(data, pair, mentees) -> str:
        mentee = next(m for m in mentees if str(m.pk) == data["mentee"])
        services.contact_create(
            mentee=mentee, channel=data["channel"], logged_by=request.user, received_at=data["received_at"]
        )
        return "Logged. The answer clock has started."

    return _mentor_post(request, LogContactForm, act, key="log_form")


@login_required
@require_POST
@_disclosure_first
def answered(request: HttpRequest, pk: int) -> HttpResponse:
    contact = access.contact_or_404(request.user, pk)
    try:
        services.contact_mark_answered(contact=contact, by=request.user)
        messages.success(request, "Marked as answered. Thank you.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("mentoring:home")


@login_required
@require_POST
@_disclosure_first
def away(request: HttpRequest) -> HttpResponse:
    pair, _ = access.own_pair_or_404(request.user)
    form = AwayForm(request.POST)
    if form.is_valid():
        try:
            services.away_post(mentor=request.user, pair=pair, **form.cleaned_data)
            messages.success(request, _away_posted(pair, request.user))
            return redirect("mentoring:home")
        except ValidationError as error:
            form.add_error(None, error)
    return _home_page(request, away_form=form)  # what was typed stays, each error beside its field


def _away_posted(pair, mentor) -> str:
    if pair.partner_of(mentor) is not None:
        return "Your partner has been told; they answer for you while you're away."
    return (
        f"{pair.faculty_mentor.get_full_name()}, your faculty mentor, has been told: your pair has no second peer "
        "mentor for now, so they cover and answer your mentees while you're away, and your mentees know it."
    )


@login_required
@require_POST
def away_end(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.away_notice_or_404(request.user, pk)
    try:
        if services.away_end(notice=notice, by=request.user):
            messages.success(request, "Welcome back. Your away notice has ended; whoever it told has been told.")
        else:
            messages.info(request, "That away notice had already ended.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("mentoring:home")


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    cycle = selectors.open_cycle_for(user=request.user)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and cycle is not None and form.is_valid():
        try:
            services.application_submit(cycle=cycle, applicant=request.user, **form.cleaned_data)
            messages.success(request, "Thank you: your application is in. You'll hear about interviews soon.")
            return redirect("mentoring:home")
        except ValidationError as error:
            _fail(request, error)
    applications = selectors.applications_of(user=request.user, cycle=cycle)
    return render(
        request,
        "mentoring/apply.html",
        {
            "form": form,
            "cycle": cycle,
            "applications": applications,
            "move_form": InterviewMoveForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.own_application_or_404(request.user, pk)
    if request.POST.get("confirm") != "1":  # it cannot be undone: ask first, on its own page
        return render(request, "mentoring/confirm_withdraw.html", {"application": application})
    try:
        services.application_withdraw(application=application)
        messages.success(request, "You have withdrawn your application. Thank you for letting us know in time.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("mentoring:apply")


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.own_application_or_404(request.user, pk)
    try:
        services.application_offer_accept(application=application)
        messages.success(request, "Welcome: you are a peer mentor. You'll hear about your pair soon.")
    except ValidationError as error:
        _fail(request, error)
    return redirect("mentoring:apply")


@login_required
@require_POST
def interview_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.own_application_or_404(request.user, pk)
    form = InterviewMoveForm(request.POST)
    if form.is_valid():
        try:
            services.interview_move_request(application=application, note=form.cleaned_data["note"])
            messages.success(request, "Your coordinator has been told. You'll hear when the new time is set.")
        except ValidationError as error:
            _fail(request, error)
    else:
        _form_errors(request, form)
    return redirect("mentoring:apply")


def _duties(user, pairs) -> dict:
    """mentee id -> {met, contacted}, for the pairs `user` mentors."""
    mentored = [pair for pair in pairs if user.pk != pair.faculty_mentor_id]
    if not mentored:
        return {}
    program = mentored[0].cycle.program  # a mentor's pairs are of one program
    today = program_today(program)
    return selectors.duty_statuses(pairs=mentored, today=today, zone=program.time_zone, mentees_loaded=True)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _mentor_post(request: HttpRequest, form_class, act, *, key: str) -> HttpResponse:
    """A peer mentor's logging form: the mentor's own mentees only, then one service call
    via `act(form data, pair, mentees)`, which refuses until the mentor has accepted the
    disclosure statement (shown by `_disclosure_first`). A refusal shows the form again,
    as the page's `key`, with what was typed and the errors beside their fields."""
    pair, mentees = access.own_pair_or_404(request.user)
    form = form_class(request.POST, mentees=mentees)
    if form.is_valid():
        try:
            messages.success(request, act(form.cleaned_data, pair, mentees))
            return redirect("mentoring:home")
        except ValidationError as error:
            form.add_error(None, error)
    return _home_page(request, **{key: form})


@login_required
@require_POST
@_disclosure_first
def meeting(request: HttpRequest) -> HttpResponse:
    def act(data, pair, mentees) -> str:
        chosen = [m for m in mentees if str(m.pk) in data["mentees"]]
        services.meeting_log(
            pair=pair,
            by=request.user,
            held_on=data["held_on"],
            mode=data["mode"],
            kind=data["kind"],
            mentees=chosen,
            notes=data["notes"],
        )
        return "Meeting logged."

    return _mentor_post(request, MeetingForm, act, key="meeting_form")


@login_required
@require_POST
@_disclosure_first
def outreach(request: HttpRequest) -> HttpResponse:
    def act(data, pair, mentees) -> str:
        mentee = next(m for m in mentees if str(m.pk) == data["mentee"])
        services.outreach_log(mentee=mentee, by=request.user, on=data["on"], channel=data["channel"])
        return "Contact logged."

    return _mentor_post(request, OutreachForm, act, key="outreach_form")


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    cycles = access.coordinated_cycles_or_404(request.user)
    cycle = next((c for c in cycles if str(c.pk) == request.GET.get("cycle")), cycles[0])
    figures, rows = selectors.cycle_figures_page(cycle=cycle)
    return render(
        request, "mentoring/figures.html", {"cycles": cycles, "cycle": cycle, "figures": figures, "rows": rows}
    )


@login_required
@require_POST
@_disclosure_first
def referral(request: HttpRequest) -> HttpResponse:
    def act(data, pair, mentees) -> str:
        mentee = next((m for m in mentees if str(m.pk) == data["mentee"]), None)
        services.referral_make(
            pair=mentee.pair if mentee else pair,
            mentor=request.user,
            to=data["to"],
            category=data["category"],
            note=data["note"],
            mentee=mentee,
        )
        return "Referral sent. You'll see here when it has been received."

    return _mentor_post(request, ReferralForm, act, key="referral_form")


@never_cache
@login_required
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.invitation_or_404(request.user, pk)
    form = survey_form(invitation.survey, request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {int(name[1:]): value for name, value in form.cleaned_data.items() if value}
        try:
            services.survey_answer(survey=invitation.survey, user=request.user, answers=answers)
            messages.success(request, "Thank you for answering.")
            return redirect("mentoring:home")
        except ValidationError as error:
            _fail(request, error)
    return render(
        request,
        "mentoring/survey.html",
        {"survey": invitation.survey, "form": form, "invitation": invitation},
    )


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey_obj = access.coordinated_survey_or_404(request.user, pk)
    return render(
        request,
        "mentoring/survey_results.html",
        {
            "survey": survey_obj,
            "results": selectors.survey_results(survey=survey_obj),
            "invited": survey_obj.invitations.count(),
            "answered": suppress_count(survey_obj.invitations.filter(responded=True).count()),
        },
    )


@login_required
def interviews(request: HttpRequest) -> HttpResponse:
    """The interviews assigned to the signed-in faculty mentor or coordinator, with a
    scoring form for each."""
    if request.method == "POST":
        interview = access.interview_or_404(request.user, request.POST.get("interview"))
        form = InterviewScoreForm(request.POST)
        if form.is_valid():
            try:
                services.interview_score(interview=interview, by=request.user, **form.cleaned_data)
                messages.success(request, f"Scores saved for {interview.application.applicant.get_full_name()}.")
            except ValidationError as error:
                _fail(request, error)
        else:
            _form_errors(request, form)
        return redirect("mentoring:interviews")
    rows = [
        (
            i,
            InterviewScoreForm(
                initial={
                    "understanding": i.understanding,
                    "prior_experience": i.prior_experience,
                    "dedication": i.dedication,
                    "professionalism": i.professionalism,
                }
            ),
        )
        for i in selectors.interviews_assigned_to(user=request.user)
    ]
    return render(request, "mentoring/interviews.html", {"rows": rows})


@never_cache
@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral with its note and mentee, for the mentor who made it and whom it was
    sent to; the read is logged. The recipient acknowledges it and records its outcome.
    A peer mentor with a new statement to accept sees that first (the page names a mentee)."""
    if gate := _disclosure_gate(request):
        return gate
    referral = access.referral_or_404(request, pk)
    recipient = access.is_referral_recipient(request.user, referral)
    form = ReferralOutcomeForm(request.POST or None) if recipient else None
    if request.method == "POST" and recipient:
        try:
            if request.POST.get("action") == "acknowledge":
                services.referral_acknowledge(referral=referral, by=request.user)
                messages.success(request, "Acknowledged: the mentor has been told that it reached you.")
                return redirect("mentoring:referral_detail", pk=referral.pk)
            if form.is_valid():
                services.referral_record_outcome(referral=referral, by=request.user, **form.cleaned_data)
                messages.success(request, "Outcome recorded.")
                return redirect("mentoring:referral_detail", pk=referral.pk)
        except ValidationError as error:
            _fail(request, error)
    return render(
        request, "mentoring/referral.html", {"referral": referral, "recipient": recipient, "outcome_form": form}
    )

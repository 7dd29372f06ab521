"""Who may see and act on what in mentoring, in this one module.

- A pair's data (its mentees, their contacts) is for the pair's two peer mentors and its
  faculty mentor (`mentored_by`); a mentee sees their own place and messages. Anyone
  else asking for one of these objects gets 404.
- A peer mentor sees and acts on mentee data only once they have accepted the program's
  current disclosure and confidentiality statement: every service acting on a pair's
  mentees calls `mentee_data_guard()` first.
- A contact's thread (the message and its replies) is for the mentee who wrote it and
  the pair's two peer mentors; the faculty mentor reads it only while covering (both
  peer mentors away that day), and otherwise sees who waits, not what they wrote
  (`thread_or_404`, `may_read_message`). Every read is written to the access log,
  refused ones too.
- A proposed pair is a draft: until a coordinator publishes it, its mentors, faculty
  mentor and mentees see nothing of it (`published`) and no message goes through it.
- A referral, its note and the mentee it names are for the mentor who made it and whom
  it was sent to (the pair's faculty mentor, or the program's coordinators for the
  program office) only (`referral_seen_by`); every read is logged, denied reads too.
- Re-pairing (moving a mentee, replacing a mentor, dissolving a pair) is for the
  coordinators of the pair's program (`repairing_guard`, `coordinated_cycle_or_404`).
  A private request for a change is for the program's coordinators only, not the pair's
  mentors or faculty mentor (`change_request_seen_by`); every read of its text is logged.
- Cycle figures and survey results are for the program's coordinators, an interview for
  its interviewer, a survey for the people it was sent to.

Views and services call these functions; none re-implements them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from mentoring.clock import program_today
from mentoring.models import (
    Application,
    AwayNotice,
    ChangeRequest,
    Contact,
    DisclosureAcceptance,
    DisclosureStatement,
    Interview,
    Mentee,
    MentoringCycle,
    MentorPair,
    MentorReferral,
    Survey,
    SurveyInvitation,
)
from peers.models import Role, User
from peers.numbers import whole_number
from peers.precompiled import Precompiled
from peers.selectors import program_ids_with_role, programs_coordinated_by
from peers.services.audit import access_log_write, access_log_write_many

DISCLOSURE_FIRST = (
    "Please read and accept the program's disclosure and confidentiality statement on your "
    "mentoring page first. Until then you can't see or act on your mentees' information."
)


class DisclosureNotAccepted(PermissionDenied):
    """A peer mentor acted on mentee data before accepting the current statement."""


def mentored_by(user: User, path: str = "") -> Q:
    """The rows of the published pairs `user` mentors, as a peer mentor or as the faculty
    mentor; `path` leads from the row to its pair ("" for pairs, "pair__" for contacts)."""
    return _mentors(user, path) & published(path)


def _mentors(user: User, path: str) -> Q:
    peer_mentors = Q(**{f"{path}third_year": user}) | Q(**{f"{path}fourth_year": user})
    return peer_mentors | Q(**{f"{path}faculty_mentor": user})


def published(path: str = "") -> Q:
    """Rows of published pairs only: a proposal is a draft for the coordinators until they
    publish it, and nothing of it reaches its mentors, faculty mentor or mentees."""
    return Q(**{f"{path}published_at__isnull": False})


# --- the disclosure statement ----------------------------------------------------------------


def statement_to_accept(*, user: User, program_id: int) -> DisclosureStatement | None:
    """The program's current statement if `user` has not accepted it yet."""
    statement = DisclosureStatement.objects.current_for(program_id)
    if statement is None or DisclosureAcceptance.objects.filter(statement=statement, user=user).exists():
        return None
    return statement


def disclosure_accepted(*, user: User, pair: MentorPair) -> bool:
    """Whether `user` may see and act on the mentee data of `pair`: always for anyone
    but its peer mentors (faculty mentor, mentees); for a peer mentor, once they have
    accepted the latest version of the program's statement (if there is one)."""
    if not pair.has_peer_mentor(user):
        return True
    return statement_to_accept(user=user, program_id=pair.cycle.program_id) is None


def mentee_data_guard(*, user: User, pair: MentorPair) -> None:
    """The one guard every service acting on a pair's mentees calls first."""
    if not disclosure_accepted(user=user, pair=pair):
        raise DisclosureNotAccepted(DISCLOSURE_FIRST)


def peer_mentor_guard(*, user: User, pair: MentorPair, refusal: str) -> None:
    """Only the pair's two peer mentors, and only once they accepted the statement."""
    if not pair.has_peer_mentor(user):
        raise ValidationError(refusal)
    mentee_data_guard(user=user, pair=pair)


# --- fetch, check, 404 ---------------------------------------------------------------------------


def own_pair_or_404(user: User) -> tuple[MentorPair, list[Mentee]]:
    """The pair `user` is a peer mentor of, and the mentees of their pairs (names only:
    whatever they then do with them goes through `mentee_data_guard`)."""
    pairs = list(MentorPair.objects.current().of_peer_mentor(user).with_people().order_by("pk"))
    if not pairs:
        raise Http404("Only peer mentors do this")
    return pairs[0], [mentee for pair in pairs for mentee in pair.mentees.all()]


def away_notice_or_404(user: User, pk: int) -> AwayNotice:
    """An away notice of a pair `user` is a peer mentor of (only its author may end it:
    `services.away_end` refuses the partner)."""
    notice = (
        AwayNotice.objects.filter(Q(pair__third_year=user) | Q(pair__fourth_year=user), pk=pk)
        .select_related("mentor", "pair__cycle__program", "pair__third_year", "pair__fourth_year")
        .first()
    )
    if notice is None:
        raise Http404("Not an away notice of your pair")
    return notice


def contact_or_404(user: User, pk: int) -> Contact:
    """A contact of a pair `user` mentors (peer or faculty mentor)."""
    contact = Contact.objects.filter(mentored_by(user, "pair__"), pk=pk).select_related("pair__cycle").first()
    if contact is None:
        raise Http404("Not a contact of your mentees")
    return contact


def mentee_place_or_404(user: User, pk: str | None = None) -> Mentee:
    """The mentee's place (the one numbered `pk`, or their learning-community pair's) in
    the newest cycle, through which they write to those mentors (a place in a draft
    pair is no place yet). An MD/PhD student has a second place, in the MD/PhD pair."""
    places = Mentee.objects.filter(published("pair__"), user=user)
    if pk:
        places = places.filter(pk=pk) if whole_number(pk) is not None else places.none()
    place = (
        places.select_related("pair__cycle__program", "pair__third_year", "pair__fourth_year", "pair__faculty_mentor")
        .order_by("-cycle__starts_on", "md_phd")
        .first()
    )
    if place is None:
        raise Http404("You have no peer mentors yet")
    return place


def own_application_or_404(user: User, pk: int) -> Application:
    """An application `user` made."""
    application = Application.objects.filter(pk=pk, applicant=user).select_related("cycle").first()
    if application is None:
        raise Http404("Not an application of yours")
    return application


def interview_or_404(user: User, pk: str | None) -> Interview:
    """An undecided interview assigned to `user`."""
    interview = (
        Interview.objects.assigned_to(user)
        .filter(pk=pk)
        .select_related("application__applicant", "application__cycle")
        .first()
        if whole_number(pk) is not None
        else None
    )
    if interview is None:
        raise Http404("Not an interview of yours")
    return interview


def invitation_or_404(user: User, survey_pk: int) -> SurveyInvitation:
    invitation = SurveyInvitation.objects.filter(survey=survey_pk, user=user).select_related("survey").first()
    if invitation is None:
        raise Http404("This survey was not sent to you")
    return invitation


def coordinated_survey_or_404(user: User, pk: int) -> Survey:
    survey = Survey.objects.filter(pk=pk, cycle__program__in=programs_coordinated_by(user)).first()
    if survey is None:
        raise Http404("Not a survey of your programs")
    return survey


def coordinated_cycles_or_404(user: User) -> list[MentoringCycle]:
    cycles = list(
        MentoringCycle.objects.filter(program__in=programs_coordinated_by(user))
        .select_related("program")
        .order_by("-starts_on")
    )
    if not cycles:
        raise Http404("Figures are for the coordinators of a program with a mentoring cycle")
    return cycles


# --- referrals ---------------------------------------------------------------------------------------


def referral_seen_by(user: User) -> Q:
    """The referrals `user` made, and those sent to them: as the pair's faculty mentor,
    or as a coordinator of the program for the program office. Nobody else, the office's
    administrators included: the note and the mentee it names are confidential."""
    office = program_ids_with_role(user, Role.COORDINATOR)
    return (
        Q(mentor=user)
        | Q(to=MentorReferral.To.FACULTY, pair__faculty_mentor=user)
        | Q(to=MentorReferral.To.OFFICE, pair__cycle__program__in=office)
    )


def is_referral_recipient(user: User, referral: MentorReferral) -> bool:
    if referral.to == MentorReferral.To.FACULTY:
        return referral.pair.faculty_mentor_id == user.pk
    return referral.pair.cycle.program_id in set(program_ids_with_role(user, Role.COORDINATOR))


def referral_recipient_guard(*, user: User, referral: MentorReferral) -> None:
    """Only whom a referral was sent to acknowledges it and records its outcome."""
    if not is_referral_recipient(user, referral):
        raise ValidationError("Only the people this referral was sent to can acknowledge it or record its outcome.")


def referral_or_404(request: HttpRequest, pk: int) -> MentorReferral:
    """A referral the signed-in person made or received, with its note and mentee; the
    read is logged (and a refused one too)."""
    referral = (
        MentorReferral.objects.filter(referral_seen_by(request.user), pk=pk)
        .select_related("pair__cycle__program", "pair__faculty_mentor", "mentor", "mentee__user", "acknowledged_by")
        .first()
    )
    if referral is None:
        access_log_write(
            request=request,
            action="referral_view",
            object_type="mentoring.mentorreferral",
            object_id=str(pk),
            allowed=False,
        )
        raise Http404("Not a referral of yours")
    access_log_write(request=request, action="referral_view", obj=referral, allowed=True)
    return referral


# --- a contact's thread ------------------------------------------------------------------------------


def _thread_contact_queryset(*, pk: int) -> QuerySet[Contact]:
    return Contact.objects.filter(published("pair__"), pk=pk).select_related(
        "pair__cycle__program", "pair__third_year", "pair__fourth_year", "pair__faculty_mentor", "mentee__user"
    )


# Every open of a thread reads this: compiled once a process (six joins took 3 ms to build).
_thread_contact = Precompiled(_thread_contact_queryset, pk=int)


def thread_or_404(request: HttpRequest, pk: int) -> tuple[Contact, list[User]]:
    """A contact's thread, with who is on duty for its pair today: for the mentee who
    wrote it, the pair's peer mentors, and the faculty mentor while covering. Anyone
    else (another pair's mentor, a mentor replaced on the pair, the faculty mentor while
    a peer mentor is on duty) gets 404. The read is logged, a refused one too."""
    from mentoring.selectors.duties import on_duty  # here: the selectors import this module

    found = _thread_contact(pk=pk, limit=1)
    contact = found[0] if found else None
    duty = on_duty(pair=contact.pair, day=program_today(contact.pair.cycle.program)) if contact else []
    user = request.user
    if contact is None or not may_read_message(user, contact, covering=is_covering(user, contact.pair, duty)):
        access_log_write(
            request=request, action="thread_view", object_type="mentoring.contact", object_id=str(pk), allowed=False
        )
        raise Http404("Not a conversation of yours")
    access_log_write(request=request, action="thread_view", obj=contact, allowed=True)
    return contact, duty


# --- confidential reads, logged --------------------------------------------------------------------


def may_read_message(user: User, contact: Contact, *, covering: bool = False) -> bool:
    """The mentee, the pair's peer mentors, and its faculty mentor while `covering`
    (both peer mentors away today: `is_covering`)."""
    if contact.pair.has_peer_mentor(user) or contact.mentee.user_id == user.pk:
        return True
    return covering and contact.pair.faculty_mentor_id == user.pk


def is_covering(user: User, pair: MentorPair, on_duty: list[User]) -> bool:
    """`user` is the pair's faculty mentor and on duty (`on_duty`, from
    selectors.on_duty): both peer mentors are away."""
    return user.pk == pair.faculty_mentor_id and user.pk in {person.pk for person in on_duty}


def contact_messages_read(
    request: HttpRequest, contacts: QuerySet[Contact] | list[Contact], *, covered_pairs: frozenset[int] = frozenset()
) -> list[Contact]:
    """Mark which messages the signed-in person may read (`contact.readable`) and log each
    read; the page shows a message only where `readable` is set. `covered_pairs`: the
    pairs the person covers today as their faculty mentor."""
    contacts = list(contacts)
    for contact in contacts:
        covering = contact.pair_id in covered_pairs
        contact.readable = bool(contact.message) and may_read_message(request.user, contact, covering=covering)
    read = [contact for contact in contacts if contact.readable]
    access_log_write_many(request=request, action="message_view", objs=read, allowed=True)
    return contacts


# --- re-pairing and requests for a change ----------------------------------------------------------

NOT_YOUR_PROGRAM = "Only the coordinators of this pair's program can change its pairs."


def repairing_guard(*, user: User, cycle: MentoringCycle) -> None:
    """Every re-pairing service calls this first: a coordinator of another program cannot act."""
    if not programs_coordinated_by(user).filter(pk=cycle.program_id).exists():
        raise PermissionDenied(NOT_YOUR_PROGRAM)


def coordinated_cycle_or_404(user: User, pk: int) -> MentoringCycle:
    cycle = MentoringCycle.objects.filter(pk=pk, program__in=programs_coordinated_by(user)).select_related("program")
    if (found := cycle.first()) is None:
        raise Http404("Not a cycle of your programs")
    return found


def change_request_seen_by(user: User) -> Q:
    """The requests for a change of the programs `user` coordinates (an active
    coordinator membership; the office's administrators are not named by the design)."""
    return Q(pair__cycle__program__in=program_ids_with_role(user, Role.COORDINATOR))


def change_request_or_404(request: HttpRequest, pk: int) -> ChangeRequest:
    """A request for a change the signed-in coordinator may resolve; a refused one is logged."""
    found = ChangeRequest.objects.filter(change_request_seen_by(request.user), pk=pk).select_related("pair__cycle")
    if (change_request := found.first()) is None:
        access_log_write(
            request=request,
            action="change_request_view",
            object_type="mentoring.changerequest",
            object_id=str(pk),
            allowed=False,
        )
        raise Http404("Not a request of your programs")
    return change_request


def change_requests_read(request: HttpRequest, change_requests: QuerySet[ChangeRequest]) -> list[ChangeRequest]:
    """The requests the page shows with their text, each read logged."""
    shown = list(change_requests.filter(change_request_seen_by(request.user)))
    for change_request in shown:
        access_log_write(request=request, action="change_request_view", obj=change_request, allowed=True)
    return shown


def own_current_pair_or_404(user: User, pk: str | None) -> MentorPair:
    """A published, not dissolved pair `user` is a mentee or a peer mentor of (for a
    request for a change)."""
    mine = Q(third_year=user) | Q(fourth_year=user) | Q(mentees__user=user)
    pairs = MentorPair.objects.current().filter(mine).select_related("cycle__program", "third_year", "fourth_year")
    pair = pairs.filter(pk=pk).first() if whole_number(pk) is not None else None
    if pair is None:
        raise Http404("Not a pair of yours")
    return pair

"""Who may act on which session, booking or waitlist place, in this one module.

Each `..._or_404` fetches the object the signed-in person may act on, checks, and answers
404 otherwise, so a page never tells anyone that a session of another program, or another
person's booking, exists. Views call these; services ask `holds_role` before they let
someone facilitate. Nothing here is confidential, so nothing is logged.

- A session is seen by the members of its program in a role that sees sessions
  (trainees, facilitators, wellness advisors, coordinators).
- A core topic is seen by anyone in such a role; a program's topic by that program's.
- Only the program's trainees book or join its waitlist.
- A booking, a waitlist place, an offer belong to their person alone; a switch moves
  only one's own seat, to a group of the same round.
- Only a session's co-facilitators take its attendance, or withdraw before it starts.
- A session's calendar file is for its booked trainees and co-facilitators only.
- A roster is seen by the program's coordinators, and so is a session's coordinator page
  (booking trainees into it, removing their bookings)."""

import datetime

from django.http import Http404
from django.utils import timezone

from peers.models import Membership, Role, TrainingProgram, User
from peers.selectors import programs_coordinated_by
from peers.services.calendar_feeds import calendar_feed_owner
from sessions_app import selectors
from sessions_app.models import Booking, CalendarEntry, Facilitation, Session, Topic, WaitlistEntry


def holds_role(*, user: User, program_id: int, roles: tuple[str, ...], on: datetime.date | None = None) -> bool:
    """An active membership of `program_id` in one of `roles` (today, or on `on`)."""
    return Membership.objects.active(on).filter(user=user, program=program_id, role__in=roles).exists()


def is_trainee_in(user: User, session: Session) -> bool:
    return session.program_id in selectors.program_ids_for(user, (Role.TRAINEE,))


def session_or_404(user: User, pk: int) -> Session:
    """The session, with its facilitators, if `user` belongs to its program in a role
    that sees sessions."""
    session = selectors.session_with_facilitators(pk)
    if session is None or session.program_id not in selectors.program_ids_for(user):
        raise Http404("No such session")
    return session


def topic_or_404(user: User, pk: int) -> Topic:
    """A topic of the core curriculum, for anyone who sees sessions somewhere; a program's
    own topic or adaptation, for the people of that program."""
    topic = selectors.topic_with_origin(pk)
    programs = selectors.program_ids_for(user)
    if topic is None or not programs or (topic.program_id is not None and topic.program_id not in programs):
        raise Http404("No such topic")
    return topic


def trainee_session_or_404(user: User, pk: int) -> Session:
    """A session `user` may book: one of a program where they are a trainee."""
    session = session_or_404(user, pk)
    if not is_trainee_in(user, session):
        raise Http404("Only trainees of this program book its sessions")
    return session


def facilitated_session_or_404(user: User, pk: int) -> Session:
    """A session `user` co-facilitates (to take its attendance)."""
    session = session_or_404(user, pk)
    if not any(facilitation.user_id == user.pk for facilitation in session.facilitations.all()):
        raise Http404("Only this session's facilitators take attendance")
    return session


def booking_or_404(user: User, session: Session) -> Booking:
    """`user`'s own booked seat in the session."""
    booking = Booking.objects.filter(session=session, user=user, status=Booking.Status.BOOKED).first()
    if booking is None:
        raise Http404("No booking of yours")
    return booking


def round_booking_or_404(user: User, session: Session) -> Booking:
    """`user`'s own booked seat in any group of the session's round."""
    booking = Booking.objects.filter(user=user, round_key=session.round_key, status=Booking.Status.BOOKED).first()
    if booking is None:
        raise Http404("No seat of yours in this round")
    return booking


def round_group_or_404(user: User, session: Session, group_id: int) -> Session:
    """A group of the session's round (another round's session answers 404)."""
    group = session_or_404(user, group_id)
    if group.round_key != session.round_key:
        raise Http404("Not a group of this round")
    return group


def feedback_booking_or_404(user: User, booking_id: int) -> Booking:
    """One of `user`'s own bookings, with its session, to give feedback on."""
    booking = Booking.objects.select_related("session__topic").filter(pk=booking_id).first()
    if booking is None or booking.user_id != user.pk:
        raise Http404("No booking of yours")
    return booking


def facilitation_or_404(user: User, session: Session) -> Facilitation:
    """`user`'s own place as a co-facilitator of a session that has not started."""
    facilitation = Facilitation.objects.filter(
        session=session, user=user, active=True, session__starts_at__gt=timezone.now()
    ).first()
    if facilitation is None:
        raise Http404("Not a facilitator of this upcoming session")
    return facilitation


def calendar_role_or_404(user: User, session: Session) -> str:
    """How `user` holds a place in the session, for its calendar file: booked, or
    co-facilitating. Anyone else has no calendar entry for it."""
    if Facilitation.objects.filter(session=session, user=user, active=True).exists():
        return CalendarEntry.Role.FACILITATING
    if Booking.objects.filter(session=session, user=user, status=Booking.Status.BOOKED).exists():
        return CalendarEntry.Role.BOOKED
    raise Http404("No place of yours in this session")


def waitlist_entry_or_404(user: User, session: Session) -> WaitlistEntry:
    """`user`'s own place on the session's waitlist, waiting or holding an offer."""
    entry = WaitlistEntry.objects.filter(session=session, user=user, status__in=WaitlistEntry.OPEN).first()
    if entry is None:
        raise Http404("Not on this waitlist")
    return entry


def offer_or_404(user: User, session: Session) -> WaitlistEntry:
    """`user`'s latest offer for the session, or the one just accepted (a second tap
    lands on the booked page too)."""
    entry = (
        WaitlistEntry.objects.filter(
            session=session,
            user=user,
            status__in=(WaitlistEntry.Status.OFFERED, WaitlistEntry.Status.ACCEPTED),
        )
        .order_by("-pk")
        .first()
    )
    if entry is None:
        raise Http404("No open offer")
    return entry


def feed_owner_or_404(token: str) -> User:
    """The active person whose private calendar address this is."""
    user = calendar_feed_owner(token)
    if user is None:
        raise Http404("No such calendar")
    return user


def coordinated_program_or_404(user: User, program_id: int) -> tuple[TrainingProgram, list[TrainingProgram]]:
    """The program if `user` coordinates it, with all the programs they coordinate (and
    their sessions settings, which the roster reads)."""
    programs = list(programs_coordinated_by(user).select_related("session_settings").order_by("name"))
    program = next((p for p in programs if p.pk == program_id), None)
    if program is None:
        raise Http404("Not a program you coordinate")
    return program, programs


def facilitation_kind_for(user: User, session: Session) -> str:
    """The kind of co-facilitation `user` offers in the session's program."""
    holds = holds_role(user=user, program_id=session.program_id, roles=(Role.FACILITATOR,))
    return Facilitation.Kind.FACILITATOR if holds else Facilitation.Kind.WELLNESS_ADVISOR


def coordinated_session_or_404(user: User, pk: int) -> Session:
    """A session of a program `user` coordinates (the office: any)."""
    session = Session.objects.select_related("program", "topic").filter(pk=pk).first()
    if session is None or not programs_coordinated_by(user).filter(pk=session.program_id).exists():
        raise Http404("Not a session of a program you coordinate")
    return session


def coordinated_booking_or_404(user: User, session: Session, booking_id: int) -> Booking:
    """A booked seat in `session`, a session the caller coordinates (checked before)."""
    booking = Booking.objects.select_related("user").filter(pk=booking_id, session=session, status="booked").first()
    if booking is None:
        raise Http404("No such booking in this session")
    return booking


def coordinated_move_target_or_404(session: Session, to_id: int) -> Session:
    """A session a booking of `session` can be moved to: one of the same program."""
    to = Session.objects.filter(pk=to_id, program=session.program_id).first()
    if to is None:
        raise Http404("Not a session of this program")
    return to


def coordinated_waitlist_entry_or_404(session: Session, entry_id: int) -> WaitlistEntry:
    """An open place on `session`'s waitlist, a session the caller coordinates (checked before)."""
    entry = WaitlistEntry.objects.filter(pk=entry_id, session=session, status__in=WaitlistEntry.OPEN).first()
    if entry is None:
        raise Http404("Nobody with that place waits for this session")
    return entry


def program_trainee_or_404(session: Session, user_id: int) -> User:
    """An active trainee of the session's program: the only people a coordinator books in."""
    trainee = User.objects.filter(pk=user_id).first()
    if trainee is None or not holds_role(user=trainee, program_id=session.program_id, roles=(Role.TRAINEE,)):
        raise Http404("Not a trainee of this program")
    return trainee

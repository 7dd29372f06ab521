"""Mentee contacts on a response clock, escalations and away cover.

Escalation notices carry when, never the message. Notifications to mentors (peer or
faculty) never carry a mentee's name either: they are rows that the inbox and email
show as they are, and a peer mentor who has not accepted the program's current
disclosure statement must see no mentee names anywhere. They say "a mentee" and link
to the mentoring page, which shows names only after the statement is accepted. Only
the coordinators' last escalation names the mentee.

Every action on mentee data by a peer mentor goes through `mentee_data_guard()`."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AwayNotice, Channel, Contact, Mentee, MentorPair
from peers.models import Membership, Role, User
from peers.services.notifications import notification_create

STEP_GAP = datetime.timedelta(hours=24)


class DisclosureNotAccepted(PermissionDenied):
    """A peer mentor acted on mentee data before accepting the current statement."""


DISCLOSURE_FIRST = (
    "Please read and accept the program's disclosure and confidentiality statement on your "
    "mentoring page first. Until then you can't see or act on your mentees' information."
)


def disclosure_accepted(*, user: User, pair: MentorPair) -> bool:
    """Whether `user` may see and act on the mentee data of `pair`: always for anyone
    but its peer mentors (faculty mentor, mentees); for a peer mentor, once they have
    accepted the latest version of the program's statement (if there is one)."""
    from mentoring.models import DisclosureAcceptance, DisclosureStatement

    if user.pk not in (pair.third_year_id, pair.fourth_year_id):
        return True
    statement = DisclosureStatement.objects.filter(program=pair.cycle.program_id).order_by("-version").first()
    return statement is None or DisclosureAcceptance.objects.filter(statement=statement, user=user).exists()


def mentee_data_guard(*, user: User, pair: MentorPair) -> None:
    """The one guard every service acting on a pair's mentees calls first."""
    if not disclosure_accepted(user=user, pair=pair):
        raise DisclosureNotAccepted(DISCLOSURE_FIRST)


def answer_hours(pair: MentorPair, channel: str) -> int:
    program = pair.cycle.program
    return program.response_hours_email if channel == Channel.EMAIL else program.response_hours_text_call


def on_duty(pair: MentorPair, day: datetime.date) -> list[User]:
    """Who answers for the pair on `day`: the mentors not away; if both are away, the faculty mentor."""
    return on_duty_by_pair([pair], day)[pair.pk]


def on_duty_by_pair(pairs: list[MentorPair], day: datetime.date) -> dict[int, list[User]]:
    """`on_duty` for many pairs in one query (their mentors loaded with them)."""
    away = set(
        AwayNotice.objects.filter(pair__in=pairs, starts_on__lte=day, ends_on__gte=day).values_list(
            "pair_id", "mentor_id"
        )
    )
    duty = {}
    for pair in pairs:
        present = [mentor for mentor in pair.mentors() if (pair.pk, mentor.pk) not in away]
        duty[pair.pk] = present or [pair.faculty_mentor]
    return duty


def contact_create(
    *,
    mentee: Mentee,
    channel: str,
    message: str = "",
    logged_by: User | None = None,
    received_at: datetime.datetime | None = None,
) -> Contact:
    """A mentee's message through the app, or a text/call/email a mentor logs. Starts the clock."""
    if channel not in Channel.values:
        raise ValidationError("Choose text, call or email.")
    pair = mentee.pair
    if logged_by is not None and logged_by.pk not in (pair.third_year_id, pair.fourth_year_id):
        raise ValidationError("Only this mentee's mentors can log a contact for them.")
    if logged_by is not None:
        mentee_data_guard(user=logged_by, pair=pair)
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError("A contact can't be in the future.")
    contact = Contact.objects.create(
        mentee=mentee,
        pair=pair,
        channel=channel,
        message=message.strip() or None,
        logged_by=logged_by,
        received_at=received_at,
        due_at=received_at + datetime.timedelta(hours=answer_hours(pair, channel)),
    )
    if logged_by is None:
        for mentor in on_duty(pair, timezone.localdate()):
            _notify(
                mentor,
                contact,
                "mentee_contact",
                f"mentee-contact:{contact.pk}:{mentor.pk}",
                f"A mentee reached out ({contact.get_channel_display().lower()})",
                f"One of your mentees would like an answer by {contact.get_channel_display().lower()} "
                f"by {timezone.localtime(contact.due_at):%a %b %-d %H:%M}. Read it and mark it answered on "
                "your mentoring page.",
            )
    return contact


def contact_mark_answered(*, contact: Contact, by: User) -> None:
    """Only the mentors on duty today mark a contact answered: the pair's mentors who
    are not away, or, while both are, the faculty mentor covering for them."""
    pair = contact.pair
    mentee_data_guard(user=by, pair=pair)
    if by.pk not in {person.pk for person in on_duty(pair, timezone.localdate())}:
        raise ValidationError(_not_on_duty(pair, by))
    Contact.objects.filter(pk=contact.pk, answered_at__isnull=True).update(answered_at=timezone.now(), answered_by=by)


def _not_on_duty(pair: MentorPair, by: User) -> str:
    if by.pk in (pair.third_year_id, pair.fourth_year_id):
        return "You're away today, so your partner is on duty: they mark it answered."
    if by.pk == pair.faculty_mentor_id:
        return "The peer mentors are on duty: you mark contacts answered only while both of them are away."
    return "Only the mentors on duty for this mentee can mark it answered."


def contacts_escalate() -> int:
    """Sweep, three steps, each exactly once and none once answered:

    1. at the deadline: the mentors on duty (the partner if one is away; the faculty
       mentor if both are);
    2. 24 hours later: the faculty mentor;
    3. 24 hours after that: the program's coordinators.
    Each contact is claimed with SELECT ... FOR UPDATE SKIP LOCKED and stamped in the
    same transaction as its notifications.
    """
    now = timezone.now()
    steps = (
        ("mentors_alerted_at", Q(due_at__lte=now), _alert_mentors),
        ("faculty_alerted_at", Q(mentors_alerted_at__isnull=False, due_at__lte=now - STEP_GAP), _alert_faculty),
        (
            "coordinator_alerted_at",
            Q(faculty_alerted_at__isnull=False, due_at__lte=now - 2 * STEP_GAP),
            _alert_coordinators,
        ),
    )
    done = 0
    for stamp, condition, alert in steps:
        while True:
            with transaction.atomic():
                contact = (
                    Contact.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related(
                        "pair__cycle__program",
                        "pair__third_year",
                        "pair__fourth_year",
                        "pair__faculty_mentor",
                        "mentee__user",
                    )
                    .filter(condition, answered_at__isnull=True, **{f"{stamp}__isnull": True})
                    .order_by("due_at")
                    .first()
                )
                if contact is None:
                    break
                alert(contact)
                Contact.objects.filter(pk=contact.pk).update(**{stamp: now})
                done += 1
    return done


def _late(contact: Contact, *, who: str = "A mentee") -> str:
    return (
        f"{who} reached out by {contact.get_channel_display().lower()} on "
        f"{timezone.localtime(contact.received_at):%a %b %-d %H:%M} and has had no answer"
    )


def _alert_mentors(contact: Contact) -> None:
    for person in on_duty(contact.pair, timezone.localdate()):
        _notify(
            person,
            contact,
            "contact_overdue",
            f"contact-overdue:{contact.pk}:{person.pk}",
            "A mentee is waiting for an answer",
            _late(contact) + ". Please answer today.",
        )


def _alert_faculty(contact: Contact) -> None:
    person = contact.pair.faculty_mentor
    _notify(
        person,
        contact,
        "contact_escalated_faculty",
        f"contact-faculty:{contact.pk}",
        "A mentee in your cohort is waiting",
        _late(contact) + " for a day past the deadline.",
    )


def _alert_coordinators(contact: Contact) -> None:
    program = contact.pair.cycle.program
    for person in User.objects.filter(
        memberships__in=Membership.objects.active().filter(program=program, role=Role.COORDINATOR)
    ).distinct():
        _notify(
            person,
            contact,
            "contact_escalated_coordinator",
            f"contact-coordinator:{contact.pk}:{person.pk}",
            "A mentee has waited two days past the deadline",
            _late(contact, who=contact.mentee.user.get_full_name()) + " for two days past the deadline.",
        )


def away_post(
    *, mentor: User, pair: MentorPair, starts_on: datetime.date, ends_on: datetime.date, reason: str, tell_mentees: bool
) -> AwayNotice:
    """Post an away notice; the partner is told at once, the mentees if the mentor chooses."""
    if mentor.pk not in (pair.third_year_id, pair.fourth_year_id):
        raise ValidationError("Only the pair's mentors post away notices.")
    mentee_data_guard(user=mentor, pair=pair)  # it may tell the mentees
    notice = AwayNotice(
        mentor=mentor, pair=pair, starts_on=starts_on, ends_on=ends_on, reason=reason.strip(), tell_mentees=tell_mentees
    )
    notice.full_clean()
    notice.save()
    partner = pair.partner_of(mentor)
    when = f"{starts_on:%b %-d} to {ends_on:%b %-d}"
    notification_create(
        recipient=partner,
        kind="mentor_away",
        dedupe_key=f"away:{notice.pk}:{partner.pk}",
        template="generic",
        program=pair.cycle.program,
        link=reverse("mentoring:home"),
        context={
            "subject": f"{mentor.get_short_name()} is away {when}",
            "message": f"{mentor.get_full_name()} is away {when} ({notice.reason}). You answer "
            "for both of you while they are away.",
        },
    )
    if tell_mentees:
        for mentee in pair.mentees.select_related("user"):
            notification_create(
                recipient=mentee.user,
                kind="mentor_away",
                dedupe_key=f"away:{notice.pk}:{mentee.user_id}",
                template="generic",
                program=pair.cycle.program,
                link=reverse("mentoring:home"),
                context={
                    "subject": f"{mentor.get_short_name()} is away {when}",
                    "message": f"{mentor.get_full_name()} is away {when}. {partner.get_full_name()} will "
                    "answer you meanwhile.",
                },
            )
    return notice


def _notify(person: User, contact: Contact, kind: str, key: str, subject: str, message: str) -> None:
    notification_create(
        recipient=person,
        kind=kind,
        dedupe_key=key,
        template="generic",
        program=contact.pair.cycle.program,
        link=reverse("mentoring:home"),
        context={"subject": subject, "message": message},
    )


# --- applications, selection, pairing ------------------------------------------------------------


def application_submit(
    *,
    cycle,
    applicant: User,
    entering_year: int,
    is_md_phd: bool,
    motivation: str,
    experience: str = "",
    preferred_partner: str = "",
    avoid: str = "",
):
    """Apply for the cycle. Preferred partner and people to avoid are given by email and
    must be students of the program; they feed the pairing solver."""
    from mentoring.models import Application

    if not cycle.accepts_applications(timezone.localdate()):
        raise ValidationError("Applications for this cycle are not open right now.")
    if Application.objects.filter(cycle=cycle, applicant=applicant).exists():
        raise ValidationError("You have already applied for this cycle.")
    students = User.objects.filter(
        memberships__program=cycle.program_id, memberships__role__in=[Role.TRAINEE, Role.PEER_MENTOR]
    )
    partner = None
    if preferred_partner:
        partner = students.filter(email__iexact=preferred_partner.strip()).first()
        if partner is None:
            raise ValidationError(f"{preferred_partner} is not a student of {cycle.program}.")
    avoided = [email.strip().lower() for email in avoid.split(",") if email.strip()]
    application = Application(
        cycle=cycle,
        applicant=applicant,
        entering_year=entering_year,
        is_md_phd=is_md_phd,
        motivation=motivation.strip(),
        experience=experience.strip(),
        preferred_partner=partner,
    )
    application.full_clean()
    application.save()
    application.avoid.set(students.filter(email__in=avoided).distinct())
    return application


def applications_select(*, cycle, waitlist_size: int = 5) -> dict[str, int]:
    """Select up to the positions of each entering year by total interview score (ties:
    the earlier application), waitlist the next ones, decline the rest, and tell everyone.
    Applications without a complete interview are not decided."""
    from mentoring.models import Application

    counts = {"selected": 0, "waitlisted": 0, "declined": 0}
    with transaction.atomic():
        for year, positions in ((3, cycle.positions_third_year), (4, cycle.positions_fourth_year)):
            scored = [
                a
                for a in Application.objects.select_for_update(of=("self",))
                .filter(cycle=cycle, entering_year=year, status="submitted")
                .select_related("interview", "applicant")
                if hasattr(a, "interview") and a.interview.total
            ]
            scored.sort(key=lambda a: (-a.interview.total, a.submitted_at, a.pk))
            for rank, application in enumerate(scored):
                status = (
                    "selected" if rank < positions else "waitlisted" if rank < positions + waitlist_size else "declined"
                )
                application.status = status
                application.save(update_fields=["status"])
                counts[status] += 1
                _tell_applicant(application)
    return counts


def _tell_applicant(application) -> None:
    messages = {
        "selected": "Congratulations: you have been selected as a peer mentor. Your pair and mentees follow.",
        "waitlisted": "You are on the waitlist of peer mentors. We'll tell you if a place opens.",
        "declined": "Thank you for applying. This year we could not offer you a place as a peer mentor.",
    }
    notification_create(
        recipient=application.applicant,
        kind="mentor_application",
        dedupe_key=f"application:{application.pk}:{application.status}",
        template="generic",
        program=application.cycle.program,
        link=reverse("mentoring:home"),
        context={"subject": "Your peer mentor application", "message": messages[application.status]},
    )


def pairing_propose(*, cycle, md_phd: bool = False):
    """The solver's proposal for the cycle's selected mentors (the MD/PhD peer mentors
    separately, with md_phd=True) and its faculty mentors."""
    from mentoring import pairing
    from mentoring.models import Application

    selected = (
        Application.objects.filter(cycle=cycle, status="selected", is_md_phd=md_phd)
        .select_related("applicant", "interview")
        .prefetch_related("avoid")
    )
    communities = dict(
        Membership.objects.active()
        .filter(program=cycle.program_id, role=Role.TRAINEE)
        .values_list("user_id", "learning_community_id")
    )

    def candidate(application) -> pairing.Candidate:
        interview = getattr(application, "interview", None)
        return pairing.Candidate(
            user_id=application.applicant_id,
            name=application.applicant.get_full_name(),
            learning_community_id=communities.get(application.applicant_id),
            experience=(interview.prior_experience if interview and interview.prior_experience else 3),
            preferred_partner_id=application.preferred_partner_id,
            avoid=frozenset(person.pk for person in application.avoid.all()),
        )

    faculty = [
        pairing.Faculty(m.user_id, m.user.get_full_name(), m.learning_community_id)
        for m in Membership.objects.active()
        .filter(program=cycle.program_id, role=Role.FACULTY_MENTOR)
        .select_related("user")
    ]
    return pairing.propose(
        [candidate(a) for a in selected if a.entering_year == 3],
        [candidate(a) for a in selected if a.entering_year == 4],
        faculty,
    )


def pairing_save_proposal(*, cycle) -> int:
    """Replace the cycle's unpublished pairs with the solver's proposal, for review: the
    regular pairs, then the MD/PhD pairs, who mentor all MD/PhD students."""
    proposals = [(False, p) for p in pairing_propose(cycle=cycle)[0]]
    proposals += [(True, p) for p in pairing_propose(cycle=cycle, md_phd=True)[0]]
    with transaction.atomic():
        if MentorPair.objects.filter(cycle=cycle, published_at__isnull=False).exists():
            raise ValidationError("This cycle's pairs are published; edit them one by one.")
        MentorPair.objects.filter(cycle=cycle).delete()
        for md_phd, proposed in proposals:
            if proposed.faculty is None:
                raise ValidationError("There are no faculty mentors in this program to assign pairs to.")
            MentorPair.objects.create(
                cycle=cycle,
                third_year_id=proposed.third.user_id,
                fourth_year_id=proposed.fourth.user_id,
                faculty_mentor_id=proposed.faculty.user_id,
                learning_community_id=proposed.third.learning_community_id,
                is_md_phd=md_phd,
                reasons="; ".join(proposed.reasons),
            )
    return len(proposals)


def pairing_publish(*, cycle) -> int:
    """Publish the reviewed pairs: every mentor, faculty mentor and mentee learns who their people are."""
    told = 0
    with transaction.atomic():
        pairs = list(
            MentorPair.objects.select_for_update()
            .filter(cycle=cycle, published_at__isnull=True)
            .select_related("third_year", "fourth_year", "faculty_mentor")
        )
        for pair in pairs:
            pair.published_at = timezone.now()
            pair.save(update_fields=["published_at"])
            names = f"{pair.third_year.get_full_name()} and {pair.fourth_year.get_full_name()}"
            people = [*pair.mentors(), pair.faculty_mentor, *[m.user for m in pair.mentees.select_related("user")]]
            for person in people:
                notification_create(
                    recipient=person,
                    kind="pairs_published",
                    dedupe_key=f"pair-published:{pair.pk}:{person.pk}",
                    template="generic",
                    program=cycle.program,
                    link=reverse("mentoring:home"),
                    context={
                        "subject": "Your mentoring group",
                        "message": f"Peer mentors {names}, with faculty mentor "
                        f"{pair.faculty_mentor.get_full_name()}. See everyone on PEERS.",
                    },
                )
                told += 1
    return told


def disclosure_pending(user: User):
    """The current statement `user` still has to accept as a peer mentor, if any."""
    from mentoring.models import DisclosureAcceptance, DisclosureStatement

    pair = (
        MentorPair.objects.filter(Q(third_year=user) | Q(fourth_year=user))
        .select_related("cycle")
        .order_by("-cycle__starts_on")
        .first()
    )
    if pair is None:
        return None
    statement = DisclosureStatement.objects.filter(program=pair.cycle.program_id).order_by("-version").first()
    if statement is None or DisclosureAcceptance.objects.filter(statement=statement, user=user).exists():
        return None
    return statement


def disclosure_accept(*, user: User, statement) -> None:
    from mentoring.models import DisclosureAcceptance

    DisclosureAcceptance.objects.get_or_create(statement=statement, user=user)


# --- duties: meetings, monthly contact, reminders ------------------------------------------------


def meeting_log(
    *, pair: MentorPair, by: User, held_on: datetime.date, mode: str, kind: str, mentees: list, notes: str = ""
):
    from mentoring.models import Meeting

    if by.pk not in (pair.third_year_id, pair.fourth_year_id):
        raise ValidationError("Only the pair's mentors log its meetings.")
    mentee_data_guard(user=by, pair=pair)
    if held_on > timezone.localdate():
        raise ValidationError("A meeting can't be logged before it happens.")
    if not mentees or any(m.pair_id != pair.pk for m in mentees):
        raise ValidationError("Choose the mentees who were there.")
    meeting = Meeting(pair=pair, held_on=held_on, mode=mode, kind=kind, notes=notes.strip() or None, logged_by=by)
    meeting.full_clean(exclude=["mentees"])
    meeting.save()
    meeting.mentees.set(mentees)
    return meeting


def outreach_log(*, mentee: Mentee, by: User, on: datetime.date, channel: str):
    from mentoring.models import Outreach

    if by.pk not in (mentee.pair.third_year_id, mentee.pair.fourth_year_id):
        raise ValidationError("Only this mentee's mentors log contact with them.")
    mentee_data_guard(user=by, pair=mentee.pair)
    outreach = Outreach(mentee=mentee, mentor=by, on=on, channel=channel)
    outreach.full_clean()
    outreach.save()
    return outreach


def duty_status(pair: MentorPair, today: datetime.date) -> dict[int, dict]:
    return duty_statuses([pair], today)


def duty_statuses(pairs: list[MentorPair], today: datetime.date) -> dict[int, dict]:
    """Per mentee of the pairs: met this semester, contacted this month (a meeting, an
    outreach, or an answered contact). Four queries, however many pairs."""
    from mentoring.models import Meeting, Outreach

    if not pairs:
        return {}
    month_start = today.replace(day=1)
    semester_starts = {pair.pk: (pair.cycle.semester_of(today) or (None, None))[0] for pair in pairs}
    meetings = Meeting.objects.filter(pair__in=pairs, held_on__lte=today).values_list("pair_id", "held_on", "mentees")
    met, contacted = set(), set()
    for pair_id, held_on, mentee_id in meetings:
        if semester_starts[pair_id] and held_on >= semester_starts[pair_id]:
            met.add(mentee_id)
        if held_on >= month_start:
            contacted.add(mentee_id)
    contacted |= set(
        Outreach.objects.filter(mentee__pair__in=pairs, on__gte=month_start, on__lte=today).values_list(
            "mentee_id", flat=True
        )
    )
    contacted |= set(
        Contact.objects.filter(pair__in=pairs, answered_at__date__gte=month_start).values_list("mentee_id", flat=True)
    )
    mentees = Mentee.objects.filter(pair__in=pairs).values_list("pk", flat=True)
    return {pk: {"met": pk in met, "contacted": pk in contacted} for pk in mentees}


def duties_remind() -> int:
    """Sweep: from the 21st, mentors with a mentee not contacted this month are reminded;
    at mid-semester and again three weeks before its end, mentors with mentees not yet met.
    Each reminder once (its dedupe key names the month or the milestone)."""
    today = timezone.localdate()
    sent = 0
    for pair in MentorPair.objects.filter(published_at__isnull=False, cycle__ends_on__gte=today).select_related(
        "cycle__program", "third_year", "fourth_year"
    ):
        status = duty_status(pair, today)
        if today.day >= 21:
            missing = sum(1 for s in status.values() if not s["contacted"])
            sent += _remind(
                pair,
                missing,
                f"month-{today:%Y-%m}",
                "Monthly contact",
                "{} not heard from you this month.",
            )
        semester = pair.cycle.semester_of(today)
        if semester:
            start, end = semester
            for label, when in (("mid", start + (end - start) / 2), ("late", end - datetime.timedelta(weeks=3))):
                if today >= when:
                    missing = sum(1 for s in status.values() if not s["met"])
                    sent += _remind(
                        pair,
                        missing,
                        f"meet-{start:%Y-%m-%d}-{label}",
                        "Meeting each mentee",
                        "{} not met you yet this semester.",
                    )
    return sent


def _remind(pair: MentorPair, missing: int, key: str, subject: str, sentence: str) -> int:
    """Remind both mentors how many mentees are missing; the mentoring page says who."""
    if not missing:
        return 0
    mentees = "One of your mentees has" if missing == 1 else f"{missing} of your mentees have"
    message = sentence.format(mentees) + " See who on your mentoring page."
    created = 0
    for mentor in pair.mentors():
        _, new = notification_create(
            recipient=mentor,
            kind="mentor_duty",
            dedupe_key=f"duty:{pair.pk}:{key}:{mentor.pk}",
            template="generic",
            program=pair.cycle.program,
            link=reverse("mentoring:home"),
            context={"subject": subject, "message": message},
        )
        created += new
    return created


def cohorts_assign(*, cycle) -> int:
    """Give every first- and second-year student of the program without a pair one:
    MD/PhD students to the MD/PhD pairs; the others to a pair of their learning
    community, the smallest first (any pair if their community has none). Deterministic."""
    pairs = list(MentorPair.objects.filter(cycle=cycle).order_by("pk"))
    sizes = {pair.pk: pair.mentees.count() for pair in pairs}
    placed = set(Mentee.objects.filter(cycle=cycle).values_list("user_id", flat=True))
    students = (
        Membership.objects.active()
        .filter(program=cycle.program_id, role=Role.TRAINEE, class_year__in=[1, 2])
        .exclude(user__in=placed)
        .order_by("user_id")
    )
    created = []
    for student in students:
        pool = [p for p in pairs if p.is_md_phd == student.is_md_phd]
        local = [
            p for p in pool if p.learning_community_id and p.learning_community_id == student.learning_community_id
        ]
        choices = local or pool
        if not choices:
            continue
        pair = min(choices, key=lambda p: (sizes[p.pk], p.pk))
        sizes[pair.pk] += 1
        created.append(Mentee(cycle=cycle, pair=pair, user_id=student.user_id))
    Mentee.objects.bulk_create(created)
    return len(created)


def interview_score(
    *, interview, by: User, understanding: int, prior_experience: int, dedication: int, professionalism: int
) -> None:
    """The interviewer (a faculty mentor or coordinator assigned to it) records the four scores."""
    if interview.interviewer_id != by.pk:
        raise ValidationError("Only the assigned interviewer scores this interview.")
    if interview.application.status != "submitted":
        raise ValidationError("This application has already been decided.")
    interview.understanding, interview.prior_experience = understanding, prior_experience
    interview.dedication, interview.professionalism = dedication, professionalism
    interview.full_clean()
    interview.save(update_fields=["understanding", "prior_experience", "dedication", "professionalism"])

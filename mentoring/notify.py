"""Mentoring's notifications, one function per kind. Words live in
templates/notifications/<kind>.*; every time is shown in the recipient's zone.

Notices to mentors (peer or faculty) never name a mentee: a peer mentor who has not
accepted the program's current disclosure statement must see no mentee names anywhere,
so these functions hand their templates the channel and the times, never the contact or
the mentee. Only the coordinators' last escalation names the mentee. No notice carries
what a mentee wrote or a referral's note."""

from django.urls import reverse

from mentoring.models import (
    Application,
    AwayNotice,
    ChangeRequest,
    Contact,
    ContactReply,
    FacultySummary,
    Interview,
    MentorPair,
    MentorReferral,
    PairChange,
    Survey,
)
from peers.models import TrainingProgram, User
from peers.services.notifications import NotificationDraft, notification_create, notifications_create_many

DUTY_CONTACT, DUTY_MEETING = "contact", "meeting"  # the two reminders of kind mentor_duty


def _send(kind: str, recipient: User, *, key: str, program: TrainingProgram, context: dict, link: str = "") -> bool:
    """One notification of `kind`, rendered from templates/notifications/<kind>.*; True if new."""
    _, created = notification_create(
        recipient=recipient,
        kind=kind,
        dedupe_key=key,
        template=kind,
        program=program,
        link=link or reverse("mentoring:home"),
        context=context,
    )
    return created


def _about_contact(contact: Contact) -> dict:
    """What a mentor-facing notice may say about a contact: how and when, never who or what."""
    return {
        "channel": contact.get_channel_display().lower(),
        "received_at": contact.received_at,
        "due_at": contact.due_at,
    }


def mentee_contact(contact: Contact, mentor: User) -> None:
    """A mentee wrote through the app: tell a mentor on duty when the answer is due."""
    _send(
        "mentee_contact",
        mentor,
        key=f"mentee-contact:{contact.pk}:{mentor.pk}",
        program=contact.pair.cycle.program,
        context=_about_contact(contact),
    )


def _draft(kind: str, recipient: User, *, key: str, program: TrainingProgram, context: dict) -> NotificationDraft:
    """A sweep's notification of `kind`, to be created with its batch (`notifications_create_many`)."""
    return NotificationDraft(
        recipient=recipient,
        kind=kind,
        dedupe_key=key,
        template=kind,
        program=program,
        link=reverse("mentoring:home"),
        context=context,
    )


def contact_overdue(alerts: list[tuple[Contact, User]]) -> int:
    """The first escalation, at the deadline, to a mentor on duty: a sweep's (contact,
    mentor) alerts created together in a fixed number of queries. Returns how many were new."""
    return notifications_create_many(
        [
            _draft(
                "contact_overdue",
                mentor,
                key=f"contact-overdue:{contact.pk}:{mentor.pk}",
                program=contact.pair.cycle.program,
                context=_about_contact(contact),
            )
            for contact, mentor in alerts
        ]
    )


def contact_escalated_faculty(alerts: list[tuple[Contact, bool]]) -> int:
    """The second escalation, a day past the deadline, to the pair's faculty mentor; while
    they cover (both peer mentors away, or the one of a pair with one mentor: the bool of
    each (contact, covering) alert) it
    asks them to answer, not to check in with the peer mentors. Created together."""
    return notifications_create_many(
        [
            _draft(
                "contact_escalated_faculty",
                contact.pair.faculty_mentor,
                key=f"contact-faculty:{contact.pk}",
                program=contact.pair.cycle.program,
                context={
                    **_about_contact(contact),
                    "covering": covering,
                    "one_mentor": contact.pair.vacant_seat is not None,
                },
            )
            for contact, covering in alerts
        ]
    )


def contact_escalated_coordinator(alerts: list[tuple[Contact, User]]) -> int:
    """The last escalation, two days past the deadline: the coordinators learn who waits.
    A sweep's (contact, coordinator) alerts, created together."""
    return notifications_create_many(
        [
            _draft(
                "contact_escalated_coordinator",
                coordinator,
                key=f"contact-coordinator:{contact.pk}:{coordinator.pk}",
                program=contact.pair.cycle.program,
                context={**_about_contact(contact), "mentee_name": contact.mentee.user.get_full_name()},
            )
            for contact, coordinator in alerts
        ]
    )


def mentor_away(notice: AwayNotice, recipient: User, *, both_away: tuple | None = None) -> None:
    """Tell the partner (who covers, and sees the reason) or a mentee (who is told who
    answers). `both_away`: (first, last day) when the partner is away too, when the
    faculty mentor answers instead; never "the partner will answer" for those days."""
    partner = notice.pair.partner_of(notice.mentor)
    _send(
        "mentor_away",
        recipient,
        key=f"away:{notice.pk}:{recipient.pk}",
        program=notice.pair.cycle.program,
        context={
            "notice": notice,
            "partner": partner,
            "to_partner": partner is not None and recipient.pk == partner.pk,
            "both_away": both_away,
            "faculty": notice.pair.faculty_mentor,
        },
    )


def mentor_back(notice: AwayNotice, recipient: User) -> None:
    """The mentor ended their away notice early: tell whoever was told of the absence
    (the partner, the mentees if they were told, the faculty mentor who was to cover) that
    they answer again."""
    _send(
        "mentor_back",
        recipient,
        key=f"away-ended:{notice.pk}:{recipient.pk}",
        program=notice.pair.cycle.program,
        context={
            "notice": notice,
            "to_partner": recipient.pk == getattr(notice.pair.partner_of(notice.mentor), "pk", None),
            "alone": notice.pair.partner_of(notice.mentor) is None,  # a pair with one mentor
            "to_faculty": recipient.pk == notice.pair.faculty_mentor_id,
            "never_began": notice.ends_on < notice.starts_on,
        },
    )


def faculty_covering(pair: MentorPair, recipient: User, *, starts_on, ends_on) -> None:
    """Both peer mentors are away from `starts_on` to `ends_on` (or the one mentor of a
    pair with an empty seat, `one_mentor` in the words): tell the faculty mentor,
    once, that they cover (they see and answer the pair's contacts then), or a mentee who
    answers them then. Never names a mentee, never says why the mentors are away."""
    _send(
        "faculty_covering",
        recipient,
        key=f"covering:{pair.pk}:{starts_on:%Y%m%d}:{ends_on:%Y%m%d}:{recipient.pk}",
        program=pair.cycle.program,
        context={
            "faculty": pair.faculty_mentor,
            "to_faculty": recipient.pk == pair.faculty_mentor_id,
            "one_mentor": pair.vacant_seat is not None,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )


def mentee_follow_up(reply: ContactReply, mentor: User) -> None:
    """The mentee added to their thread: tell a mentor on duty (how and when, never who or what)."""
    _send(
        "mentee_follow_up",
        mentor,
        key=f"mentee-follow-up:{reply.pk}:{mentor.pk}",
        program=reply.contact.pair.cycle.program,
        context=_about_contact(reply.contact),
        link=reverse("mentoring:thread", args=[reply.contact_id]),
    )


def contact_replied(reply: ContactReply) -> None:
    """Tell the mentee that a mentor answered in the app; the words stay in the app."""
    contact = reply.contact
    _send(
        "contact_replied",
        contact.mentee.user,
        key=f"contact-replied:{reply.pk}",
        program=contact.pair.cycle.program,
        context={"author": reply.author, "received_at": contact.received_at},
        link=reverse("mentoring:thread", args=[contact.pk]),
    )


def mentor_application(application: Application) -> None:
    """Tell the applicant the decision on their application (selected, waitlisted or not)."""
    _send(
        "mentor_application",
        application.applicant,
        key=f"application:{application.pk}:{application.status}",
        program=application.cycle.program,
        context={
            "status": application.status,
            "Status": Application.Status,
            "expires_at": application.offer_expires_at,
        },
        link=reverse("mentoring:apply"),
    )


def pairs_published(pair: MentorPair, person: User) -> None:
    """Tell a mentor, the faculty mentor or a mentee who their mentoring group is."""
    _send(
        "pairs_published",
        person,
        key=f"pair-published:{pair.pk}:{person.pk}",
        program=pair.cycle.program,
        context={"pair": pair},
    )


def mentor_duty(reminders: list[tuple[MentorPair, User, str, int, str]]) -> int:
    """Remind mentors how many mentees miss a contact this month (DUTY_CONTACT) or a
    meeting this semester (DUTY_MEETING); the mentoring page says who. A sweep's
    reminders, (pair, mentor, duty, missing, key) each, are created together in a fixed
    number of queries. Returns how many were new."""
    link = reverse("mentoring:home")
    return notifications_create_many(
        [
            NotificationDraft(
                recipient=mentor,
                kind="mentor_duty",
                dedupe_key=f"duty:{pair.pk}:{key}:{mentor.pk}",
                template="mentor_duty",
                program=pair.cycle.program,
                link=link,
                context={"duty": duty, "missing": missing, "DUTY_CONTACT": DUTY_CONTACT},
            )
            for pair, mentor, duty, missing, key in reminders
        ]
    )


def survey(survey: Survey, person: User) -> None:
    """Invite one person of the survey's audience."""
    _send(
        "survey",
        person,
        key=f"survey:{survey.pk}:{person.pk}",
        program=survey.cycle.program,
        context={"survey": survey},
        link=reverse("mentoring:survey", args=[survey.pk]),
    )


def pair_feedback(pair: MentorPair, mentee: User, *, semester_ends_on, closes_on) -> None:
    """Invite a mentee to give anonymous feedback on their pair after a semester."""
    _send(
        "pair_feedback",
        mentee,
        key=f"pair-feedback:{pair.pk}:{semester_ends_on:%Y-%m-%d}:{mentee.pk}",
        program=pair.cycle.program,
        context={"pair": pair, "closes_on": closes_on},
        link=reverse("mentoring:pair_feedback"),
    )


def mentor_referral(referral: MentorReferral, person: User) -> None:
    """Tell the faculty mentor or a coordinator that there is a referral and its
    category; the note stays in the app."""
    _send(
        "mentor_referral",
        person,
        key=f"mentor-referral:{referral.pk}:{person.pk}",
        program=referral.pair.cycle.program,
        context={
            "category": referral.get_category_display().lower(),
            "mentor": referral.mentor,
            "created_at": referral.created_at,
        },
        link=reverse("mentoring:referral_detail", args=[referral.pk]),
    )


def interview_move_requested(interview: Interview, coordinator: User) -> None:
    """Tell a coordinator that an applicant asks to move their interview, and what suits them."""
    _send(
        "interview_move_requested",
        coordinator,
        key=f"interview-move:{interview.pk}:{interview.move_requested_at:%Y%m%d%H%M%S}:{coordinator.pk}",
        program=interview.application.cycle.program,
        context={"interview": interview, "applicant": interview.application.applicant},
        link=reverse("admin:mentoring_application_change", args=[interview.application_id]),
    )


def interview_scheduled(interview: Interview) -> None:
    """Tell the applicant their interview's (new) time, in their zone."""
    _send(
        "interview_scheduled",
        interview.application.applicant,
        key=f"interview-at:{interview.pk}:{interview.scheduled_at:%Y%m%d%H%M}",
        program=interview.application.cycle.program,
        context={"scheduled_at": interview.scheduled_at},
        link=reverse("mentoring:apply"),
    )


def referral_acknowledged(referral: MentorReferral) -> None:
    """Tell the mentor who referred that it reached someone (never the outcome)."""
    _send(
        "referral_acknowledged",
        referral.mentor,
        key=f"referral-acknowledged:{referral.pk}",
        program=referral.pair.cycle.program,
        context={
            "category": referral.get_category_display().lower(),
            "by": referral.acknowledged_by,
            "created_at": referral.created_at,
        },
        link=reverse("mentoring:referral_detail", args=[referral.pk]),
    )


def faculty_summary(summaries: list[tuple[FacultySummary, User, list[dict]]]) -> int:
    """The faculty mentor's monthly summary: per pair (by its mentors' names), how many
    mentees were contacted that month and met this semester; never a mentee's name. A
    sweep's (summary, faculty mentor, rows) are created together. Returns how many were new."""
    return notifications_create_many(
        [
            _draft(
                "faculty_summary",
                faculty,
                key=f"faculty-summary:{summary.pk}",
                program=summary.cycle.program,
                context={"summary": summary, "rows": rows},
            )
            for summary, faculty, rows in summaries
        ]
    )


# --- re-pairing, requests for a change, withdrawals ----------------------------------------------


def mentee_moved(change: PairChange, person: User, *, side: str) -> None:
    """A mentee's place moved: the mentee learns their new mentors ("mentee"); the mentors
    and faculty mentor of the pair left ("left") and joined ("joined") learn that a mentee
    moved, never who (their mentoring page says who to those who may see it)."""
    _send(
        "mentee_moved",
        person,
        key=f"pair-change:{change.pk}:{person.pk}",
        program=change.cycle.program,
        context={"side": side, "pair": change.to_pair, "dissolved": change.pair.dissolved_at is not None},
    )


def mentor_replaced(change: PairChange, person: User, *, filling: bool = False) -> None:
    """A mentor of the pair was replaced: the mentor who leaves, the one who comes in, the
    partner, the faculty mentor and the mentees are each told once. `filling`: the seat
    was empty (its mentor had moved to another pair), nobody leaves."""
    _send(
        "mentor_replaced",
        person,
        key=f"pair-change:{change.pk}:{person.pk}",
        program=change.cycle.program,
        context={
            "change": change,
            "pair": change.pair,
            "leaving": person.pk == change.mentor_out_id,
            "joining": person.pk == change.mentor_in_id,
            "filling": filling,
        },
    )


def mentor_taken(change: PairChange, pair: MentorPair, person: User) -> None:
    """A coordinator took a mentor of `pair` to replace someone in another pair: the
    mentor who stays, the faculty mentor and the mentees are told once that the pair goes
    on with one mentor (the key is the change's, as the replacement's notices are)."""
    remaining = pair.mentors()[0]  # the database keeps at least one
    _send(
        "mentor_taken",
        person,
        key=f"pair-change:{change.pk}:{person.pk}",
        program=change.cycle.program,
        context={
            "change": change,
            "pair": pair,
            "remaining": remaining,
            "to_remaining": person.pk == remaining.pk,
            "to_faculty": person.pk == pair.faculty_mentor_id,
        },
    )


def pair_dissolved(change: PairChange, pair: MentorPair, person: User) -> None:
    """Tell a mentor or the faculty mentor of a dissolved pair."""
    _send(
        "pair_dissolved",
        person,
        key=f"pair-change:{change.pk}:{person.pk}",
        program=change.cycle.program,
        context={"pair": pair},
    )


def change_request_received(change_request: ChangeRequest, coordinator: User) -> None:
    """Tell a coordinator there is a private request for a change; the text stays in the app."""
    _send(
        "change_request_received",
        coordinator,
        key=f"change-request:{change_request.pk}:{coordinator.pk}",
        program=change_request.pair.cycle.program,
        context={"as_mentee": change_request.as_mentee, "created_at": change_request.created_at},
        link=reverse("mentoring:repairing", args=[change_request.pair.cycle_id]),
    )


def change_request_resolved(change_request: ChangeRequest) -> None:
    """Tell the person who asked that a coordinator has dealt with their request."""
    _send(
        "change_request_resolved",
        change_request.requester,
        key=f"change-request-resolved:{change_request.pk}",
        program=change_request.pair.cycle.program,
        context={"created_at": change_request.created_at, "by": change_request.resolved_by},
    )


def application_withdrawn(application: Application, coordinator: User, *, was: str) -> None:
    """Tell a coordinator, once per application, that an applicant withdrew or declined, or
    that an offered place lapsed unanswered."""
    _send(
        "application_withdrawn",
        coordinator,
        key=f"application-withdrawn:{application.pk}:{coordinator.pk}",
        program=application.cycle.program,
        context={"application": application, "applicant": application.applicant, "was": was},
        link=reverse("admin:mentoring_application_change", args=[application.pk]),
    )

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
    Contact,
    FacultySummary,
    Interview,
    MentorPair,
    MentorReferral,
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


def contact_overdue(contact: Contact, mentor: User) -> None:
    """The first escalation, at the deadline, to a mentor on duty."""
    _send(
        "contact_overdue",
        mentor,
        key=f"contact-overdue:{contact.pk}:{mentor.pk}",
        program=contact.pair.cycle.program,
        context=_about_contact(contact),
    )


def contact_escalated_faculty(contact: Contact) -> None:
    """The second escalation, a day past the deadline, to the pair's faculty mentor."""
    _send(
        "contact_escalated_faculty",
        contact.pair.faculty_mentor,
        key=f"contact-faculty:{contact.pk}",
        program=contact.pair.cycle.program,
        context=_about_contact(contact),
    )


def contact_escalated_coordinator(contact: Contact, coordinator: User) -> None:
    """The last escalation, two days past the deadline: the coordinators learn who waits."""
    _send(
        "contact_escalated_coordinator",
        coordinator,
        key=f"contact-coordinator:{contact.pk}:{coordinator.pk}",
        program=contact.pair.cycle.program,
        context={**_about_contact(contact), "mentee_name": contact.mentee.user.get_full_name()},
    )


def mentor_away(notice: AwayNotice, recipient: User) -> None:
    """Tell the partner (who covers, and sees the reason) or a mentee (who is told who answers)."""
    partner = notice.pair.partner_of(notice.mentor)
    _send(
        "mentor_away",
        recipient,
        key=f"away:{notice.pk}:{recipient.pk}",
        program=notice.pair.cycle.program,
        context={"notice": notice, "partner": partner, "to_partner": recipient.pk == partner.pk},
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


def faculty_summary(summary: FacultySummary, faculty: User, rows: list[dict]) -> None:
    """The faculty mentor's monthly summary: per pair (by its mentors' names), how many
    mentees were contacted that month and met this semester; never a mentee's name."""
    _send(
        "faculty_summary",
        faculty,
        key=f"faculty-summary:{summary.pk}",
        program=summary.cycle.program,
        context={"summary": summary, "rows": rows},
    )

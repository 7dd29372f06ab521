"""Mentoring's notifications, one function per kind. Words live in
templates/notifications/<kind>.*; every time is shown in the recipient's zone.

Notices to mentors (peer or faculty) never name a mentee: a peer mentor who has not
accepted the program's current disclosure statement must see no mentee names anywhere,
so these functions hand their templates the channel and the times, never the contact or
the mentee. Only the coordinators' last escalation names the mentee. No notice carries
what a mentee wrote or a referral's note."""

from django.urls import reverse

from mentoring.models import Application, AwayNotice, Contact, MentorPair, MentorReferral, Survey
from peers.models import User
from peers.services.notifications import notification_create

DUTY_CONTACT, DUTY_MEETING = "contact", "meeting"  # the two reminders of kind mentor_duty


def _home() -> str:
    return reverse("mentoring:home")


def _about_contact(contact: Contact) -> dict:
    """What a mentor-facing notice may say about a contact: how and when, never who or what."""
    return {
        "channel": contact.get_channel_display().lower(),
        "received_at": contact.received_at,
        "due_at": contact.due_at,
    }


def mentee_contact(contact: Contact, mentor: User) -> None:
    """A mentee wrote through the app: tell a mentor on duty when the answer is due."""
    notification_create(
        recipient=mentor,
        kind="mentee_contact",
        dedupe_key=f"mentee-contact:{contact.pk}:{mentor.pk}",
        template="mentee_contact",
        program=contact.pair.cycle.program,
        link=_home(),
        context=_about_contact(contact),
    )


def contact_overdue(contact: Contact, mentor: User) -> None:
    """The first escalation, at the deadline, to a mentor on duty."""
    notification_create(
        recipient=mentor,
        kind="contact_overdue",
        dedupe_key=f"contact-overdue:{contact.pk}:{mentor.pk}",
        template="contact_overdue",
        program=contact.pair.cycle.program,
        link=_home(),
        context=_about_contact(contact),
    )


def contact_escalated_faculty(contact: Contact) -> None:
    """The second escalation, a day past the deadline, to the pair's faculty mentor."""
    notification_create(
        recipient=contact.pair.faculty_mentor,
        kind="contact_escalated_faculty",
        dedupe_key=f"contact-faculty:{contact.pk}",
        template="contact_escalated_faculty",
        program=contact.pair.cycle.program,
        link=_home(),
        context=_about_contact(contact),
    )


def contact_escalated_coordinator(contact: Contact, coordinator: User) -> None:
    """The last escalation, two days past the deadline: the coordinators learn who waits."""
    notification_create(
        recipient=coordinator,
        kind="contact_escalated_coordinator",
        dedupe_key=f"contact-coordinator:{contact.pk}:{coordinator.pk}",
        template="contact_escalated_coordinator",
        program=contact.pair.cycle.program,
        link=_home(),
        context={**_about_contact(contact), "mentee_name": contact.mentee.user.get_full_name()},
    )


def mentor_away(notice: AwayNotice, recipient: User) -> None:
    """Tell the partner (who covers, and sees the reason) or a mentee (who is told who answers)."""
    partner = notice.pair.partner_of(notice.mentor)
    notification_create(
        recipient=recipient,
        kind="mentor_away",
        dedupe_key=f"away:{notice.pk}:{recipient.pk}",
        template="mentor_away",
        program=notice.pair.cycle.program,
        link=_home(),
        context={"notice": notice, "partner": partner, "to_partner": recipient.pk == partner.pk},
    )


def mentor_application(application: Application) -> None:
    """Tell the applicant the decision on their application (selected, waitlisted or not)."""
    notification_create(
        recipient=application.applicant,
        kind="mentor_application",
        dedupe_key=f"application:{application.pk}:{application.status}",
        template="mentor_application",
        program=application.cycle.program,
        link=_home(),
        context={"status": application.status, "Status": Application.Status},
    )


def pairs_published(pair: MentorPair, person: User) -> None:
    """Tell a mentor, the faculty mentor or a mentee who their mentoring group is."""
    notification_create(
        recipient=person,
        kind="pairs_published",
        dedupe_key=f"pair-published:{pair.pk}:{person.pk}",
        template="pairs_published",
        program=pair.cycle.program,
        link=_home(),
        context={"pair": pair},
    )


def mentor_duty(pair: MentorPair, mentor: User, *, duty: str, missing: int, key: str) -> bool:
    """Remind a mentor how many mentees miss a contact this month (DUTY_CONTACT) or a
    meeting this semester (DUTY_MEETING); the mentoring page says who. True if new."""
    _, created = notification_create(
        recipient=mentor,
        kind="mentor_duty",
        dedupe_key=f"duty:{pair.pk}:{key}:{mentor.pk}",
        template="mentor_duty",
        program=pair.cycle.program,
        link=_home(),
        context={"duty": duty, "missing": missing, "DUTY_CONTACT": DUTY_CONTACT},
    )
    return created


def survey(survey: Survey, person: User) -> None:
    """Invite one person of the survey's audience."""
    notification_create(
        recipient=person,
        kind="survey",
        dedupe_key=f"survey:{survey.pk}:{person.pk}",
        template="survey",
        program=survey.cycle.program,
        link=reverse("mentoring:survey", args=[survey.pk]),
        context={"survey": survey},
    )


def mentor_referral(referral: MentorReferral, person: User) -> None:
    """Tell the faculty mentor or a coordinator that there is a referral and its
    category; the note stays in the app."""
    notification_create(
        recipient=person,
        kind="mentor_referral",
        dedupe_key=f"mentor-referral:{referral.pk}:{person.pk}",
        template="mentor_referral",
        program=referral.pair.cycle.program,
        link=_home(),
        context={
            "category": referral.get_category_display().lower(),
            "mentor": referral.mentor,
            "created_at": referral.created_at,
        },
    )

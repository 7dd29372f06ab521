"""The role journeys, in one place: who signs in, and every page their work happens on.

`peers/tests/test_browser_roles.py` walks them in Chromium (overflow, tap targets, axe) and
`peers/tests/test_journey_pages.py` checks that every URL pattern of the project is either
on a journey here or in `EXCLUDED` with the reason it is not.

A page whose URL needs an object names a finder: it takes the signed-in person and returns the
URL's arguments, from the demo data (`seed_demo`), making through the services the few things
the demo does not hold (a mentee's message, both peer mentors away, an offer, an outreach). Finders
run in the test's database when the journey first reaches their page, so a page before it
shows the demo as it was (a mentor's first mentoring page is the statement to accept).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class Page:
    name: str  # the URL name
    find: Callable | None = None  # person -> the URL's arguments
    query: Callable | None = None  # person -> the query string, e.g. "?pair=3"
    # Pages added to the journeys after their first version: full checks at 360 px (axe, tap
    # targets, tables) and overflow and axe at 1280 px (not the tables' second look).
    late: bool = field(default=False)

    def path(self, person) -> str:
        args = tuple(self.find(person)) if self.find else ()
        return reverse(self.name, args=args) + (self.query(person) if self.query else "")


# --- finders: each returns the URL's arguments for the signed-in person


def _trainee_place(person):
    from mentoring.models import Mentee

    return Mentee.objects.filter(user=person, pair__published_at__isnull=False).select_related("pair").first()


def _trainee_pair(person) -> str:
    return f"?pair={_trainee_place(person).pair_id}"


def _contact_of(place, *, text: str):
    from mentoring import services
    from mentoring.models import Contact

    found = Contact.objects.filter(mentee=place).order_by("pk").first()
    return found or services.contact_create(mentee=place, channel="text", message=text)


def _trainee_contact(person) -> tuple:
    place = _trainee_place(person)
    return (_contact_of(place, text="Could we talk about how to study for the anatomy exam?").pk,)


def _accepted(*people) -> None:
    """The program's disclosure statement, accepted as each mentor does on their first visit
    (the journey's first mentoring page shows it to them unaccepted)."""
    from mentoring.models import DisclosureStatement
    from mentoring.services import disclosure_accept

    for person in people:
        for statement in DisclosureStatement.objects.all():
            disclosure_accept(user=person, statement=statement)


def _mentor_contact(person) -> tuple:
    from mentoring.models import Mentee, MentorPair

    _accepted(person)
    pair = MentorPair.objects.current().of_peer_mentor(person).first()
    place = Mentee.objects.filter(pair=pair).order_by("pk").first()
    return (_contact_of(place, text="Is it normal to feel behind already in October?").pk,)


def _covered_contact(person) -> tuple:
    """The faculty mentor's cover: both peer mentors of their pair away this week, and a
    mentee's message waiting for them."""
    from mentoring import services
    from mentoring.clock import program_today
    from mentoring.models import AwayNotice, Mentee, MentorPair

    pair = MentorPair.objects.current().filter(faculty_mentor=person).select_related("cycle__program").first()
    today = program_today(pair.cycle.program)
    _accepted(*pair.mentors())
    for mentor in pair.mentors():
        if not AwayNotice.objects.filter(pair=pair, mentor=mentor).exists():
            services.away_post(
                mentor=mentor,
                pair=pair,
                starts_on=today,
                ends_on=today + datetime.timedelta(days=6),
                reason="Exams",
                tell_mentees=True,
            )
    place = Mentee.objects.filter(pair=pair).order_by("pk").first()
    return (_contact_of(place, text="I failed a quiz and feel lost. Could someone talk with me?").pk,)


def _mentor_referral(person) -> tuple:
    from mentoring.models import MentorReferral

    return (MentorReferral.objects.filter(mentor=person).values_list("pk", flat=True).first(),)


def _cycle(person) -> tuple:
    """The coordinator's mentoring cycle, with a mentee's request for a change waiting."""
    from mentoring.models import ChangeRequest, MentoringCycle
    from mentoring.services import change_request_make
    from peers.models import User

    cycle = MentoringCycle.objects.order_by("pk").first()
    if not ChangeRequest.objects.filter(pair__cycle=cycle).exists():
        trainee = User.objects.get(email__startswith="trainee@")
        place = _trainee_place(trainee)
        change_request_make(user=trainee, pair=place.pair, text="I would like a pair closer to my schedule.")
    return (cycle.pk,)


def _own_request(person) -> tuple:
    from support_requests.models import SupportRequest

    return (SupportRequest.objects.filter(requester=person).values_list("pk", flat=True).first(),)


def _offer(person) -> tuple:
    """A request offered to the signed-in supporter: the page shows only what they need to decide."""
    from support_requests.models import SupportRequest
    from support_requests.services import request_offer

    offered = SupportRequest.objects.filter(status=SupportRequest.Status.OFFERED, assigned_to=person).first()
    if offered is None:
        waiting = SupportRequest.objects.filter(status=SupportRequest.Status.NEW, requester=None)
        offered = waiting.order_by("pk").first()
        request_offer(request=offered, supporter=person)
    return (offered.pk,)


def _led_request(person) -> tuple:
    from support_requests.models import SupportRequest

    open_ones = SupportRequest.objects.exclude(status=SupportRequest.Status.CLOSED)
    return (open_ones.order_by("pk").values_list("pk", flat=True).first(),)


def _own_booking(person) -> tuple:
    """One of the trainee's bookings, whose feedback form the page shows."""
    from sessions_app.models import Booking
    from sessions_app.round_selectors import round_next_unbooked_for
    from sessions_app.services import round_book

    booking = Booking.objects.filter(user=person).order_by("-pk").first()
    if booking is None:  # the demo trainee books the next round they hold no seat in
        booking = round_book(session=round_next_unbooked_for(person, after=_now()), user=person)
    return (booking.pk,)


def _mentoring_survey(cycle):
    """A survey of the cycle's mentees with two questions, sent (made once a journey)."""
    from mentoring.models import Question, Survey
    from mentoring.services.surveys import survey_send

    survey, made = Survey.objects.get_or_create(
        cycle=cycle, title="How is mentoring going?", defaults={"audience": Survey.Audience.MENTEES}
    )
    if made:
        Question.objects.create(survey=survey, order=1, kind="scale", text="How useful were your meetings?")
        Question.objects.create(survey=survey, order=2, kind="text", text="What would you change?")
        survey_send(survey=survey)
    return survey


def _invited_survey(person) -> tuple:
    return (_mentoring_survey(_trainee_place(person).pair.cycle).pk,)


def _coordinated_survey(person) -> tuple:
    from mentoring.models import MentoringCycle

    return (_mentoring_survey(MentoringCycle.objects.order_by("pk").first()).pk,)


def _session(person) -> tuple:
    from sessions_app.models import Session

    return (Session.objects.filter(starts_at__gte=_now()).order_by("starts_at").values_list("pk", flat=True).first(),)


def _topic(person) -> tuple:
    from sessions_app.models import Session

    upcoming = Session.objects.filter(starts_at__gte=_now(), topic__isnull=False).order_by("starts_at")
    return (upcoming.values_list("topic_id", flat=True).first(),)


def _facilitated_session(person) -> tuple:
    from sessions_app.models import Session

    sessions = Session.objects.filter(facilitations__user=person).order_by("starts_at")
    return (sessions.values_list("pk", flat=True).first(),)


def _coordinated_session(person) -> tuple:
    from peers.models import Membership, Role
    from sessions_app.models import Session

    programs = Membership.objects.filter(user=person, role=Role.COORDINATOR).values("program_id")
    upcoming = Session.objects.filter(program__in=programs, starts_at__gte=_now()).order_by("starts_at")
    return (upcoming.values_list("pk", flat=True).first(),)


def _coordinated_program(person) -> tuple:
    from peers.models import Membership, Role

    programs = Membership.objects.filter(user=person, role=Role.COORDINATOR).order_by("program_id")
    return (programs.values_list("program_id", flat=True).first(),)


def _status_token(person) -> tuple:
    """A request made without an account, as its private status link holds it."""
    from peers.models import TrainingProgram
    from support_requests.forms import SCREENING_QUESTIONS
    from support_requests.services import request_create

    program = TrainingProgram.objects.get(name="Internal Medicine Residency")
    made = request_create(program=program, requester=None, screening=dict.fromkeys(SCREENING_QUESTIONS, False))
    return (made.status_token,)


def _no_thanks_token(person) -> tuple:
    """The no-thanks link a referred colleague receives once a supporter wrote to them."""
    from peers.models import TrainingProgram, User
    from support_requests.services.outreach import outreach_create, outreach_message_send

    program = TrainingProgram.objects.get(name="Internal Medicine Residency")
    lead = User.objects.get(email__startswith="lead@")
    outreach = outreach_create(
        program=program, asked_by=lead, name="Sam Rivera", contact="sam.rivera@example.org", after_event=True
    )
    tokens: list[str] = []
    outreach_message_send(outreach=outreach, sender=lead, decline_url=lambda token: tokens.append(token) or "")
    return (tokens[0],)


def _now():
    from django.utils import timezone

    return timezone.now()


_ADMIN = ["admin:index", "admin:sessions_app_session_changelist", "admin:sessions_app_sessionseries_add"]

# Who, and the pages their work happens on. Every journey starts at sign-in and home.
JOURNEYS: dict[str, list[Page]] = {
    "trainee": [
        Page("sessions:list"),
        Page("sessions:mine"),
        Page("inbox"),
        Page("support:intake"),
        Page("mentoring:home"),
        Page("mentoring:thread", _trainee_contact, late=True),
        Page("mentoring:change_request", query=_trainee_pair, late=True),
        Page("mentoring:preferences", late=True),
        Page("mentoring:pair_feedback", late=True),
        Page("sessions:detail", _session, late=True),
        Page("sessions:round", _session, late=True),
        Page("sessions:topic", _topic, late=True),
        Page("mentoring:apply", late=True),
        Page("support:mine", late=True),
        Page("support:mine_detail", _own_request, late=True),
        Page("support:refer", late=True),
        Page("sessions:feedback", _own_booking, late=True),
        Page("mentoring:survey", _invited_survey, late=True),
    ],
    "facilitator": [
        Page("sessions:facilitate"),
        Page("sessions:list"),
        Page("sessions:attendance", _facilitated_session, late=True),
    ],
    "mentor": [
        Page("mentoring:home"),
        Page("mentoring:thread", _mentor_contact, late=True),
        Page("mentoring:referral_detail", _mentor_referral, late=True),
    ],
    "faculty": [
        Page("mentoring:home"),
        Page("mentoring:thread", _covered_contact, late=True),
    ],
    "supporter": [
        Page("support:queue"),
        Page("support:profile"),
        Page("support:detail", _offer, late=True),
    ],
    "lead": [
        Page("support:queue"),
        Page("support:report"),
        Page("support:detail", _led_request, late=True),
        Page("support:outreach_new", late=True),
    ],
    "coordinator": [
        Page("mentoring:figures"),
        Page("mentoring:interviews"),
        *(Page(name) for name in _ADMIN),
        Page("admin:mentoring_mentorpair_changelist"),
        Page("admin:peers_trainingprogram_changelist"),
        Page("sessions:roster", _coordinated_program),
        Page("figures:program", _coordinated_program),
        Page("mentoring:repairing", _cycle, late=True),
        Page("mentoring:pair_feedback_results", late=True),
        Page("sessions:coordinate", _coordinated_session, late=True),
        Page("mentoring:survey_results", _coordinated_survey, late=True),
    ],
    # The well-being office's administrator (a superuser): every program's figures, and the
    # role grants only the office decides.
    "admin": [
        Page("figures:office", late=True),
        Page("admin:peers_rolegrant_changelist", late=True),
    ],
}
SIGNED_IN_EVERYWHERE = ["account_login", "mfa_authenticate", "home"]

# Someone asking for help without an account (their pages need no sign-in).
ANONYMOUS: list[Page] = [
    Page("support:intake"),
    Page("support:recover", late=True),
    Page("support:status", _status_token, late=True),
    Page("support:no_thanks", _no_thanks_token, late=True),
]


def visited() -> set[str]:
    """Every URL name some journey opens."""
    names = set(SIGNED_IN_EVERYWHERE)
    for pages in [*JOURNEYS.values(), ANONYMOUS]:
        names.update(page.name for page in pages)
    return names


_POST = "POST only: an action the journeys' pages carry as a form; its view tests cover it"
_FILE = "a file download (calendar or CSV), not a page: its view tests check the file"

# URL names on no journey, each with why. Admin (namespace "admin") and allauth's views are
# left out as a whole in test_journey_pages.py, with their reasons there.
EXCLUDED: dict[str, str] = {
    "healthz": "JSON for the load balancer, not a page",
    "dev_mail_list": "development and demo only (404 in production): peers/tests/test_mail.py",
    "dev_mail_detail": "development and demo only (404 in production): peers/tests/test_mail.py",
    "dev_mail_html": "development and demo only, a sandboxed email frame: peers/tests/test_mail.py",
    "account_confirm_login_code": "the sign-in-by-code step, our wrapper of allauth's: peers/tests/test_accounts.py",
    "inbox_open": "one notification, the inbox's layout with its text: peers/tests/test_notifications.py",
    "calendar_feed": _FILE,
    "sessions:session_calendar": _FILE,
    "figures:program_csv": _FILE,
    "figures:office_csv": _FILE,
    **dict.fromkeys(
        [
            "inbox_mark_all_read",
            "sessions:round_book",
            "sessions:round_waitlist_join",
            "sessions:switch",
            "sessions:calendar_reset",
            "sessions:book",
            "sessions:cancel",
            "sessions:waitlist_join",
            "sessions:waitlist_leave",
            "sessions:offer_accept",
            "sessions:facilitate_take",
            "sessions:facilitate_withdraw",
            "sessions:coordinate_remove",
            "sessions:coordinate_move",
            "sessions:coordinate_promote",
            "sessions:coordinate_message",
            "support:send_link",
            "support:accept",
            "support:decline",
            "support:contacted",
            "support:note",
            "support:referral",
            "support:close",
            "support:assign",
            "support:outreach_send",
            "support:outreach_outcome",
            "support:pause",
            "support:resume",
            "mentoring:contact",
            "mentoring:log_contact",
            "mentoring:answered",
            "mentoring:away",
            "mentoring:away_end",
            "mentoring:withdraw",
            "mentoring:offer_accept",
            "mentoring:interview_move",
            "mentoring:meeting",
            "mentoring:referral",
            "mentoring:outreach",
            "mentoring:disclosure_accept",
            "mentoring:repairing_move",
            "mentoring:repairing_replace",
            "mentoring:repairing_dissolve",
            "mentoring:change_request_resolve",
        ],
        _POST,
    ),
}

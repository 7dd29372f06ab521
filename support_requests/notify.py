"""Peer support's notifications, one function per kind. Words live in
templates/notifications/<kind>.*, and every time is shown in the recipient's zone.

Confidentiality: a notification names a request by its reference code, with a link
and the moment someone must act by, and nothing else. The templates are given only
those (never the request itself), so no description, contact detail or name can reach
an inbox. Every kind starts with `support_`, which the Notification admin hides."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from peers.models import Role, User
from peers.services.notifications import NotificationDraft, notification_create, notifications_create_many
from support_requests import access, hours, receivers, selectors, sms
from support_requests.models import SupportDecline, SupportRequest


def support_new(request: SupportRequest) -> None:
    """A new request, or one screened out at intake as needing referral, for the leads."""
    screened_out = request.status == SupportRequest.Status.NEEDS_REFERRAL
    _tell_leads(request, "support_new", screened_out=screened_out)


def support_offer(request: SupportRequest, supporter: User) -> None:
    """The request is offered to this supporter until the offer expires."""
    _notify(
        supporter,
        request,
        "support_offer",
        f"support-offer:{request.pk}:{supporter.pk}",
        expires_at=request.offer_expires_at,
    )


def support_unmatched(request: SupportRequest) -> None:
    """Declined or let lapse, and no other supporter can take it."""
    _tell_leads(request, "support_unmatched")


def support_closed_uncontacted(request: SupportRequest) -> None:
    _tell_leads(request, "support_closed_uncontacted")


def support_due(request: SupportRequest) -> None:
    """First contact is due and nobody has recorded one."""
    batch_support_due([request])


def batch_support_due(requests: list[SupportRequest]) -> None:
    """`support_due` for a sweep's batch of requests (named apart from the kinds, which
    all start with `support_`), told together in a fixed number of
    queries: their declines, their programs' leads and coordinators, the office when a
    program has no lead (and each office administrator's roles, once), then the
    notifications (`notifications_create_many`)."""
    notifications_create_many(
        _to_leads_counting_declines(
            requests, "support_due", "support_due", context=lambda request: {"due_at": request.first_contact_due_at}
        )
    )


def batch_support_offers_lapsed(offered: list[SupportRequest], unmatched: list[SupportRequest]) -> None:
    """For the offer-expiry sweep's batch, told together in a fixed number of queries:
    `support_offer` to each request's next supporter, and `support_unmatched` to the
    leads (or coordinators, and without a lead the office) of each request nobody else
    can take, as `batch_support_due` tells them."""
    drafts = [
        _draft(
            r.assigned_to, r, "support_offer", f"support-offer:{r.pk}:{r.assigned_to_id}", expires_at=r.offer_expires_at
        )
        for r in offered
    ]
    if unmatched:
        drafts += _to_leads_counting_declines(unmatched, "support_unmatched", "support_unmatched")
    notifications_create_many(drafts)


def _to_leads_counting_declines(
    requests: list[SupportRequest], kind: str, key: str, context=lambda request: {}
) -> list[NotificationDraft]:
    """`kind` for each request's leads (without a lead, its coordinators and the office),
    keyed `<key>:<request>:<person>:<declines so far>` so that each decline makes the
    next reminder a new one. Three queries for the batch: declines, people, the office."""
    declines = dict(
        SupportDecline.objects.filter(request__in=requests)
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values_list("request", "n")
    )
    people = receivers.leads_and_coordinators_by_program({request.program_id for request in requests})
    office = _offices(requests, people)
    drafts = []
    for request in requests:
        leads, coordinators = people[request.program_id]
        count, extra = declines.get(request.pk, 0), context(request)
        for lead in leads or coordinators:
            drafts.append(_draft(lead, request, kind, f"{key}:{request.pk}:{lead.pk}:{count}", **extra))
        if not leads:
            drafts += _no_lead_drafts(request, kind, office[request.program.institution_id], count, **extra)
    return drafts


def support_overdue(request: SupportRequest) -> None:
    """Twice the target time without a first contact: every lead and every coordinator
    (and, without a lead, the office)."""
    batch_support_overdue([request])


def batch_support_overdue(requests: list[SupportRequest]) -> None:
    """`support_overdue` for a sweep's batch of requests, told together in a fixed number
    of queries (as `batch_support_due`, without the declines)."""
    people = receivers.leads_and_coordinators_by_program({request.program_id for request in requests})
    office = _offices(requests, people)
    drafts = []
    for request in requests:
        leads, coordinators = people[request.program_id]
        for person in leads | coordinators:
            drafts.append(_draft(person, request, "support_overdue", f"support-overdue:{request.pk}:{person.pk}"))
        if not leads:
            drafts += _no_lead_drafts(request, "support_overdue", office[request.program.institution_id])
    notifications_create_many(drafts)


def _offices(requests: list[SupportRequest], people: dict[int, tuple[set[User], set[User]]]) -> dict[int, set[User]]:
    """The office of each institution with a program of the batch that has no lead."""
    offices: dict[int, set[User]] = {}
    for request in requests:
        institution = request.program.institution
        if not people[request.program_id][0] and institution.pk not in offices:
            offices[institution.pk] = receivers.office_administrators(institution)
    return offices


def support_message(request: SupportRequest, message) -> None:
    """The requester added a message: the supporter who accepted the request, and the leads
    (without either, the office), are told there is one, never what it says."""
    readers = set(receivers.leads(request.program))
    if request.assigned_to is not None and request.accepted_at is not None:
        readers.add(request.assigned_to)
    for person in readers:
        _notify(person, request, "support_message", f"support-message:{message.pk}:{person.pk}")
    if not readers:
        _tell_office_without_lead(request, "support_message", message.pk)


def support_withdrawn(request: SupportRequest, supporter: User | None) -> None:
    """The requester withdrew: the supporter holding it (offered or working) and the leads
    (without a lead, the coordinators and the office)."""
    people = selectors.leads_or_coordinators(request.program) | ({supporter} if supporter else set())
    for person in people:
        context = {"was_offered": person == supporter and request.accepted_at is None}
        notification_create(
            recipient=person,
            kind="support_withdrawn",
            dedupe_key=f"support-withdrawn:{request.pk}:{person.pk}",
            template="support_withdrawn",
            program=request.program,
            context={"reference": request.reference, **context},
            link=reverse("support:queue"),
        )
    _tell_office_without_lead(request, "support_withdrawn")


def support_handover(program, requests: list[SupportRequest], away) -> None:
    """A supporter's away period began: the leads (without one, the coordinators and the
    office) are told which requests came back to them, by reference only. It waits for the
    end of quiet hours unless one of them cannot wait."""
    references = [request.reference for request in requests]
    can_wait = not any(_around_the_clock(request) for request in requests)
    context = {"references": references, "supporter_name": away.profile.user.get_full_name(), "ends_on": away.ends_on}
    for person in selectors.leads_or_coordinators(program):
        notification_create(
            recipient=person,
            kind="support_handover",
            dedupe_key=f"support-handover:{away.pk}:{person.pk}",
            template="support_handover",
            program=program,
            context=context,
            link=reverse("support:queue"),
            quiet_hours=can_wait,
        )
    for request in requests:
        _tell_office_without_lead(request, "support_handover")


def status_link_email(request: SupportRequest, status_url: str) -> None:
    """The requester's own status link, to the email address they gave. Sent at once and
    never kept (no notification row: its body would hold the link), see
    services.status_link_send. The words live in templates/support_requests/email/."""
    context = {"reference": request.reference, "link": status_url, "program": request.program}
    with timezone.override(zoneinfo.ZoneInfo(request.program.time_zone)):
        subject = render_to_string("support_requests/email/status_link.subject.txt", context).strip()
        body = render_to_string("support_requests/email/status_link.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [request.contact_details]).send()


def status_link_text(request: SupportRequest, status_url: str) -> None:
    """The same link by text message, to the phone number they gave (support_requests.sms)."""
    context = {"reference": request.reference, "link": status_url}
    sms.send_text(request.contact_details, render_to_string("support_requests/sms/status_link.txt", context).strip())


def _tell_leads(request: SupportRequest, kind: str, **context: bool | datetime.datetime | None) -> None:
    # The number of declines is in the key so that a request unmatched again is told again.
    declines = request.declines.count()
    for lead in selectors.leads_or_coordinators(request.program):
        _notify(lead, request, kind, f"{kind}:{request.pk}:{lead.pk}:{declines}", **context)
    _tell_office_without_lead(request, kind, declines, **context)


def _tell_office_without_lead(
    request: SupportRequest, step: str, declines: int = 0, **context: bool | datetime.datetime | None
) -> None:
    """A program without an active support lead falls back to its institution's office
    (support_requests.receivers), told what a lead would be told (the reference, the
    moment, a link), never the content."""
    program = request.program
    if receivers.leads(program):
        return
    office = receivers.office_administrators(program.institution)
    for draft in _no_lead_drafts(request, step, office, declines, **context):
        notification_create(**vars(draft))


def _no_lead_drafts(
    request: SupportRequest,
    step: str,
    office: set[User],
    declines: int = 0,
    **context: bool | datetime.datetime | None,
) -> list[NotificationDraft]:
    """What the office is told of a request whose program has no lead. An office
    administrator who may not read the request (access.read_level: superusers may not) is
    asked to appoint a lead instead, and linked to the role grant form; the request waits
    in the program's queue for that lead."""
    program = request.program
    appoint = reverse("admin:peers_rolegrant_add") + f"?program={program.pk}&role={Role.SUPPORT_LEAD}"
    drafts = []
    for person in office:
        can_read = access.read_level(person, request) == access.FULL
        drafts.append(
            NotificationDraft(
                recipient=person,
                kind="support_no_lead",
                dedupe_key=f"support_no_lead:{step}:{request.pk}:{person.pk}:{declines}",
                template="support_no_lead",
                program=program,
                context={
                    "reference": request.reference,
                    "program_name": program.name,
                    "step": step,
                    "can_read": can_read,
                    **context,
                },
                link=reverse("support:detail", args=[request.pk]) if can_read else appoint,
                quiet_hours=_can_wait(request, step),
            )
        )
    return drafts


# Escalations: they wait for the end of the recipient's quiet hours unless the request
# cannot wait (peers/services/quiet_hours.py).
ESCALATIONS = frozenset({"support_due", "support_overdue", "support_unmatched", "support_handover"})


def _can_wait(request: SupportRequest, kind: str) -> bool:
    """An escalation of a request asked for "today", or screened out, is sent at once: the
    same requests whose deadlines count around the clock (support_requests.hours)."""
    return kind in ESCALATIONS and not _around_the_clock(request)


def _around_the_clock(request: SupportRequest) -> bool:
    screened_out = request.status == SupportRequest.Status.NEEDS_REFERRAL or bool(request.screening)
    return hours.counts_around_the_clock(urgency=request.urgency, screened_out=screened_out)


def _notify(
    person: User, request: SupportRequest, kind: str, key: str, **context: bool | datetime.datetime | None
) -> None:
    notification_create(**vars(_draft(person, request, kind, key, **context)))


def _draft(
    person: User, request: SupportRequest, kind: str, key: str, **context: bool | datetime.datetime | None
) -> NotificationDraft:
    return NotificationDraft(
        recipient=person,
        kind=kind,
        dedupe_key=key,
        template=kind,
        program=request.program,
        context={"reference": request.reference, **context},
        link=reverse("support:detail", args=[request.pk]),
        quiet_hours=_can_wait(request, kind),
    )

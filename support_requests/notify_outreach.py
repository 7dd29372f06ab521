"""Outreach's notifications (support_requests.notify keeps the request's own). Words live in
templates/notifications/<kind>.* and templates/support_requests/email/outreach.*.

No notification carries the person's name or contact: the supporter and leads get the
reference and a link, the referrer only that outreach happened. The outreach email itself
goes to the person at once and is never kept (its body holds their no-thanks link)."""

import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from peers.models import User
from peers.services.notifications import notification_create
from support_requests import notify, receivers
from support_requests.models import Outreach


def outreach_message_email(outreach: Outreach, sender: User, decline_url: str) -> None:
    request = outreach.request
    context = {
        "name": outreach.name,
        "sender": sender.get_short_name() or sender.get_full_name(),
        "program": request.program,
        "referrer": outreach.referred_by.get_full_name() if outreach.may_name_referrer and outreach.referred_by else "",
        "from_lead": outreach.origin == Outreach.Origin.LEAD,
        "after_event": outreach.after_event,
        "decline_url": decline_url,
    }
    with timezone.override(zoneinfo.ZoneInfo(request.program.time_zone)):
        subject = render_to_string("support_requests/email/outreach.subject.txt", context).strip()
        body = render_to_string("support_requests/email/outreach.txt", context)
    # RFC 8058: mail apps that offer "unsubscribe" decline in one click, by a POST to the link.
    headers = {"List-Unsubscribe": f"<{decline_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [request.contact_details], reply_to=[sender.email], headers=headers
    ).send()


def outreach_declined(outreach: Outreach) -> None:
    """The person said no thanks: the supporter who accepted it and the leads (without
    either, the coordinators and the office, as for every request)."""
    request = outreach.request
    people = set(receivers.leads(request.program))
    if request.assigned_to is not None and request.accepted_at is not None:
        people.add(request.assigned_to)
    for person in people:
        key = f"support-outreach-declined:{request.pk}:{person.pk}"
        notify._notify(person, request, "support_outreach_declined", key)
    if not people:
        notify._tell_leads(request, "support_outreach_declined")


def outreach_happened(outreach: Outreach) -> None:
    """To the referrer: someone reached out. Nothing else, not even the reference code."""
    notification_create(
        recipient=outreach.referred_by,
        kind="support_outreach_happened",
        dedupe_key=f"support-outreach-happened:{outreach.pk}",
        template="support_outreach_happened",
        program=outreach.request.program,
        context={"asked_at": outreach.created_at, "program_name": outreach.request.program.name},
        link=reverse("support:refer"),
    )

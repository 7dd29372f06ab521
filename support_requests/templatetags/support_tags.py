"""Filters for the support pages: crisis numbers a phone can call, and words in place of codes."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from support_requests.forms import SCREENING_LABELS

register = template.Library()

# A phone number inside a line of text: digits, with single spaces, dots or dashes between
# them, an optional leading "+" and country code, and an area code in parentheses.
# "24/7", "Room 4B" and a reference code do not match; 3-digit numbers only where they
# are emergency or crisis lines, so "Floor 312" stays text.
PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d(?:[ .-]?\d)+(?![\w])")
SHORT_LINES = {"111", "112", "211", "811", "911", "988", "999"}

# What the access log's actions mean, for the lead reading who saw a request.
READ_ACTIONS = {
    "view": "read the request",
    "act": "worked on the request",
    "offer_view": "read the offer",
    "offer_act": "answered the offer",
    "status_view": "opened the status page",
    "status_rate_limited": "status page paused (too many visits)",
}


def _callable(number: str) -> str:
    """The tel: address of a number, or "" when it is not one a phone should call."""
    digits = re.sub(r"\D", "", number)
    if len(digits) < 7 and digits not in SHORT_LINES:
        return ""
    return ("+" if number.startswith("+") else "") + digits


def _line(line: str) -> str:
    """One line of the crisis text, escaped and whole, then a "Call ..." button for each of
    its numbers: a large target that is tapped on purpose, never by scrolling over the text."""
    calls = [
        format_html('<a class="btn btn-lg btn-light border my-1 me-2" href="tel:{}">Call {}</a>', tel, match.group())
        for match in PHONE.finditer(line)
        if (tel := _callable(match.group()))
    ]
    if not calls:
        return escape(line)
    return format_html("{}<br>{}", line, mark_safe("".join(calls)))  # each call was built by format_html


@register.filter
def crisis_links(text: str | None) -> SafeString:
    """The institution's crisis text, escaped, one resource a line, with a tel: button for
    each phone number in it."""
    return mark_safe("<br>".join(_line(line) for line in (text or "").splitlines()))  # each line is escaped


@register.filter
def screening_labels(keys: list[str]) -> list[str]:
    """The screening questions answered yes, in words."""
    return [SCREENING_LABELS.get(key, "Another screening question") for key in keys]


# The status as the requester reads it on their own page: what is happening, in their terms.
REQUESTER_STATUS = {
    "needs_referral": "With a support lead",
    "new": "Waiting to be matched",
    "offered": "Waiting to be matched",
    "assigned": "A peer supporter has taken your request",
    "contacted": "In contact",
    "closed": "Closed",
}


@register.filter
def requester_status(support_request) -> str:
    return REQUESTER_STATUS.get(support_request.status, support_request.get_status_display())


@register.filter
def read_action(code: str) -> str:
    return READ_ACTIONS.get(code, code.replace("_", " "))

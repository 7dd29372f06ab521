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
    """One line of the crisis text, escaped. With one number, the whole line is the link
    (a large target, read aloud as the service's name); with several, each number is."""
    numbers = [(m, tel) for m in PHONE.finditer(line) if (tel := _callable(m.group()))]
    if len(numbers) == 1:
        return format_html('<a href="tel:{}">{}</a>', numbers[0][1], line)
    parts, last = [], 0
    for match, tel in numbers:
        parts += [escape(line[last : match.start()]), format_html('<a href="tel:{}">{}</a>', tel, match.group())]
        last = match.end()
    parts.append(escape(line[last:]))
    return "".join(parts)


@register.filter
def crisis_links(text: str | None) -> SafeString:
    """The institution's crisis text, escaped, with its phone numbers as tel: links and
    each line break a <br>."""
    return mark_safe("<br>".join(_line(line) for line in (text or "").splitlines()))  # each line is escaped


@register.filter
def screening_labels(keys: list[str]) -> list[str]:
    """The screening questions answered yes, in words."""
    return [SCREENING_LABELS.get(key, "Another screening question") for key in keys]


@register.filter
def read_action(code: str) -> str:
    return READ_ACTIONS.get(code, code.replace("_", " "))

"""What the sessions pages show of a session in one filter call, so that a list of 50
does not pay an include and three `date` filters a row (the rounds list, Facilitate,
My sessions)."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

register = template.Library()


@register.filter
def when(session) -> str:
    """`<time>` with the session's start and end in the active zone (the person's):
    "Tue Dec 8, 17:00–18:30", as the `date` filter's "D M j, H:i" and "H:i" give it."""
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return format_html(
        '<time datetime="{}">{}–{}</time>',
        starts.isoformat(),
        dateformat.format(starts, "D M j, H:i"),
        dateformat.format(ends, "H:i"),
    )

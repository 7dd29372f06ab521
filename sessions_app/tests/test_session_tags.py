import datetime
import zoneinfo

from django.template import engines
from django.utils import timezone

from sessions_app.models import Session

TEMPLATE = engines["django"].from_string("{% load session_tags %}{{ s|when }}")


def _session(starts_at: datetime.datetime, minutes: int = 90) -> Session:
    return Session(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=minutes))


def test_a_session_shows_its_start_and_end_in_the_persons_zone():
    s = _session(datetime.datetime(2026, 12, 8, 17, 0, tzinfo=datetime.UTC))
    with timezone.override(zoneinfo.ZoneInfo("America/Vancouver")):
        html = TEMPLATE.render({"s": s})
    assert html == '<time datetime="2026-12-08T09:00:00-08:00">Tue Dec 8, 09:00–10:30</time>'


def test_a_session_shows_the_same_as_the_date_filter_did_across_a_clock_change():
    """Vancouver's clocks go back on 1 November 2026 at 02:00: the end is in standard time."""
    s = _session(datetime.datetime(2026, 11, 1, 8, 30, tzinfo=datetime.UTC), minutes=60)
    old = engines["django"].from_string(
        "<time datetime=\"{{ s.starts_at|date:'c' }}\">"
        '{{ s.starts_at|date:"D M j, H:i" }}–{{ s.ends_at|date:"H:i" }}</time>'
    )
    with timezone.override(zoneinfo.ZoneInfo("America/Vancouver")):
        assert TEMPLATE.render({"s": s}) == old.render({"s": s})
        assert "01:30–01:30" in TEMPLATE.render({"s": s})

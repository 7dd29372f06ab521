"""What Google Calendar and Outlook need of an .ics file before they import it, or apply
an update or a cancellation to an event they already hold, checked on the raw text and
through the icalendar parser."""

import datetime

from icalendar import Calendar


def assert_calendar_apps_accept(text: str, *, method: str) -> Calendar:
    """1. Raw text: CRLF line ends, lines folded at 75 octets (Outlook refuses longer).
    2. The calendar: VERSION 2.0, a PRODID, the METHOD (Outlook decides publish, update
       or cancel from it).
    3. Each event: UID, a UTC DTSTAMP, an integer SEQUENCE, DTSTART and DTEND with a TZID
       whose VTIMEZONE is in the file (Outlook shows a wrong time without it), and on a
       CANCEL the ORGANIZER and STATUS:CANCELLED (RFC 5546: without an ORGANIZER Outlook
       and Google ignore the cancellation). No ATTENDEE: attendance is private."""
    raw = text.encode()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = Calendar.from_ical(text)
    assert str(calendar["version"]) == "2.0" and str(calendar["prodid"])
    assert str(calendar["method"]) == method
    zones = {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")}
    for zone in calendar.walk("VTIMEZONE"):
        assert zone.walk("STANDARD") or zone.walk("DAYLIGHT")
    events = calendar.walk("VEVENT")
    assert events
    for event in events:
        assert str(event["uid"])
        assert event.decoded("dtstamp").utcoffset() == datetime.timedelta(0)
        assert isinstance(int(event["sequence"]), int)
        for name in ("dtstart", "dtend"):
            assert event[name].params["TZID"] in zones, f"{name} has no VTIMEZONE"
        assert "attendee" not in event
        if method == "CANCEL":
            assert str(event["organizer"]).startswith("mailto:")
            assert str(event["status"]) == "CANCELLED"
    return calendar

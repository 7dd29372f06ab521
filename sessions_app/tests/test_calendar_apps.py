"""Calendar files that Google Calendar and Outlook accept: the program's zone, one UID per
person's place, a SEQUENCE that only grows across cancel and rebook, METHOD and ORGANIZER."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from peers.models import Notification
from peers.tests.factories import ProgramFactory
from sessions_app import services
from sessions_app.tests.calendar_apps import assert_calendar_apps_accept
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _files(user, kind):
    rows = Notification.objects.filter(recipient=user, kind=kind).order_by("pk")
    return [row.attachments[0]["content"] for row in rows]


def _event(text, method):
    (event,) = assert_calendar_apps_accept(text, method=method).walk("VEVENT")
    return event


def test_every_file_carries_the_programs_zone_with_its_vtimezone(client, make_trainee):
    program = ProgramFactory(name="Vancouver residency", time_zone="America/Vancouver")
    start = datetime.datetime(2027, 3, 16, 12, 0, tzinfo=zoneinfo.ZoneInfo("America/Vancouver"))
    with_dst_change = SessionFactory(program=program, starts_at=start, ends_at=start + datetime.timedelta(minutes=90))
    trainee = make_trainee("t@example.edu", on=program)
    with_dst_change.program.refresh_from_db()
    booking = services.booking_create(session=with_dst_change, user=trainee)
    event = _event(_files(trainee, "booking_confirmed")[0], "PUBLISH")
    assert event["dtstart"].params["TZID"] == "America/Vancouver"
    assert event.decoded("dtstart") == start  # noon in Vancouver, whatever the reader's zone
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=90)

    client.force_login(trainee)
    download = client.get(reverse("sessions:session_calendar", args=[with_dst_change.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert _event(download.content.decode(), "PUBLISH")["dtstart"].params["TZID"] == "America/Vancouver"

    services.booking_cancel(booking=booking)
    assert _event(_files(trainee, "booking_cancelled")[0], "CANCEL")["uid"] == event["uid"]


def test_a_rebooking_after_a_cancellation_has_a_higher_sequence_and_the_same_uid(session, trainee):
    booking = services.booking_create(session=session, user=trainee)
    services.booking_cancel(booking=booking)
    services.booking_create(session=session, user=trainee)
    first, rebooked = (_event(text, "PUBLISH") for text in _files(trainee, "booking_confirmed"))
    cancel = _event(_files(trainee, "booking_cancelled")[0], "CANCEL")
    assert first["uid"] == cancel["uid"] == rebooked["uid"]
    assert int(first["sequence"]) < int(cancel["sequence"]) < int(rebooked["sequence"])
    assert str(rebooked["status"]) == "CONFIRMED"
    assert str(cancel["organizer"]).startswith("mailto:")


def test_the_feed_and_the_download_agree_with_the_last_file_sent(client, session, trainee):
    booking = services.booking_create(session=session, user=trainee)
    services.booking_cancel(booking=booking)
    services.booking_create(session=session, user=trainee)
    emailed = _event(_files(trainee, "booking_confirmed")[-1], "PUBLISH")
    token = services.calendar_token_reset(user=trainee)
    (in_feed,) = assert_calendar_apps_accept(
        client.get(reverse("calendar_feed", args=[token])).content.decode(), method="PUBLISH"
    ).walk("VEVENT")
    client.force_login(trainee)
    downloaded = _event(client.get(reverse("sessions:session_calendar", args=[session.pk])).content.decode(), "PUBLISH")
    for event in (in_feed, downloaded):
        assert (event["uid"], int(event["sequence"])) == (emailed["uid"], int(emailed["sequence"]))


def test_each_person_has_their_own_uid_for_the_same_session(session, make_trainee):
    alice, bob = make_trainee("a@example.edu"), make_trainee("b@example.edu")
    services.booking_create(session=session, user=alice)
    services.booking_create(session=session, user=bob)
    uids = {str(_event(_files(p, "booking_confirmed")[0], "PUBLISH")["uid"]) for p in (alice, bob)}
    assert len(uids) == 2
    assert not any(name in uid for uid in uids for name in ("a@example", "b@example"))


def test_a_cancelled_session_sends_a_cancel_newer_than_the_booking(session, trainee, trained_facilitator):
    facilitator = trained_facilitator("f@example.edu")
    services.facilitation_add(session=session, user=facilitator)
    services.booking_create(session=session, user=trainee)
    services.session_cancel(session=session)
    booked = _event(_files(trainee, "booking_confirmed")[0], "PUBLISH")
    cancel = _event(_files(trainee, "session_cancelled")[0], "CANCEL")
    assert cancel["uid"] == booked["uid"] and int(cancel["sequence"]) > int(booked["sequence"])
    assert str(_event(_files(facilitator, "session_cancelled")[0], "CANCEL")["summary"]).endswith("(co-facilitating)")


def test_add_to_calendar_is_on_the_session_page_for_the_booked_only(client, session, trainee, make_trainee):
    services.booking_create(session=session, user=trainee)
    client.force_login(trainee)
    address = reverse("sessions:session_calendar", args=[session.pk])
    assert address in client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    client.force_login(make_trainee("other@example.edu"))
    assert address not in client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    assert client.get(address).status_code == 404


def test_a_session_change_sends_the_same_uid_with_a_higher_sequence(session, trainee):
    services.booking_create(session=session, user=trainee)
    session.starts_at += datetime.timedelta(hours=1)
    session.ends_at += datetime.timedelta(hours=1)
    services.session_update(session=session, changed=["starts_at", "ends_at"])
    booked = _event(_files(trainee, "booking_confirmed")[0], "PUBLISH")
    changed = _event(_files(trainee, "session_changed")[0], "PUBLISH")
    assert changed["uid"] == booked["uid"] and int(changed["sequence"]) > int(booked["sequence"])
    assert changed.decoded("dtstart") == timezone.localtime(session.starts_at).replace(microsecond=0)

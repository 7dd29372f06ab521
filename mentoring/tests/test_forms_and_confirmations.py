"""A mentor's forms keep what was typed and show each error beside its field; nothing is
preset that the mentor did not pick; publishing the pairs asks first."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from mentoring.models import AwayNotice, Contact, MentorPair
from peers.models import Notification

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 21, 15, tzinfo=datetime.UTC)


def _beside(page: str, field: str, text: str) -> bool:
    """The error sits in the field's own block (crispy's invalid-feedback under it)."""
    block = re.search(rf'<div id="div_id_{field}".*?</div>\s*</div>|<div id="div_id_{field}".*?</div>', page, re.S)
    return block is not None and text in block.group() and "is-invalid" in block.group()


def test_an_error_in_the_away_form_keeps_every_field(client, pair_world):
    client.force_login(pair_world["third"])
    data = {"starts_on": "2026-12-10", "ends_on": "2026-12-01", "reason": "Exams in December"}
    with time_machine.travel(NOW):
        response = client.post(reverse("mentoring:away"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="2026-12-10"' in page and 'value="2026-12-01"' in page and 'value="Exams in December"' in page
    assert _beside(page, "ends_on", "The end date is before the start date.")
    assert not AwayNotice.objects.exists()


def test_the_mentee_is_never_preset(client, pair_world):
    client.force_login(pair_world["fourth"])
    with time_machine.travel(NOW):
        for task in ("contact", "outreach"):  # logging a contact, outreach
            page = client.get(reverse("mentoring:home"), {"task": task}).content.decode()
            assert page.count('<option value="" selected>Choose…</option>') == 2  # the mentee, how
        refused = client.post(
            reverse("mentoring:log_contact"), {"mentee": "", "channel": "call", "received_at": "2026-11-20T09:30"}
        ).content.decode()
    assert _beside(refused, "mentee", "Choose the mentee.")
    assert 'value="2026-11-20T09:30"' in refused  # what was typed stays
    assert not Contact.objects.exists()


def test_a_bad_time_in_the_log_form_is_shown_beside_it_with_the_mentee_kept(client, pair_world):
    client.force_login(pair_world["fourth"])
    mentee = str(pair_world["mentee"].pk)
    with time_machine.travel(NOW):
        page = client.post(
            reverse("mentoring:log_contact"), {"mentee": mentee, "channel": "call", "received_at": "yesterday"}
        ).content.decode()
    assert _beside(page, "received_at", "Enter a date and time")
    assert f'<option value="{mentee}" selected>' in page


def _unpublished(pair_world):
    MentorPair.objects.filter(pk=pair_world["pair"].pk).update(published_at=None)
    return pair_world["cycle"]


def test_publishing_the_pairs_asks_first(client, pair_world):
    cycle = _unpublished(pair_world)
    client.force_login(pair_world["coordinator"])
    url = reverse("admin:mentoring_mentoringcycle_changelist")
    asked = client.post(url, {"action": "publish_pairs", "_selected_action": [cycle.pk]})
    page = asked.content.decode()
    assert asked.status_code == 200 and "Yes, publish and tell everyone" in page and "1 pair not yet published" in page
    assert 'name="confirm" value="1"' in page and "Keep them unpublished" in page
    assert not MentorPair.objects.filter(published_at__isnull=False).exists()
    assert not Notification.objects.filter(kind="pairs_published").exists()
    client.post(url, {"action": "publish_pairs", "_selected_action": [cycle.pk], "confirm": "1"})
    assert not MentorPair.objects.filter(published_at__isnull=True).exists()
    assert Notification.objects.filter(kind="pairs_published").exists()


def test_the_entering_year_is_not_preset(client, pair_world):
    cycle = pair_world["cycle"]
    cycle.applications_open_on = datetime.date(2026, 11, 1)
    cycle.applications_close_on = datetime.date(2026, 12, 31)
    cycle.save()
    client.force_login(pair_world["mentee_user"])
    with time_machine.travel(NOW):
        page = client.get(reverse("mentoring:apply")).content.decode()
        refused = client.post(reverse("mentoring:apply"), {"entering_year": "", "motivation": "I was helped once."})
    assert '<option value="" selected>Choose…</option>' in page
    assert "Choose the year you are entering." in refused.content.decode()
    assert "I was helped once." in refused.content.decode()


def test_withdrawing_an_application_asks_first_and_keeps_it_until_confirmed(client, pair_world):
    from mentoring.models import Application

    applicant = pair_world["mentee_user"]
    application = Application.objects.create(
        cycle=pair_world["cycle"],
        applicant=applicant,
        entering_year=3,
        motivation="I was helped once.",
        status=Application.Status.SELECTED,
    )
    client.force_login(applicant)
    url = reverse("mentoring:withdraw", args=[application.pk])
    asked = client.post(url).content.decode()
    assert "Withdraw your application?" in asked and "Yes, withdraw my application" in asked
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED
    done = client.post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "You have withdrawn your application" in done
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_how_they_met_and_where_a_referral_goes_are_never_preset(client, pair_world):
    client.force_login(pair_world["fourth"])
    with time_machine.travel(NOW):
        tasks = ("contact", "meeting", "outreach", "referral")  # each opened on its own
        pages = [client.get(reverse("mentoring:home"), {"task": task}).content.decode() for task in tasks]
        # channel twice (logging a contact, outreach), mode, kind, refer to, category; and the two mentees
        assert sum(page.count('<option value="" selected>Choose…</option>') for page in pages) == 8
        mentee = str(pair_world["mentee"].pk)
        refused = client.post(
            reverse("mentoring:log_contact"), {"mentee": mentee, "channel": "", "received_at": "2026-11-20T09:30"}
        ).content.decode()
        meeting = client.post(
            reverse("mentoring:meeting"), {"held_on": "2026-11-20", "mode": "", "kind": "", "mentees": [mentee]}
        ).content.decode()
        referral = client.post(
            reverse("mentoring:referral"), {"referral-to": "", "referral-category": "", "referral-note": "A hard week."}
        )
    assert _beside(refused, "channel", "Choose how they reached you.")
    assert _beside(meeting, "mode", "Choose how you met.") and _beside(meeting, "kind", "Choose the kind of meeting.")
    referral = " ".join(referral.content.decode().split())
    for field, error in (("to", "Choose who the referral goes to."), ("category", "Choose what it is about.")):
        block = re.search(rf'<div id="div_referral_{field}".*?</div> </div>', referral)  # the referral form's ids
        assert block and error in block.group() and "is-invalid" in block.group()
    assert not Contact.objects.exists()

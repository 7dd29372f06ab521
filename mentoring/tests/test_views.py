import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    AwayNotice,
    Contact,
    DisclosureAcceptance,
    DisclosureStatement,
    Meeting,
    MentorReferral,
    Outreach,
)
from peers.models import Notification
from peers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_mentee_writes_to_their_mentors_and_the_mentors_see_it(client, pair_world):
    client.force_login(pair_world["mentee_user"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Third" in page and "Fourth" in page
    client.post(reverse("mentoring:contact"), {"channel": "text", "message": "Could we talk this week?"})
    contact = Contact.objects.get()
    assert contact.channel == "text" and contact.message == "Could we talk this week?"
    client.force_login(pair_world["third"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Could we talk this week?" in page
    client.post(reverse("mentoring:answered", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.answered_by == pair_world["third"]


def test_the_faculty_mentor_sees_who_waits_but_not_the_message(client, pair_world):
    client.force_login(pair_world["mentee_user"])
    client.post(reverse("mentoring:contact"), {"channel": "email", "message": "Private words"})
    client.force_login(pair_world["faculty"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Mentee" in page and "Private words" not in page


def test_others_see_nothing_and_cannot_mark_answered(client, pair_world):
    client.force_login(pair_world["mentee_user"])
    client.post(reverse("mentoring:contact"), {"channel": "text", "message": "Private words"})
    contact = Contact.objects.get()
    stranger = UserFactory()
    client.force_login(stranger)
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Private words" not in page and "not in a mentoring pair" in page
    assert client.post(reverse("mentoring:answered", args=[contact.pk])).status_code == 404
    assert client.post(reverse("mentoring:contact"), {"channel": "text", "message": "x"}).status_code == 404


def test_a_mentor_logs_an_outside_contact_and_bad_input_is_explained(client, pair_world):
    client.force_login(pair_world["fourth"])
    bad = client.post(
        reverse("mentoring:log_contact"),
        {"mentee": str(pair_world["mentee"].pk), "channel": "call", "received_at": "yesterday"},
        follow=True,
    )
    assert "Enter a date and time" in bad.content.decode()
    client.post(
        reverse("mentoring:log_contact"),
        {"mentee": str(pair_world["mentee"].pk), "channel": "call", "received_at": "2026-11-20T09:30"},
    )
    contact = Contact.objects.get()
    assert contact.logged_by == pair_world["fourth"] and contact.channel == "call"


def test_a_mentor_sees_no_mentee_data_until_they_accept_the_statement(client, pair_world):
    statement = DisclosureStatement.objects.create(
        program=pair_world["cycle"].program,
        version=2,
        text="What you hear stays with you.",
        published_on=datetime.date(2026, 7, 1),
    )
    client.force_login(pair_world["third"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "What you hear stays with you." in page and "Mentee" not in page
    contact = Contact.objects.create(
        mentee=pair_world["mentee"],
        pair=pair_world["pair"],
        channel="text",
        received_at=timezone.now(),
        due_at=timezone.now() + datetime.timedelta(hours=1),
    )
    client.post(reverse("mentoring:answered", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.answered_at is None  # no acting on mentee data before accepting either
    client.post(reverse("mentoring:disclosure_accept"), {"statement": statement.pk})
    assert DisclosureAcceptance.objects.filter(user=pair_world["third"], statement=statement).exists()
    assert "Mentee" in client.get(reverse("mentoring:home")).content.decode()


def test_coordinators_see_cycle_figures_and_others_do_not(client, pair_world):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    services.contact_mark_answered(contact=contact, by=pair_world["third"])
    client.force_login(pair_world["coordinator"])
    page = client.get(reverse("mentoring:figures")).content.decode()
    assert "no contact past its deadline yet" in page  # answered, but the rate counts only contacts now due
    with time_machine.travel(contact.due_at + datetime.timedelta(minutes=1)):
        client.force_login(pair_world["coordinator"])  # a day idle signs out
        page = client.get(reverse("mentoring:figures")).content.decode()
    assert "100% of 1" in page and "Pairs" in page and "outside 12" in page  # a cohort of one mentee
    client.force_login(pair_world["third"])
    assert client.get(reverse("mentoring:figures")).status_code == 404


# --- the disclosure statement: clear refusals, and no mentee names anywhere before it -------

NAME = "Quinby Vantablack"  # an invented mentee, distinctive enough to search every page for


@pytest.fixture
def named_mentee(pair_world):
    user = pair_world["mentee_user"]
    user.name = NAME
    user.save(update_fields=["name"])
    return pair_world


MENTOR_POSTS = [
    ("mentoring:log_contact", {"channel": "call", "received_at": "2026-11-20T09:30"}),
    ("mentoring:meeting", {"held_on": "2026-11-20", "mode": "video", "kind": "group"}),
    ("mentoring:outreach", {"on": "2026-11-19", "channel": "text"}),
    ("mentoring:referral", {"to": "faculty", "category": "academic", "note": "n"}),
    ("mentoring:away", {"starts_on": "2026-12-01", "ends_on": "2026-12-02", "reason": "exams", "tell_mentees": "on"}),
]


@pytest.mark.parametrize("url, data", MENTOR_POSTS, ids=[url for url, _ in MENTOR_POSTS])
def test_a_mentor_who_has_not_accepted_is_refused_with_a_pointer_to_the_statement(
    client, pair_world, statement, url, data
):
    mentee = str(pair_world["mentee"].pk)
    data = {**data, "mentee": mentee, "mentees": [mentee]}
    client.force_login(pair_world["third"])
    with time_machine.travel(datetime.datetime(2026, 11, 21, 15, tzinfo=datetime.UTC)):
        response = client.post(reverse(url), data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "accept the program&#x27;s disclosure and confidentiality statement" in page
    assert statement.text in page  # the page the message points to shows it
    assert not any(m.objects.exists() for m in (Contact, Meeting, Outreach, MentorReferral, AwayNotice))


def test_marking_answered_before_accepting_is_refused_with_the_same_pointer(client, pair_world, statement):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    client.force_login(pair_world["third"])
    page = client.post(reverse("mentoring:answered", args=[contact.pk]), follow=True).content.decode()
    assert "disclosure and confidentiality statement" in page
    contact.refresh_from_db()
    assert contact.answered_at is None


def _everything_the_mentor_sees(client, mentor) -> str:
    client.force_login(mentor)
    pages = [client.get(reverse(name)).content.decode() for name in ("mentoring:home", "home", "inbox")]
    for notification in Notification.objects.filter(recipient=mentor):
        pages += [notification.subject, notification.body, notification.body_html]
        pages.append(client.get(reverse("inbox_open", args=[notification.pk])).content.decode())
    return "\n".join(pages)


def test_a_mentor_who_has_not_accepted_sees_no_mentee_name_anywhere(client, named_mentee, statement):
    world = named_mentee
    contact = services.contact_create(mentee=world["mentee"], channel="text", message="Please call me")
    with time_machine.travel(contact.due_at + datetime.timedelta(minutes=1)):
        services.contacts_escalate()  # the overdue notice to the mentors on duty
    cycle = world["cycle"]
    cycle.fall_starts_on, cycle.fall_ends_on = datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)
    cycle.save()
    MentorPair = type(world["pair"])
    MentorPair.objects.filter(pk=world["pair"].pk).update(
        published_at=datetime.datetime(2026, 8, 20, tzinfo=datetime.UTC)
    )
    with time_machine.travel(datetime.datetime(2026, 10, 26, 15, tzinfo=datetime.UTC)):
        assert services.duties_remind() > 0  # the monthly and mid-semester reminders
    seen = _everything_the_mentor_sees(client, world["third"])
    assert "A mentee is waiting for your answer" in seen and "mentees" in seen
    assert NAME not in seen and "Quinby" not in seen
    client.post(reverse("mentoring:disclosure_accept"), {"statement": statement.pk})
    assert NAME in client.get(reverse("mentoring:home")).content.decode()
    assert "Quinby is waiting for your answer" in client.get(reverse("home")).content.decode()


def test_the_away_mentor_gets_no_mark_answered_button_and_the_covering_faculty_mentor_does(client, pair_world):
    today = timezone.localdate()
    AwayNotice.objects.create(
        mentor=pair_world["third"], pair=pair_world["pair"], starts_on=today, ends_on=today, reason="x"
    )
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="x")
    client.force_login(pair_world["third"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Mark answered" not in page and "your partner answers this one" in page
    response = client.post(reverse("mentoring:answered", args=[contact.pk]), follow=True)
    assert "You&#x27;re away today" in response.content.decode()
    client.force_login(pair_world["faculty"])
    assert "Mark answered" not in client.get(reverse("mentoring:home")).content.decode()
    AwayNotice.objects.create(
        mentor=pair_world["fourth"], pair=pair_world["pair"], starts_on=today, ends_on=today, reason="x"
    )
    assert "Mark answered" in client.get(reverse("mentoring:home")).content.decode()
    client.post(reverse("mentoring:answered", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.answered_by == pair_world["faculty"]


def test_a_mentors_page_puts_the_waiting_contact_first_then_what_is_due_then_one_task_at_a_time(client, pair_world):
    contact = services.contact_create(mentee=pair_world["mentee"], channel="text", message="Can we talk?")
    client.force_login(pair_world["third"])

    page = client.get(reverse("mentoring:home")).content.decode()

    thread = reverse("mentoring:thread", args=[contact.pk])
    assert f'href="{thread}"' in page and "left · answer by" in page
    assert page.index(thread) < page.index("contact them this month") < page.index("Log a meeting")
    # each task a link that opens it on its own, none open (no form) until the mentor opens one
    tasks = ("contact", "meeting", "outreach", "away", "referral")
    assert all(f'href="?task={key}#task"' in page for key in tasks) and 'id="task"' not in page
    assert 'name="held_on"' not in page and 'name="starts_on"' not in page
    opened = client.get(reverse("mentoring:home"), {"task": "meeting"}).content.decode()
    assert opened.count('id="task"') == 1 and 'name="held_on"' in opened and 'name="starts_on"' not in opened
    assert opened.index(thread) < opened.index('name="held_on"')  # the waiting contact stays first
    unknown = client.get(reverse("mentoring:home"), {"task": "<script>"})
    assert unknown.status_code == 200 and 'id="task"' not in unknown.content.decode()


def test_a_refused_task_comes_back_open_with_what_was_typed(client, pair_world):
    client.force_login(pair_world["third"])
    data = {"starts_on": "2026-12-09", "ends_on": "2026-12-01", "reason": "conference"}

    page = client.post(reverse("mentoring:away"), data).content.decode()

    assert page.count('id="task"') == 1 and 'value="conference"' in page and 'name="held_on"' not in page
    assert "The end date is before the start date." in page

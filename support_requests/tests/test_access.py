"""Who sees what: a role-by-URL matrix, the log of every read, no-store, and the admin."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from peers.models import AccessLog, Notification, User
from peers.tests.factories import UserFactory, give_totp
from support_requests import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(program, make_request, make_supporter, lead, coordinator, trainee):
    assigned = make_supporter("assigned@example.edu")
    other = make_supporter("other.supporter@example.edu")
    request = make_request(requester=trainee)
    services.request_offer(request=request, supporter=assigned)
    services.request_accept(request=request, supporter=assigned)
    superuser = User.objects.create_superuser("root@example.edu", "long-enough-password")
    give_totp(superuser)
    return {
        "request": request,
        "requester": trainee,
        "assigned supporter": assigned,
        "another supporter": other,
        "support lead": lead,
        "coordinator": coordinator,
        "superuser": superuser,
        "anonymous": None,
    }


# status codes per person: detail, queue, report, accept-action
MATRIX = {
    "requester": (200, 404, 404, 404),
    "assigned supporter": (200, 200, 404, 302),
    "another supporter": (404, 200, 404, 404),
    "support lead": (200, 200, 200, 302),  # a lead may record first contact too
    "coordinator": (404, 404, 200, 404),
    "superuser": (404, 404, 200, 404),
    "anonymous": (302, 302, 302, 302),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_role_by_url_matrix(client, world, who):
    person, request = world[who], world["request"]
    if person:
        client.force_login(person)
    urls = [reverse("support:detail", args=[request.pk]), reverse("support:queue"), reverse("support:report")]
    got = [client.get(url).status_code for url in urls]
    got.append(client.post(reverse("support:contacted", args=[request.pk])).status_code)
    assert tuple(got) == MATRIX[who]
    status = client.get(reverse("support:status", args=[request.status_token]))
    assert status.status_code == 200 and request.reference in status.content.decode()


# Every other support URL, per person: (url name, args, method, data) -> expected status
ACTIONS = ["accept", "decline", "note", "referral", "close", "assign"]
FULL = {
    # who: intake, status, profile, then each action in ACTIONS order
    "requester": (200, 200, 404, 404, 404, 404, 404, 404, 404),
    "assigned supporter": (200, 200, 200, 302, 302, 302, 302, 302, 404),
    "another supporter": (200, 200, 200, 404, 404, 404, 404, 404, 404),
    "support lead": (200, 200, 404, 404, 404, 302, 302, 302, 302),
    "coordinator": (200, 200, 404, 404, 404, 404, 404, 404, 404),
    "superuser": (200, 200, 404, 404, 404, 404, 404, 404, 404),
    "anonymous": (200, 200, 302, 302, 302, 302, 302, 302, 302),
}
DATA = {
    "note": {"text": "n"},
    "referral": {"resource": "crisis"},
    "close": {"outcome": "supported", "confirm": "1"},
    "assign": {"supporter": "1"},
}


@pytest.mark.parametrize("who", list(FULL))
def test_every_other_support_url_by_role(client, world, who):
    person, request = world[who], world["request"]
    if person:
        client.force_login(person)
    got = [
        client.get(reverse("support:intake")).status_code,
        client.get(reverse("support:status", args=[request.status_token])).status_code,
        client.get(reverse("support:profile")).status_code,
    ]
    for action in ACTIONS:
        got.append(client.post(reverse(f"support:{action}", args=[request.pk]), DATA.get(action, {})).status_code)
    # accept/decline: only the one the request is offered to (it is accepted already, so they get a message)
    assert tuple(got) == FULL[who]


@pytest.mark.parametrize("who", ["requester", "assigned supporter", "support lead"])
def test_allowed_readers_see_the_content(client, world, who):
    client.force_login(world[who])
    page = client.get(reverse("support:detail", args=[world["request"].pk]))
    assert "Night shifts are wearing me down." in page.content.decode()


@pytest.mark.parametrize("who", ["coordinator", "superuser", "another supporter"])
def test_every_read_allowed_or_denied_is_logged(client, world, who):
    request = world["request"]
    client.force_login(world["support lead"])
    client.get(reverse("support:detail", args=[request.pk]))
    client.force_login(world[who])
    client.get(reverse("support:detail", args=[request.pk]))
    rows = list(
        AccessLog.objects.using("audit")
        .filter(object_id=str(request.pk))
        .order_by("at")
        .values_list("actor_id", "allowed")
    )
    assert rows == [(world["support lead"].pk, True), (world[who].pk, False)]
    client.force_login(world["support lead"])
    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert "denied" in page  # leads see who read, and who was refused


def test_confidential_pages_are_not_cached(client, world):
    client.force_login(world["support lead"])
    for url in (
        reverse("support:detail", args=[world["request"].pk]),
        reverse("support:queue"),
        reverse("support:status", args=[world["request"].status_token]),
        reverse("support:intake"),
    ):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_support_requests_are_not_in_the_admin_even_for_the_superuser(client, world):
    client.force_login(world["superuser"])
    request = world["request"]
    index = client.get(reverse("admin:index")).content.decode()
    assert "Support requests" not in index and "supportrequest" not in index
    for path in (
        "/admin/support_requests/supportrequest/",
        f"/admin/support_requests/supportrequest/{request.pk}/change/",
        f"/admin/support_requests/supportrequest/{request.pk}/history/",
    ):
        response = client.get(path, follow=True)
        page = response.content.decode()
        assert request.reference not in page and "Night shifts" not in page


def test_the_admin_never_lists_support_notifications(client, world):
    client.force_login(world["superuser"])
    listing = client.get(reverse("admin:peers_notification_changelist") + "?q=support").content.decode()
    assert world["request"].reference not in listing
    everything = client.get(reverse("admin:peers_notification_changelist")).content.decode()
    assert world["request"].reference not in everything


def test_the_database_holds_ciphertext(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, contact_details, screening FROM support_requests_supportrequest")
        description, contact, screening = cursor.fetchone()
    assert description.startswith("gAAAA") and "Night" not in description
    assert "private.example" not in contact
    assert screening is None  # nothing screened yes: nothing stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM support_requests_supportrequestevent")
        assert all(value is None or value.startswith("gAAAA") for (value,) in cursor.fetchall())


def test_notifications_never_carry_the_content(world):
    bodies = " ".join(Notification.objects.values_list("subject", flat=True)) + " ".join(
        Notification.objects.values_list("body", flat=True)
    )
    assert world["request"].reference in bodies
    assert "Night shifts" not in bodies and "private.example" not in bodies


def test_a_stranger_guessing_ids_is_refused_and_logged(client, world):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("support:detail", args=[999999])).status_code == 404
    assert AccessLog.objects.using("audit").filter(object_id="999999", allowed=False).exists()


def test_the_requester_reading_their_own_request_is_not_named_in_the_log(client, make_request, trainee):
    request = make_request(requester=trainee)
    client.force_login(trainee)
    client.get(reverse("support:detail", args=[request.pk]))
    client.get(reverse("support:status", args=[request.status_token]))
    rows = list(AccessLog.objects.using("audit").filter(object_id=str(request.pk)).values_list("actor", "ip"))
    assert rows == [(None, None), (None, None)]


# --- a supporter merely offered a request sees only what they need to decide -----------------

NARRATIVE = "My attending shouted at me in theatre on Tuesday."
CONTACT = "pager-4471@private.example"
DEPARTMENT = "Orthopaedic Surgery"


@pytest.fixture
def offered(make_request, make_supporter, trainee):
    supporter = make_supporter("offered@example.edu", specialty="Cardiology", career_stage="resident")
    request = make_request(
        requester=trainee,
        reason="conflict",
        urgency="today",
        description=NARRATIVE,
        contact_details=CONTACT,
        requester_department=DEPARTMENT,
        preferences={"specialty": "cardiology", "career_stage": "fellow", "not_my_department": True},
    )
    services.request_offer(request=request, supporter=supporter)
    return request, supporter


def _page(client, request) -> tuple[int, str]:
    response = client.get(reverse("support:detail", args=[request.pk]))
    return response.status_code, response.content.decode()


def _secrets_in(page: str) -> list[str]:
    return [
        secret for secret in (NARRATIVE, CONTACT, "pager-4471", DEPARTMENT, "cardiology", "fellow") if secret in page
    ]


def test_an_offered_supporter_sees_category_and_urgency_but_no_narrative_or_contact(client, offered):
    request, supporter = offered
    client.force_login(supporter)
    status, page = _page(client, request)
    assert status == 200
    assert request.reference in page
    assert "Conflict with a patient or colleague" in page and "Today, please" in page
    assert "Accept" in page and "Decline" in page
    assert _secrets_in(page) == []
    # Whether they meet what was asked for, never what it was:
    assert 'particular specialty: <span class="badge text-bg-success">you match' in page
    assert 'particular career stage: <span class="badge text-bg-secondary">you don\'t match' in page
    assert "department" not in page.lower()


def test_once_accepted_the_supporter_reads_the_whole_request(client, offered):
    request, supporter = offered
    client.force_login(supporter)
    client.post(reverse("support:accept", args=[request.pk]))
    status, page = _page(client, request)
    assert status == 200 and NARRATIVE in page and CONTACT in page


def test_the_offer_view_is_logged_as_such(client, offered):
    request, supporter = offered
    client.force_login(supporter)
    _page(client, request)
    rows = AccessLog.objects.using("audit").filter(object_id=str(request.pk), actor_id=supporter.pk)
    assert list(rows.values_list("action", "allowed")) == [("offer_view", True)]


def test_a_supporter_who_declined_reads_nothing_and_is_logged_as_denied(client, offered, make_supporter):
    request, supporter = offered
    make_supporter("next@example.edu")
    client.force_login(supporter)
    response = client.post(reverse("support:decline", args=[request.pk]), follow=True)
    assert "Declined" in response.content.decode()
    assert _page(client, request)[0] == 404
    last = AccessLog.objects.using("audit").filter(object_id=str(request.pk), actor_id=supporter.pk).latest("at")
    assert (last.action, last.allowed) == ("view", False)


def test_a_supporter_whose_offer_lapsed_reads_nothing(client, offered):
    request, supporter = offered
    request.refresh_from_db()
    with time_machine.travel(request.offer_expires_at + datetime.timedelta(minutes=1)):
        assert services.offers_expire() == 1
    client.force_login(supporter)
    assert _page(client, request)[0] == 404


def test_an_offered_supporter_cannot_reach_the_content_through_an_action(client, offered):
    request, supporter = offered
    client.force_login(supporter)
    for action, data in (("note", {"text": "n"}), ("referral", {"resource": "crisis"}), ("contacted", {})):
        assert client.post(reverse(f"support:{action}", args=[request.pk]), data).status_code == 404
    denied = AccessLog.objects.using("audit").filter(object_id=str(request.pk), actor_id=supporter.pk, allowed=False)
    assert denied.count() == 3


def test_the_queue_and_the_offer_notification_carry_no_content(client, offered):
    request, supporter = offered
    client.force_login(supporter)
    queue = client.get(reverse("support:queue")).content.decode()
    assert request.reference in queue and "Conflict with a patient or colleague" in queue
    assert _secrets_in(queue) == []
    home = client.get(reverse("home")).content.decode()
    assert request.reference in home and _secrets_in(home) == []
    offer = Notification.objects.get(recipient=supporter, kind="support_offer")
    assert request.reference in offer.subject + offer.body
    assert _secrets_in(offer.subject + offer.body + offer.body_html) == []
    inbox = client.get(reverse("inbox_open", args=[offer.pk])).content.decode()
    assert _secrets_in(inbox) == []


def test_an_offered_supporter_can_only_accept_or_decline(client, make_request, make_supporter, lead):
    supporter = make_supporter("s@example.edu")
    request = make_request()
    services.request_offer(request=request, supporter=supporter)
    client.force_login(supporter)
    assert client.post(reverse("support:close", args=[request.pk]), {"outcome": "declined"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "offered"

"""The support offer expiry moves a batch of lapsed offers on together: a fixed number of
queries a batch, and one to rank each request's supporters (plus its UPDATE when it is
offered), the selector a coordinator's offer uses; the notices are inserted together."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peers.models import Notification
from support_requests import services
from support_requests.models import SupportDecline, SupportRequest
from support_requests.services import offers
from support_requests.tests.bulk import bulk_requests

pytestmark = pytest.mark.django_db


def _lapsed_offers(program, supporter, count: int) -> list[SupportRequest]:
    """`count` requests offered to `supporter`, each offer lapsed a minute or more ago."""
    now = timezone.now()
    return bulk_requests(
        program,
        count,
        lambda n: {
            "first_contact_due_at": now + datetime.timedelta(hours=20),
            "overdue_at": now + datetime.timedelta(hours=44),
            "status": SupportRequest.Status.OFFERED,
            "assigned_to": supporter,
            "offered_at": now - datetime.timedelta(hours=25),
            "offer_expires_at": now - datetime.timedelta(minutes=1 + n),
        },
    )


def _queries(sweep) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        done = sweep()
    return done, [query["sql"] for query in captured.captured_queries]


# SAVEPOINT; the claim (SELECT ... FOR UPDATE SKIP LOCKED, with programs and settings);
# one INSERT of the declines; one UPDATE putting the requests back to new; the programs'
# supporter profiles locked in id order; then the unmatched requests' declines, their
# programs' leads and coordinators, the dedupe keys that exist, one INSERT ... ON
# CONFLICT DO NOTHING, RELEASE.
BATCH_QUERIES = 10
# Per request: its ranked suggestions; and the UPDATE offering it, when someone can take it.
RANK, OFFER = 1, 1


@pytest.mark.parametrize("due", [5, 50])
def test_lapsed_offers_move_on_in_a_fixed_number_of_queries_a_batch(program, make_supporter, lead, due):
    first = make_supporter("first@example.edu", capacity=60)
    second = make_supporter("second@example.edu", capacity=3)
    _lapsed_offers(program, first, due)
    done, queries = _queries(services.offers_expire)
    assert done == due
    expected = BATCH_QUERIES + due * RANK + 3 * OFFER
    listing = "\n".join(f"  {n}. {sql[:160]}" for n, sql in enumerate(queries, 1))
    assert len(queries) == expected, f"{len(queries)} queries, expected {expected}:\n{listing}"
    # The second supporter's three places go to the first three; nobody else can take the rest.
    held = SupportRequest.objects.filter(status="offered")
    assert set(held.values_list("assigned_to", flat=True)) == {second.pk} and held.count() == 3
    assert SupportRequest.objects.filter(status="new", assigned_to=None).count() == due - 3
    assert SupportDecline.objects.filter(supporter=first, lapsed=True).count() == due
    assert Notification.objects.filter(kind="support_offer", recipient=second).count() == 3
    unmatched = Notification.objects.filter(kind="support_unmatched")
    assert unmatched.count() == due - 3 and set(unmatched.values_list("recipient", flat=True)) == {lead.pk}
    assert services.offers_expire() == 0


def test_lapsed_offers_beyond_a_batch_take_one_more_batch(program, make_supporter, lead, monkeypatch):
    monkeypatch.setattr(offers, "BATCH", 4)
    first = make_supporter("first@example.edu", capacity=60)
    _lapsed_offers(program, first, 6)
    assert services.offers_expire() == 6
    assert SupportRequest.objects.filter(status="new").count() == 6
    assert Notification.objects.filter(kind="support_unmatched").count() == 6

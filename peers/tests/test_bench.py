"""The benchmark's pieces (python -m peers.bench): sign-in, the bare page, the query
header and the load generator, against a live server for a second."""

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import override_settings
from django.utils import timezone

from peers.bench import delivery, signin, sweeps, wrk
from peers.bench.load import measure
from peers.bench.pages import probe
from peers.management.commands import seed_demo
from peers.models import Notification
from peers.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory

BENCH = override_settings(
    ROOT_URLCONF="peers.bench.urls",
    MIDDLEWARE=["peers.bench.middleware.QueryCountMiddleware", *__import__("peers.settings").settings.MIDDLEWARE],
)


def test_the_runners_code_is_the_one_an_authenticator_app_shows_for_the_demo_key():
    assert (signin.DEMO_PASSWORD, signin.DEMO_TOTP_SECRET) == (seed_demo.DEMO_PASSWORD, seed_demo.DEMO_TOTP_SECRET)
    for at in (0, 1_700_000_000, 1_800_000_029):
        assert signin.totp(signin.DEMO_TOTP_SECRET, at) == format_hotp_value(
            hotp_value(signin.DEMO_TOTP_SECRET, at // 30)
        )


def _notifications(count: int) -> None:
    user = UserFactory()
    Notification.objects.bulk_create(
        Notification(
            recipient=user, kind="bench", dedupe_key=f"b{n}", subject=f"Row {n}", body="-", due_at=user.date_joined
        )
        for n in range(count)
    )


@pytest.mark.django_db
@BENCH
def test_the_bare_page_renders_50_rows_from_one_query_and_says_so_in_a_header(client, django_assert_num_queries):
    _notifications(60)
    with django_assert_num_queries(1):
        response = client.get("/bench/bare/")
    assert response.content.decode().count("<tr>") == 50
    assert response["X-Bench-Queries"] == "1"


@pytest.mark.django_db
def test_the_bare_page_is_not_in_the_products_urls(client):
    assert client.get("/bench/bare/").status_code == 404


@pytest.mark.django_db(transaction=True)
@BENCH
def test_signed_in_roles_pages_are_probed_and_loaded_for_a_second(live_server, trainee, coordinator):
    _notifications(5)
    host, port = live_server.thread.host, live_server.thread.port
    base_url = live_server.url
    trainee_cookie = signin.sign_in(base_url, "trainee@example.edu", TEST_PASSWORD)
    coordinator_cookie = signin.sign_in(base_url, "coordinator@example.edu", TEST_PASSWORD, TEST_TOTP_SECRET)
    status, kilobytes, _ = probe(base_url, "/", trainee_cookie)
    assert status == 200 and kilobytes > 1
    assert probe(base_url, "/admin/", coordinator_cookie)[0] == 200
    assert probe(base_url, "/admin/", trainee_cookie)[0] == 302  # the cookies are each person's own
    result = measure(host=host, port=port, path="/bench/bare/", seconds=1, connections=4)
    assert result.requests > 5 and result.errors == 0
    assert 0 < result.p50 <= result.percentile(99) < 1000
    assert result.per_second > 5


@pytest.mark.django_db
def test_a_sweeps_timing_counts_each_of_its_queries():
    _, queries, result = sweeps.timed(lambda: [Notification.objects.count() for _ in range(3)])
    assert (queries, result) == (3, [0, 0, 0])


@pytest.mark.django_db
def test_the_sweep_timings_refuse_any_database_but_the_benchmarks():
    with pytest.raises(SystemExit, match="only on the benchmark's database"):
        sweeps.run()


@pytest.mark.django_db
def test_the_delivery_timing_refuses_any_database_but_the_benchmarks(trainee):
    with pytest.raises(SystemExit, match="only on the benchmark's database"):
        delivery.run(5)
    assert not Notification.objects.exists()  # refused before any row was added


@pytest.mark.django_db
def test_the_delivery_backlog_is_due_now_and_made_afresh_each_run(trainee):
    delivery.backlog(30)
    delivery.backlog(20)  # a run cut short leaves its rows: the next starts again
    assert delivery.unsent() == 20
    assert Notification.objects.filter(due_at__lte=timezone.now(), sent_at=None).count() == 20


def test_the_delivery_report_says_how_fast_and_whether_each_was_sent_once():
    line = delivery.report(
        {
            "count": 10_000,
            "seconds": 12.5,
            "finished": True,
            "delivered": 10_000,
            "missing": 0,
            "duplicates": 0,
            "others": 3,
            "connections": 210,
        }
    )
    assert line == (
        "10,000 due notifications by two worker processes: 12.5 s (800/s), 0 missing, 0 twice, "
        "over 210 SMTP connections (and 3 others that were due); target <60 s: PASS"
    )


WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8077/bench/bare/
  2 threads and 32 connections
  Latency Distribution
     50%  312.40ms
     75%  401.00ms
     90%  520.11ms
     99%    1.20s
  1520 requests in 5.01s, 3.10MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    303.39
"""


def test_wrks_report_is_read_into_the_same_figures_as_the_python_generators():
    result = wrk.parse(WRK_OUTPUT)
    assert (result.per_second, result.p50, result.percentile(99), result.errors) == (303.39, 312.4, 1200.0, 5)

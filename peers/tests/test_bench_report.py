"""The benchmark's report lines: each page, sweep and the delivery say their target and
whether the run met it (PASS) or not (MISS, with what missed)."""

from peers.bench import delivery, sweeps
from peers.bench.pages import COORDINATORS, PEOPLE, Measured, Page, format_row, key_pages
from peers.bench.wrk import WrkResult


def _row(audience: str, *, per_second: float, p99: float, errors: int = 0, bare: float = 100.0) -> str:
    page = Page("mentor", "/mentoring/", audience)
    return format_row(Measured(page, 200, 9.0, 15, WrkResult(per_second, 200.0, p99, errors), bare))


def test_a_peoples_page_passes_at_half_the_bare_pages_rate_and_a_p99_under_half_a_second():
    line = _row(PEOPLE, per_second=50, p99=499)
    assert line.split()[-3:] == [">=0.5", "<500ms", "PASS"]
    assert " 0.50 " in line


def test_a_peoples_page_says_which_of_its_targets_it_missed():
    assert _row(PEOPLE, per_second=49, p99=499).endswith("MISS (ratio 0.49)")
    assert _row(PEOPLE, per_second=60, p99=500).endswith("MISS (p99 500 ms)")
    assert _row(PEOPLE, per_second=10, p99=2000, errors=3).endswith("MISS (ratio 0.10, p99 2000 ms, 3 errors)")


def test_a_coordinators_page_is_held_to_a_third_of_the_bare_page_and_a_second():
    assert _row(COORDINATORS, per_second=30, p99=999).split()[-3:] == [">=0.3", "<1000ms", "PASS"]
    assert _row(COORDINATORS, per_second=29, p99=1200).endswith("MISS (ratio 0.29, p99 1200 ms)")


def test_a_page_that_did_not_answer_is_a_miss():
    line = format_row(Measured(Page("trainee", "/mentoring/"), 404, 1.0, 3))
    assert line.endswith("(not measured: the page did not answer 200) MISS")


def test_the_key_pages_include_the_mentees_page_and_their_thread_when_there_is_one():
    paths = [(page.role, page.path) for page in key_pages(7, thread_id=42)]
    assert ("trainee", "/mentoring/") in paths and ("trainee", "/mentoring/contacts/42/") in paths
    assert ("mentor", "/mentoring/") in paths and ("coordinator", "/sessions/roster/7/") in paths
    assert not any("/contacts/" in path for _, path in [(p.role, p.path) for p in key_pages(7)])


def _sweep(name: str, idle_ms: float) -> dict:
    return {"sweep": name, "due_ms": 120.0, "due_queries": 9, "due_result": 3, "idle_ms": idle_ms, "idle_queries": 1}


def test_each_sweep_line_holds_its_idle_time_to_ten_milliseconds():
    report = sweeps.report([_sweep("notifications", 9.9), _sweep("mentor_duty_reminders", 10.0)])
    heading, quick, slow = report.splitlines()
    assert heading.endswith("target (idle)")
    assert quick.split()[-3:] == ["<10", "ms", "PASS"] and "9.9" in quick
    assert slow.split()[-3:] == ["<10", "ms", "MISS"] and slow.startswith("mentor_duty_reminders")


def _delivered(**changes) -> dict:
    result = {
        "count": 10_000,
        "seconds": 45.0,
        "finished": True,
        "delivered": 10_000,
        "missing": 0,
        "duplicates": 0,
        "others": 0,
        "connections": 100,
    }
    return result | changes


def test_the_delivery_passes_under_a_minute_with_each_received_once():
    assert delivery.report(_delivered()).endswith(
        "45.0 s (222/s), 0 missing, 0 twice, over 100 SMTP connections; target <60 s: PASS"
    )
    assert delivery.report(_delivered(seconds=61.0)).endswith("target <60 s: MISS")
    assert delivery.report(_delivered(duplicates=1)).endswith("target <60 s: MISS")


def test_a_delivery_cut_short_reports_how_many_were_sent_and_misses():
    line = delivery.report(_delivered(seconds=120.4, finished=False, delivered=6_020))
    assert "not done in 120 s: 6,020 sent (50/s)" in line
    assert line.endswith("target <60 s: MISS")

"""A full disk under the embedded servers' data: the suite's PostgreSQL (and Redis, which
keeps nothing on disk) live on a small disk of their own (faults/conftest.py), and this
case fills it while a trainee books a seat and someone asks for support."""

import errno
import os
from pathlib import Path

import pytest

from faults.stack import act_json, assert_each_sent_once, count, get, health, post, support_details, unsent
from peers.testing.processes import wait_for

pytestmark = pytest.mark.faults


def _fill(path: Path) -> None:
    """Write zeros until the disk refuses, in ever smaller pieces, to its last page."""
    with open(path, "wb", buffering=0) as filler:
        for size in (1 << 20, 1 << 12):
            try:
                while True:
                    filler.write(b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise


def _small_disk(stack) -> Path:
    if stack["disk"] is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs as root and must be able to mount the small disk: {stack['disk_refused']}")
        pytest.skip(f"no small disk for the database's data: {stack['disk_refused']}")
    return stack["disk"]


def _rows(stack, made) -> tuple:
    query = stack["postgres"].query
    return (
        query("SELECT count(*) FROM sessions_app_booking WHERE session_id = %s", (made["session"],))[0][0],
        query("SELECT seats_taken FROM sessions_app_session WHERE id = %s", (made["session"],))[0][0],
        query("SELECT count(*) FROM support_requests_supportrequest")[0][0],
        count(stack, "booking_confirmed"),
    )


def test_a_full_disk_answers_503_in_plain_words_then_the_same_actions_succeed_once(fresh):
    stack, port = fresh, fresh["port"]
    disk = _small_disk(stack)
    stack["processes"].worker()
    stack["processes"].beat()
    made = act_json(stack, "seat_support_and_inbox()")
    book, details = f"/sessions/{made['session']}/book/", support_details(made["program"])
    # A full disk fails the writes that need a new page: with these tables empty, the
    # booking's and the request's first rows do (rows fitting a page already there would not).
    stack["postgres"].query("TRUNCATE sessions_app_booking, support_requests_supportrequest CASCADE; SELECT 1")
    _fill(disk / "filler")
    try:
        status, page = post(port, book, {}, made["trainee"])
        assert status == 503 and "We could not save this just now" in page and "Nothing was lost" in page
        assert "try again in a few minutes" in page and "Traceback" not in page
        status, page = post(port, "/support/", details)
        assert status == 503 and "We could not save this just now; nothing was lost" in page
        assert "Fault Crisis Line" in page and "A hard week." in page  # the resources, and the words kept
        status, page = get(port, f"/sessions/{made['session']}/", made["trainee"])
        assert status == 200 and "You're booked." not in page  # reading still works
        report = health(port)
        assert report["database"].startswith("error") and report["broker"] == "ok" and report["status"] == "error"
        assert _rows(stack, made) == (0, 0, 0, 0)  # nothing half-written
    finally:
        (disk / "filler").unlink()
    stack["postgres"].start()  # a no-op unless the full disk stopped it
    assert health(port)["database"] == "ok"
    status, page = post(port, book, {}, made["trainee"])
    assert status == 200 and "You're booked." in page
    status, page = post(port, "/support/", details)
    assert status == 200 and "We've received your request" in page and "Fault Crisis Line" in page
    assert _rows(stack, made) == (1, 1, 1, 1)  # nothing doubled
    wait_for(lambda: unsent(stack) == 0, 60, "not everything was sent after the disk was freed")
    assert_each_sent_once(stack)

"""What the demo's people do before their pages are measured, over HTTP as they would:

1. the demo mentor accepts the disclosure statement (else /mentoring/ shows them the
   statement, not their mentees);
2. the demo trainee, a mentee, writes to their mentors once, so that a mentee's thread
   exists to measure (the demo has none).

Like signin.py, this runs without Django: the ids come from the database through psycopg2."""

import re
import urllib.parse
import urllib.request

import psycopg2

from peers.bench.signin import CSRF

STATEMENT = re.compile(r'name="statement" value="(\d+)"')


def submit(base_url: str, cookie: str, page: str, action: str, fields: dict[str, str]) -> int:
    """Open `page` for its form's CSRF token, post `fields` to `action`; the final status."""
    headers = {"Cookie": cookie}
    html = urllib.request.urlopen(urllib.request.Request(f"{base_url}{page}", headers=headers), timeout=60).read()
    token = CSRF.search(html.decode())
    if not token:
        raise RuntimeError(f"no form at {page}")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
    headers["Referer"] = f"{base_url}{page}"
    request = urllib.request.Request(f"{base_url}{action}", data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def accept_disclosure(base_url: str, cookie: str) -> bool:
    """Accept the statement /mentoring/ asks for, if it asks; True if it did."""
    request = urllib.request.Request(f"{base_url}/mentoring/", headers={"Cookie": cookie})
    statement = STATEMENT.search(urllib.request.urlopen(request, timeout=60).read().decode())
    if not statement:
        return False
    submit(base_url, cookie, "/mentoring/", "/mentoring/disclosure/", {"statement": statement.group(1)})
    return True


def mentee_thread(db_url: str, base_url: str, cookie: str, email: str) -> int | None:
    """The id of `email`'s latest message to their mentors, written now if they have none
    (None if they are nobody's mentee)."""
    place, contact = _place_and_contact(db_url, email)
    if place is None or contact is not None:
        return contact
    fields = {"place": str(place), "channel": "text", "message": "Could we talk about the exam week?"}
    submit(base_url, cookie, "/mentoring/", "/mentoring/contact/", fields)
    return _place_and_contact(db_url, email)[1]


def _place_and_contact(db_url: str, email: str) -> tuple[int | None, int | None]:
    with psycopg2.connect(db_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, (SELECT max(c.id) FROM mentoring_contact c"
            " WHERE c.mentee_id = m.id AND c.pair_id = m.pair_id)"
            " FROM mentoring_mentee m JOIN peers_user u ON u.id = m.user_id"
            " JOIN mentoring_mentorpair p ON p.id = m.pair_id"
            " WHERE u.email = %s AND p.published_at IS NOT NULL AND p.dissolved_at IS NULL"
            " ORDER BY m.id DESC LIMIT 1",
            [email],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (None, None)

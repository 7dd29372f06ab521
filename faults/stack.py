"""What the fault cases do to the stack and ask of it: run an action, count rows, and
use the pages as a person's browser would (a CSRF cookie and field, a session cookie)."""

import json
import secrets
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request

from peers.testing.processes import Processes, wait_for

SWEEP_INTERVAL = 1


def act(stack, code: str) -> str:
    return stack["processes"].manage("shell", "-c", f"from faults import actions; actions.{code}")


def act_json(stack, code: str):
    """An action that prints JSON as its last line (ids, session cookies)."""
    return json.loads(act(stack, code).strip().splitlines()[-1])


def unsent(stack) -> int:
    return stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE sent_at IS NULL")[0][0]


def total(stack) -> int:
    return stack["postgres"].query("SELECT count(*) FROM peers_notification")[0][0]


def count(stack, kind: str) -> int:
    return stack["postgres"].query("SELECT count(*) FROM peers_notification WHERE kind = %s", (kind,))[0][0]


def assert_each_sent_once(stack) -> None:
    ids = {str(row[0]) for row in stack["postgres"].query("SELECT id FROM peers_notification")}
    received = stack["sink"].received
    assert set(received) == ids, f"missing: {ids - set(received)}, unexpected: {set(received) - ids}"
    assert stack["sink"].duplicates() == 0, {k: v for k, v in received.items() if v > 1}


def start_web(processes: Processes) -> int:
    """A gunicorn on a free port; answers its port once /healthz answers at all."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    processes._spawn("web", [sys.executable, "-m", "gunicorn", "peers.wsgi", "--bind", f"127.0.0.1:{port}"])
    wait_for(lambda: health(port), 60, "the web to answer\n" + processes.logs())
    return port


def _open(request: urllib.request.Request) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get(port: int, path: str, cookie: str = "") -> tuple[int, str]:
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    return _open(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers))


def post(port: int, path: str, data: dict, cookie: str = "") -> tuple[int, str]:
    """A form POST as a browser sends it; with `cookie`, as that signed-in person.
    Redirects are followed, so a booking answers with the session's page."""
    csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked CSRF secret
    cookies = f"csrftoken={csrf}" + (f"; sessionid={cookie}" if cookie else "")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}).encode(),
        headers={"Cookie": cookies, "Referer": f"http://127.0.0.1:{port}/"},
        method="POST",
    )
    return _open(request)


def health(port: int) -> dict | None:
    """/healthz's report (200 or 503), or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)
    except OSError:
        return None


def support_details(program_id: int) -> dict:
    """The anonymous support form, screened in, with its details filled in."""
    no = {"self_harm": "no", "substance": "no", "mental_health": "no", "medical_advice": "no"}
    return {
        **no,
        **{"program": program_id, "step": "details", "reason": "burnout", "urgency": "this_week"},
        **{"description": "A hard week.", "contact_method": "email", "contact_details": "me@private.example"},
    }

"""No URL of the project answers 5xx to malformed input.

Walks every URL pattern (ours, the admin's and allauth's), fills its converters with
sample values and with junk (NUL bytes, control characters, invalid UTF-8 escapes,
overlong strings, numbers too big for the database), and sends junk query strings and
POST bodies too, as an anonymous visitor, a signed-in trainee and a staff coordinator
with two-factor authentication. Requests are grouped per pattern; every 5xx or
exception is collected so one run lists them all.
"""

import re
import urllib.parse

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.django_db

SAMPLES = {"int": "1", "str": "sample", "path": "1", "slug": "sample", "uuid": "00000000-0000-0000-0000-000000000001"}
# Put into every converter of a pattern, one request each, already percent-encoded: NUL
# bytes, control characters, a number too big for the database, and an overlong string
# of quotes ending in an invalid UTF-8 escape.
JUNK = [
    ("nul", "%00"),
    ("nul-inside", "1%00"),
    ("controls", "a%01%1b%7f"),
    ("huge-number", "9" * 25),
    ("garbage", urllib.parse.quote("'\"<>; --", safe="") + "x" * 3000 + "%ff%fe"),
]
FIELDS = [
    "q", "o", "p", "e", "next", "token", "program", "page", "code", "email", "login", "password",
    "text", "description", "action", "_selected_action", "index", "select_across", "step", "pk", "id",
]  # fmt: skip
QUERY_NUL = "&".join(f"{name}=%00" for name in FIELDS)
_QUERY_VALUES = ["%ff", "9" * 25, "-1", "x" * 3000]
_POST_VALUES = ["9" * 25, "-1", "x" * 3000, "'\"<>", "\ufffd"]
QUERY_JUNK = "&".join(f"{name}={_QUERY_VALUES[i % 4]}" for i, name in enumerate(FIELDS))
POST_NUL = {name: "a\x00b" for name in FIELDS}
POST_JUNK = {name: _POST_VALUES[i % 5] for i, name in enumerate(FIELDS)}


def _patterns(patterns=None, prefix=()):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, (*prefix, entry.pattern))
        elif isinstance(entry, URLPattern):
            yield (*prefix, entry.pattern)


def _regex_path(regex: str, fill) -> str:
    """A path for a regex pattern: each named group replaced by a value (its first
    alternative when the group lists literal words and `fill` gives None)."""
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
                if depth == 0:
                    break
            body = regex[regex.index(">", i) + 1 : j - 1]
            words = body.split("|")
            value = fill()
            if value is None:
                value = words[0] if all(re.fullmatch(r"\w+", w) for w in words) else "sample"
            out.append(value)
            i = j
        else:
            out.append(regex[i])
            i += 1
    return "".join(out).lstrip("^").rstrip("$").replace("\\", "")


def _path(chain, junk: str | None) -> str:
    def fill(kind: str):
        return SAMPLES.get(kind, "sample") if junk is None else junk

    parts = []
    for pattern in chain:
        if isinstance(pattern, RoutePattern):
            route = str(pattern)
            parts.append(re.sub(r"<(?:(\w+):)?\w+>", lambda m: fill(m.group(1) or "str"), route))
        elif isinstance(pattern, RegexPattern):
            parts.append(_regex_path(pattern._regex, lambda: None if junk is None else fill("str")))
    return "/" + "".join(parts)


def _has_converters(chain) -> bool:
    return any(getattr(pattern, "converters", None) or "(?P<" in str(pattern) for pattern in chain)


def _requests(chain):
    """(label, method, path, data) for one pattern."""
    sample = _path(chain, None)
    yield "get-query-nul", "get", f"{sample}?{QUERY_NUL}", None
    yield "get-query-junk", "get", f"{sample}?{QUERY_JUNK}", None
    yield "post-nul", "post", sample, POST_NUL
    yield "post-junk", "post", sample, POST_JUNK
    yield "post-raw-nul", "post-raw", sample, "q=%00&email=a%00b&text=%ff"
    if _has_converters(chain):
        for label, value in JUNK:
            yield f"path-{label}", "get", _path(chain, value), None


def _send(client: Client, method: str, path: str, data):
    if method == "get":
        return client.get(path)
    if method == "post-raw":
        return client.post(path, data, content_type="application/x-www-form-urlencoded")
    return client.post(path, data)


def _walk(client: Client, sign_in) -> list[str]:
    failures = []
    sign_in()
    for chain in _patterns():
        if "_auth_user_id" not in client.session:
            sign_in()  # the previous pattern signed the person out (allauth's logout)
        for label, method, path, data in _requests(chain):
            try:
                status = _send(client, method, path, data).status_code
            except Exception as error:  # noqa: BLE001 (every failure is listed)
                failures.append(f"{label} {path[:80]!r}: {type(error).__name__}: {str(error)[:120]}")
                continue
            if status >= 500 and not (status == 503 and path.startswith("/healthz")):  # 503: sweeps not run
                failures.append(f"{label} {path[:80]!r}: {status}")
    return failures


def test_every_url_survives_malformed_input_anonymously(client, program):
    failures = _walk(client, lambda: None)
    assert not failures, "\n".join(failures)


def test_every_url_survives_malformed_input_from_a_trainee(client, trainee):
    failures = _walk(client, lambda: client.force_login(trainee))
    assert not failures, "\n".join(failures)


def test_every_url_survives_malformed_input_from_a_staff_coordinator(client, coordinator):
    failures = _walk(client, lambda: client.force_login(coordinator))
    assert not failures, "\n".join(failures)


def test_the_walk_reaches_the_admin_and_allauth():
    paths = {_path(chain, None) for chain in _patterns()}
    assert {"/admin/peers/user/", "/accounts/login/", "/support/", "/calendar/sample.ics"} <= paths
    assert len(paths) > 200


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/support/status/%00/", {}),
        ("/calendar/a%01b.ics", {}),
        ("/sessions/?q=%00", {}),
        ("/", {"HTTP_USER_AGENT": "curl\x00"}),
    ],
)
def test_a_nul_byte_or_control_character_answers_400_with_a_plain_page(client, program, path, extra):
    response = client.get(path, **extra)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


def test_a_nul_byte_in_a_form_field_answers_400(client, program):
    response = client.post("/accounts/login/", {"login": "a\x00@example.edu", "password": "x"})
    assert response.status_code == 400


def test_tabs_and_line_breaks_in_text_are_still_accepted(client, program):
    # The core knows no app: this one test borrows the support form, the free text anyone
    # may post without an account, and imports it only here.
    from support_requests.models import SupportRequest
    from support_requests.tests.test_views import _details

    client.post("/support/", _details(program, description="First line\n\tsecond line\r\n"))
    assert SupportRequest.objects.get().description == "First line\n\tsecond line"


def test_an_export_with_filters_the_list_does_not_offer_answers_400(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/peers/membership/export/?next=%2F").status_code == 400

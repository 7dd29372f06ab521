"""The coordinators' admin on a 360 px phone in real Chromium (issue 16): change lists and
the tabular inlines of change forms stack into labelled cards, nothing scrolls sideways
(the page, nor a table inside it), every control is a finger's size and uncovered, and
axe-core reports no serious or critical violation."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from peers.testing.axe import assert_page_ok
from peers.testing.targets import target_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHANGE_LISTS = [
    "sessions_app_session",
    "peers_membership",
    "support_requests_supporterprofile",
    "mentoring_mentorpair",
    "peers_notification",
    "sessions_app_booking",
]

# Each stacked table: its header row is hidden, each row's shown cells take the table's width,
# and the table does not scroll inside its box.
_STACKED = """() => {
  const problems = [];
  const tables = document.querySelectorAll('#result_list, .inline-group .tabular table');
  if (!tables.length) problems.push('no table on the page');
  for (const table of tables) {
    const where = table.id || table.closest('.inline-group').id;
    const width = table.getBoundingClientRect().width;
    if (table.querySelector('thead').getBoundingClientRect().height > 0) problems.push(`${where}: header row shows`);
    const box = table.closest('.results, fieldset');
    if (box.scrollWidth > box.clientWidth + 1) problems.push(`${where}: scrolls sideways inside`);
    for (const row of table.querySelectorAll('tbody tr')) {
      for (const cell of row.children) {
        const r = cell.getBoundingClientRect();
        if (r.height > 0 && r.width < width * 0.9)
          problems.push(`${where}: cell ${cell.className} sits beside another (${Math.round(r.width)} px)`);
        if (r.height > 0 && cell.dataset.label === undefined && !cell.matches('.original, [colspan]'))
          problems.push(`${where}: cell ${cell.className} has no label`);
      }
    }
  }
  return problems;
}"""


def _signed_in(browser, live_server, user):
    """A phone whose browser holds the person's session (signed in as the test client is)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def _check(page, url: str, problems: list[str]) -> None:
    page.goto(url)
    assert page.url == url, f"sent from {url} to {page.url}"
    assert_page_ok(page)
    problems.extend(f"{url}: {line}" for line in page.evaluate(_STACKED))
    problems.extend(f"{url}: {line}" for line in target_problems(page))


def test_the_admin_s_lists_and_inlines_stack_on_a_phone(live_server, browser, admin_world, coordinator, office):
    problems: list[str] = []
    pages = [reverse(f"admin:{name}_changelist") for name in CHANGE_LISTS]
    pages += [
        reverse("admin:sessions_app_session_change", args=[admin_world["session"].pk]),
        reverse("admin:mentoring_mentorpair_change", args=[admin_world["pair"].pk]),
    ]
    context = _signed_in(browser, live_server, coordinator)
    try:
        page = context.new_page()
        for path in pages:
            _check(page, f"{live_server.url}{path}", problems)
    finally:
        context.close()
    # The office sees a supporter's time away: an inline whose dates are typed in.
    context = _signed_in(browser, live_server, office[0])
    try:
        page = context.new_page()
        path = reverse("admin:support_requests_supporterprofile_change", args=[admin_world["profile"].pk])
        _check(page, f"{live_server.url}{path}", problems)
    finally:
        context.close()
    assert not problems, "at 360 px:\n  " + "\n  ".join(problems)

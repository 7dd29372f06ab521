"""Every role's pages (peers/tests/journeys.py), on the demo data, at 360 px and 1280 px in
real Chromium: no horizontal scrolling and no serious or critical axe-core violation on any of
them (peers/testing/axe.py), and at 360 px every control a finger's size and uncovered. Each
role signs in as a person would, two-factor code included. Pages added to the journeys later
(`Page.late`) get every check at 360 px and overflow and axe at 1280 px (the browser budget)."""

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.db import connection

from peers.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DOMAIN
from peers.testing.axe import horizontal_overflow, serious_violations
from peers.testing.flush import may_turn_triggers_off
from peers.testing.snapshot import rows_copy, rows_restore
from peers.testing.targets import target_problems
from peers.tests.journeys import ANONYMOUS, JOURNEYS, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)


_DEMO_ROWS: dict[str, bytes] = {}


@pytest.fixture
def demo(settings):
    """The demo data, as `seed_demo` makes it: seeded by the module's first test, and copied
    back, row for row, for the others (seeding takes seconds; the copy, a fraction of one)."""
    settings.DEBUG = True  # seed_demo refuses otherwise; the pages are served as in `make run`
    if not may_turn_triggers_off(connection):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    elif _DEMO_ROWS:
        rows_restore(_DEMO_ROWS)
    else:
        call_command("seed_demo", stdout=open("/dev/null", "w"))
        _DEMO_ROWS.update(rows_copy())


# Every data table: each cell's data-label is its column's header, and below 600 px the
# header row is hidden and each cell takes the table's full width (a stacked row).
_TABLES = """(phone) => {
  const problems = [];
  for (const table of document.querySelectorAll('main table')) {
    const where = table.querySelector('caption, th')?.innerText.trim().slice(0, 30);
    if (!table.classList.contains('table-stack')) {
      problems.push(`table "${where}" does not stack on a phone`);
      continue;
    }
    const headers = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
    for (const row of table.querySelectorAll('tbody tr')) {
      const cells = [...row.children];
      if (cells.length === 1 && cells[0].colSpan > 1) continue;  // "nothing yet"
      cells.forEach((cell, i) => {
        if (cell.dataset.label !== headers[i]) {
          problems.push(`table "${where}": cell ${i} is "${cell.dataset.label}", its column "${headers[i]}"`);
        }
      });
      if (phone && cells.some(cell => cell.getBoundingClientRect().width < table.getBoundingClientRect().width * 0.9)) {
        problems.push(`table "${where}": a row's cells sit side by side at phone width`);
      }
    }
    const head = table.querySelector('thead');
    if (phone && head && head.getBoundingClientRect().height > 1) {
      problems.push(`table "${where}": its header row shows at phone width`);
    }
  }
  return problems;
}"""


def _check_phone(page, problems: list[str]) -> None:
    """The page passes axe and fits, and its tables stack; at phone width, every control is a
    finger's size and uncovered (peers/testing/targets.py). Problems are gathered, so one run
    names every page's."""
    width = page.viewport_size["width"]
    if overflow := horizontal_overflow(page):
        problems.append(f"{page.url} at {width} px: scrolls sideways by {overflow} px")
    problems.extend(f"{page.url} at {width} px: axe {line}" for line in serious_violations(page))
    phone = page.viewport_size["width"] < 400
    if "/admin/" not in page.url:  # the admin's tables stack its own way: test_browser_admin.py
        problems.extend(f"{page.url}: {line}" for line in page.evaluate(_TABLES, phone))
    if phone:
        problems.extend(f"{page.url}: {line}" for line in target_problems(page))


def _open_menu(page, problems: list[str]) -> None:
    """The navigation menu, opened as a phone shows it, with its links measured too."""
    page.get_by_role("button", name="Open the menu").click()
    page.locator("#main-nav.show").wait_for()
    _check_phone(page, problems)


def _sign_in(page, base_url: str, email: str, problems: list[str]) -> None:
    page.goto(f"{base_url}/accounts/login/")
    _check_phone(page, problems)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    if "/2fa/" in page.url:
        _check_phone(page, problems)
        for _attempt in range(2):  # a code typed as its 30 s ran out is refused: type the next one
            code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // app_settings.TOTP_PERIOD))
            page.get_by_label("Code").fill(code)
            page.get_by_role("button", name="Sign In").click()
            page.wait_for_load_state()
            if "/2fa/" not in page.url:
                break
    assert page.url == f"{base_url}/", f"{email} signing in ended on {page.url}: {page.inner_text('main')[:300]}"


def _walk(page, base_url: str, pages: list[Page], person, problems: list[str], *, menu: bool) -> None:
    """Each page at each width; a page's path is found when the journey first reaches it."""
    paths: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 740 if width < 400 else 800})
        for index, step in enumerate(pages):
            if index == len(paths):
                paths.append(step.path(person))
            response = page.goto(f"{base_url}{paths[index]}")
            assert response.status == 200, f"{paths[index]} answered {response.status}"
            assert page.url.startswith(f"{base_url}{paths[index]}"), f"{paths[index]} sent to {page.url}"
            if step.late and width >= 400:
                if overflow := horizontal_overflow(page):
                    problems.append(f"{page.url} at {width} px: scrolls sideways by {overflow} px")
                problems.extend(f"{page.url} at {width} px: axe {line}" for line in serious_violations(page))
            else:
                _check_phone(page, problems)
            if menu and width < 400 and step.name == "home":
                _open_menu(page, problems)


@pytest.mark.parametrize("role", JOURNEYS)
def test_each_role_s_pages_fit_a_phone_and_pass_axe(live_server, browser, demo, role):
    from peers.models import User

    person = User.objects.get(email=f"{role}@{DOMAIN}")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    problems: list[str] = []
    try:
        _sign_in(page, live_server.url, person.email, problems)
        _walk(page, live_server.url, [Page("home"), *JOURNEYS[role]], person, problems, menu=True)
    finally:
        context.close()
    assert not problems, f"{role}'s pages:\n  " + "\n  ".join(problems)


def test_a_person_asking_for_help_without_an_account_meets_no_barrier(live_server, browser, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    problems: list[str] = []
    try:
        _walk(page, live_server.url, ANONYMOUS, None, problems, menu=False)
    finally:
        context.close()
    assert not problems, "the pages without an account:\n  " + "\n  ".join(problems)


def test_the_checks_see_a_missing_alt_text_and_a_page_wider_than_the_phone(browser):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.set_content(
            '<html lang="en"><title>t</title><main><img src="x.png"><div style="width:700px">wide</div></main>'
        )
        assert any(line.startswith("image-alt (critical)") for line in serious_violations(page))
        assert horizontal_overflow(page) > 300
    finally:
        page.close()


def test_the_checks_see_a_small_button_a_covered_link_and_a_table_that_does_not_stack(browser):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.set_content(
            '<html lang="en"><title>t</title><main><button style="height:30px">Send</button>'
            '<p>Read <a href="/a">inline text</a>.</p>'
            '<ul><li><a href="/b" style="display:block;height:50px">In a list</a></li></ul>'
            '<div style="position:relative;top:-40px;height:60px;background:red">over it</div>'
            '<details><summary style="display:block;height:44px">More</summary>'
            '<button aria-label="Folded away">Later</button></details>'
            "<table><thead><tr><th>Month</th></tr></thead><tbody><tr><td>May</td></tr></tbody></table></main>"
        )
        problems = target_problems(page)
        assert any(line.startswith('button[submit] "Send" is') and "x30 px" in line for line in problems)
        assert any(line.startswith('a "In a list" is covered') for line in problems)
        assert not any("inline text" in line or "Folded away" in line for line in problems)
        assert page.evaluate(_TABLES, True) == ['table "Month" does not stack on a phone']
    finally:
        page.close()

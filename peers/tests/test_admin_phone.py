"""The coordinators' admin on a phone (issue 16): every change list's cells carry their
column's title, which admin-phone.css shows beside the value once the rows stack below
600 px; the labels add nothing the row did not already show."""

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_list
from django.template import engines
from django.urls import reverse

pytestmark = pytest.mark.django_db

DJANGO_RESULTS = Path(django.__file__).parent / "contrib/admin/templates/admin/change_list_results.html"


class _ResultTable(HTMLParser):
    """The headers' titles (their div.text, without the sort controls) of table#result_list
    and, for each body row, its cells' data-labels."""

    def __init__(self):
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str | None]] = []
        self._in_table = self._in_head = False
        self._header_text: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "result_list":
            self._in_table = True
        elif self._in_table and tag == "thead":
            self._in_head = True
        elif self._in_table and self._in_head and tag == "th":
            self._header_text = []
        elif self._header_text is not None and tag == "div" and attrs.get("class") == "text":
            self._in_title = True
        elif self._in_table and not self._in_head and tag == "tr":
            self.rows.append([])
        elif self._in_table and not self._in_head and tag in ("td", "th") and self.rows:
            self.rows[-1].append(attrs.get("data-label"))

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "thead":
            self._in_head = False
        elif tag == "div":
            self._in_title = False
        elif tag == "th" and self._header_text is not None:
            self.headers.append(" ".join("".join(self._header_text).split()))
            self._header_text = None

    def handle_data(self, data):
        if self._header_text is not None and self._in_title:
            self._header_text.append(data)


def _result_table(html: str) -> _ResultTable:
    table = _ResultTable()
    table.feed(html)
    return table


def _visible_changelists(request_user, rf):
    request = rf.get("/admin/")
    request.user = request_user
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_view_permission(request):
            yield model, reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _label_problems(client, url: str) -> tuple[int, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    table = _result_table(response.content.decode())
    expected = ["Select" if not text else text for text in table.headers]
    problems = []
    for row in table.rows:
        if len(row) == 1 and len(expected) > 1:
            continue  # a row of the form's errors, across the table
        for index, label in enumerate(row):
            want = expected[index] if index < len(expected) else None
            if not label or label != want:
                problems.append(f"{url}: cell {index} is labelled {label!r}, its column {want!r}")
    return len(table.rows), problems


@pytest.mark.parametrize("who", ["coordinator", "office"])
def test_every_change_list_s_cells_carry_their_column_s_title(client, rf, admin_world, coordinator, office, who):
    user = coordinator if who == "coordinator" else office[0]
    client.force_login(user)
    problems, rows_seen = [], {}
    for model, url in _visible_changelists(user, rf):
        rows, found = _label_problems(client, url)
        rows_seen[model._meta.label] = rows
        problems.extend(found)
    assert not problems, "\n".join(problems)
    # The lists the world fills show their rows, so the labels above were really checked.
    filled = {
        "peers.Membership",
        "peers.Notification",
        "sessions_app.Session",
        "sessions_app.Booking",
        "sessions_app.Facilitation",
        "mentoring.MentorPair",
        "support_requests.SupporterProfile",
        "support_requests.OfficeHours",
        "peers.TrainingProgram",
    }
    assert {label for label in filled if rows_seen.get(label, 0) == 0} == set(), rows_seen


def _strip_labels(html: str) -> str:
    return re.sub(r' data-label="[^"]*"', "", html)


def test_the_supporter_list_s_cards_show_exactly_what_its_rows_showed(client, admin_world, coordinator):
    """The labels are the only change to Django's own rendering: a stacked card can reveal
    no column the list does not show (a supporter's disclosed identities stay out)."""
    client.force_login(coordinator)
    response = client.get(reverse("admin:support_requests_supporterprofile_changelist"))
    ours = response.content.decode()
    theirs = engines["django"].from_string(DJANGO_RESULTS.read_text()).render(result_list(response.context_data["cl"]))
    ours_table = ours[ours.index('<table id="result_list">') : ours.index("</table>", ours.index("result_list"))]
    theirs_table = theirs[theirs.index('<table id="result_list">') : theirs.index("</table>")]
    assert 'data-label="User"' in ours_table and "supporter@example.edu" in ours_table
    assert _strip_labels(ours_table) == theirs_table
    assert "Rural upbringing" not in ours
    assert _result_table(ours).headers == ["", "User", "Program", "Is active", "Capacity", "Specialty", "Career stage"]


def test_an_inline_s_inputs_are_named_by_their_column_and_its_cells_labelled(client, admin_world, office):
    client.force_login(office[0])  # a coordinator sees a supporter's profile, not their time away
    url = reverse("admin:support_requests_supporterprofile_change", args=[admin_world["profile"].pk])
    page = client.get(url).content.decode()
    row = page[page.index('id="away_periods-0"') :]
    row = row[: row.index("</tr>")]
    starts_on = re.search(r'<td class="field-starts_on" data-label="Starts on">((?:(?!</td>).)*)</td>', row, re.S)
    assert starts_on and 'aria-label="Starts on"' in starts_on[1], row
    assert 'data-label="Delete?"' in row and 'aria-label="Delete"' in row
    assert "2027-01-04" in row


def test_a_date_and_time_field_labels_both_its_inputs(client, admin_world, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("admin:sessions_app_session_change", args=[admin_world["session"].pk])).content.decode()
    assert '<label for="id_starts_at_0">Date:</label>' in page
    assert '<label for="id_starts_at_1">Time:</label>' in page

"""Stacked tables on a phone: each cell carries its column's header as `data-label`
(peers.css, and admin-phone.css for the admin, show it beside the value below 600 px).
Where the columns come from a list, `{{ columns|column:forloop.counter0 }}` names the
cell's column; the admin's change lists label their rendered cells with
`{{ result|labelled_cells:result_headers }}`."""

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

register = template.Library()

# Django renders the action checkbox's header as the select-all box; its cells select a row.
ACTION_CHECKBOX_CLASS = "action-checkbox-column"


@register.filter
def column(columns, index: int):
    try:
        return columns[index]
    except (IndexError, TypeError, KeyError):
        return ""


def column_title(header: dict) -> str:
    """The words a change list's column header shows (as the header row prints them)."""
    if ACTION_CHECKBOX_CLASS in str(header.get("class_attrib", "")):
        return gettext("Select")
    return capfirst(strip_tags(str(header["text"])).strip())


@register.filter
def labelled_cells(cells, headers) -> list[str]:
    """A change list row's cells (`<td …>`/`<th …>` from Django's `items_for_result`), each
    given `data-label="<its column's title>"`. A cell beyond the headers (a visible
    primary-key field of an editable list) is left as it is."""
    titles = [column_title(header) for header in headers]
    labelled = []
    for index, cell in enumerate(cells):
        cell = str(cell)
        if index < len(titles) and cell.startswith(("<td", "<th")):
            cell = f'{cell[:3]} data-label="{escape(titles[index])}"{cell[3:]}'
        labelled.append(mark_safe(cell))
    return labelled


@register.filter
def named_widget(bound_field):
    """A form field's widget with its label as `aria-label`: a tabular inline's inputs
    have no <label> of their own (their column header names them for sighted people)."""
    if bound_field.is_hidden:
        return bound_field
    return bound_field.as_widget(attrs={"aria-label": str(capfirst(bound_field.label))})

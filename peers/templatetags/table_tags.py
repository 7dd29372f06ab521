"""Stacked tables on a phone: each cell carries its column's header as `data-label`
(peers.css shows it beside the value below 600 px). Where the columns come from a list,
`{{ columns|column:forloop.counter0 }}` names the cell's column."""

from django import template

register = template.Library()


@register.filter
def column(columns, index: int):
    try:
        return columns[index]
    except (IndexError, TypeError, KeyError):
        return ""

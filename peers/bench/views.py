"""The yardstick: a bare Django page that renders 50 rows from one query."""

from django.http import HttpRequest, HttpResponse
from django.template import engines

from peers.models import Notification

TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>Bare</title><table>{% for row in rows %}"
    "<tr><td>{{ row.pk }}</td><td>{{ row.subject }}</td><td>{{ row.due_at|date:'Y-m-d H:i' }}</td></tr>"
    "{% endfor %}</table>"
)


def bare(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.only("pk", "subject", "due_at").order_by("-pk")[:50]
    return HttpResponse(TEMPLATE.render({"rows": rows}))

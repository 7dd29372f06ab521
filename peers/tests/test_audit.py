import pytest
from django.db import DatabaseError, transaction
from django.http import Http404
from django.test import RequestFactory

from peers.models import AccessLog
from peers.services.audit import access_log_write

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "audit"])


def _denied_read(request):
    """What a confidential view does: log the refusal, then answer 404 from inside
    the request's transaction, which rolls back."""
    with transaction.atomic():
        access_log_write(request=request, action="view", object_type="support.request", object_id="42", allowed=False)
        raise Http404


def test_a_denied_read_leaves_its_row_although_the_request_rolls_back(outsider):
    request = RequestFactory().get("/support/42/", REMOTE_ADDR="203.0.113.7")
    request.user = outsider
    with pytest.raises(Http404):
        _denied_read(request)
    row = AccessLog.objects.get()
    assert (row.actor, row.allowed, row.object_type, row.object_id, row.ip) == (
        outsider,
        False,
        "support.request",
        "42",
        "203.0.113.7",
    )


def test_an_allowed_read_is_logged_with_the_object(trainee):
    request = RequestFactory().get("/")
    request.user = trainee
    access_log_write(request=request, action="view", obj=trainee, allowed=True)
    row = AccessLog.objects.get()
    assert (row.object_type, row.object_id, row.allowed) == ("peers.user", str(trainee.pk), True)


def test_the_access_log_cannot_be_changed_or_deleted(trainee):
    request = RequestFactory().get("/")
    request.user = trainee
    row = access_log_write(request=request, action="view", obj=trainee, allowed=True)
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            AccessLog.objects.filter(pk=row.pk).update(allowed=False)
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            AccessLog.objects.filter(pk=row.pk).delete()
    assert AccessLog.objects.get(pk=row.pk).allowed is True

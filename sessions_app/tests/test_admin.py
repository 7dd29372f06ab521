"""The admin never tells who gave feedback, nor in which order it came."""

import re

import pytest
from django.urls import reverse

from sessions_app import services
from sessions_app.models import Booking, Feedback
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

# session, user, TOTP, memberships, two permission lookups, the (capped) count, the rows
# (topics joined), the rating filter's values.
QUERIES = 9


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_booking_admin_does_not_show_or_filter_who_gave_feedback(admin_client, program, make_trainee):
    session = SessionFactory(program=program)
    booking = services.booking_create(session=session, user=make_trainee("t@example.edu"))
    Booking.objects.filter(pk=booking.pk).update(feedback_given=True)
    page = admin_client.get(reverse("admin:sessions_app_booking_change", args=[booking.pk]))
    assert page.status_code == 200
    assert "feedback_given" not in page.content.decode() and "Feedback given" not in page.content.decode()
    listing = admin_client.get(reverse("admin:sessions_app_booking_changelist") + "?feedback_given__exact=1")
    assert listing.status_code == 400  # no such filter: nobody can list who gave feedback


def test_feedback_is_listed_only_from_five_answers_by_rating_and_comment_not_arrival(admin_client, program):
    small, large = SessionFactory(program=program), SessionFactory(program=program)
    for rating, comment in [(4, "a few of us")] * 4:
        Feedback.objects.create(session=small, rating=rating, comment=comment)
    arrival = [(5, "zesty"), (2, "too long"), (5, "calm"), (3, "useful"), (4, "kind people")]
    for rating, comment in arrival:
        Feedback.objects.create(session=large, rating=rating, comment=comment)
    page = admin_client.get(reverse("admin:sessions_app_feedback_changelist")).content.decode()
    assert "a few of us" not in page  # four answers: not listed
    positions = [page.index(comment) for _, comment in sorted(arrival)]
    assert positions == sorted(positions)  # by rating, then comment
    assert "/sessions_app/feedback/" + str(Feedback.objects.filter(session=large).first().pk) not in page  # no links
    assert not re.search(r"/booking/\d", page) and "@example" not in page
    one = Feedback.objects.filter(session=large).first()
    assert admin_client.get(reverse("admin:sessions_app_feedback_change", args=[one.pk])).status_code in (403, 404)
    changelist = reverse("admin:sessions_app_feedback_changelist")
    assert admin_client.get(changelist + "?submitted_on__gte=2020-01-01").status_code == 400  # no filter by day
    assert admin_client.get(changelist + f"?id__gt={one.pk}").status_code == 400  # nor by arrival


@pytest.mark.parametrize("sessions", [1, 4])
def test_the_feedback_list_costs_the_same_queries_however_many_sessions(
    admin_client, program, django_assert_num_queries, sessions
):
    for _ in range(sessions):
        session = SessionFactory(program=program)
        Feedback.objects.bulk_create([Feedback(session=session, rating=4, comment="fine") for _ in range(5)])
    with django_assert_num_queries(QUERIES):
        page = admin_client.get(reverse("admin:sessions_app_feedback_changelist"))
    assert page.content.decode().count("fine") == 5 * sessions

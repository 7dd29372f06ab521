"""The rounds pages: one card per round, a round's groups, booking and switching."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peers.models import Role
from peers.testing.queries import assert_fixed_queries
from peers.tests.factories import MembershipFactory, UserFactory
from sessions_app import services
from sessions_app.models import Booking, Session
from sessions_app.tests.factories import SeriesFactory, SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_one_card_per_round_with_its_groups_and_seats(client, make_round, trainee):
    one, _, _ = make_round(groups=3, capacity=4)
    client.force_login(trainee)
    page = client.get(reverse("sessions:list")).content.decode()
    assert page.count(f">{one.topic.title}</span>") == 1  # one card, not three
    assert "3 groups, 12 seats in all" in page and "12 seats left" in page
    assert reverse("sessions:round", args=[one.pk]) in page


def test_the_list_is_paginated(client, program, trainee):
    series = SeriesFactory(program=program)
    for day in range(1, 16):
        SessionFactory(
            program=program,
            series=series,
            topic=TopicFactory(),
            starts_at=timezone.now() + datetime.timedelta(days=day),
        )
    client.force_login(trainee)
    first = client.get(reverse("sessions:list")).content.decode()
    assert first.count('class="list-group-item list-group-item-action"') == 12 and "Page 1<" in first
    assert "page=2" in first and "Earlier" not in first
    second = client.get(reverse("sessions:list") + "?page=2").content.decode()
    assert second.count('class="list-group-item list-group-item-action"') == 3
    assert "Earlier" in second and "page=3" not in second and "Later" not in second
    first_again = client.get(reverse("sessions:list") + "?page=junk").content.decode()
    assert first_again.count('class="list-group-item list-group-item-action"') == 12
    past = client.get(reverse("sessions:list") + "?page=99999999999999999999").content.decode()
    assert "past the last one" in past and "page=1000" not in past


def test_the_list_shows_what_i_booked_wait_for_or_facilitate(
    client, program, make_round, make_trainee, trained_facilitator
):
    booked, _ = make_round()
    (full,) = make_round(groups=1, capacity=1)
    facilitated, _ = make_round()
    person = trained_facilitator("both@example.edu")
    MembershipFactory(user=person, program=program, role=Role.TRAINEE)
    services.round_book(session=booked, user=person)
    services.booking_create(session=full, user=make_trainee("first@example.edu"))
    services.round_waitlist_join(session=full, user=person)
    services.facilitation_add(session=facilitated, user=person)
    client.force_login(person)
    page = client.get(reverse("sessions:list")).content.decode()
    assert "Booked · group 1" in page and "On the waitlist" in page and "You facilitate group 1" in page


def test_the_round_page_lists_each_group_with_its_own_room_and_seats(client, make_round, trainee):
    one, two = make_round(capacity=3)
    Session.objects.filter(pk=two.pk).update(location="", modality="virtual", join_link="https://video.example/g2")
    client.force_login(trainee)
    page = client.get(reverse("sessions:round", args=[one.pk])).content.decode()
    assert "Group 1" in page and "Room 1" in page and "Group 2" in page and "Online" in page
    assert "3 of 3 seats left" in page
    assert "video.example/g2" not in page  # a join link only for the group's own people
    client.post(reverse("sessions:round_book", args=[one.pk]), {"group": two.pk})
    assert "video.example/g2" in client.get(reverse("sessions:round", args=[one.pk])).content.decode()


def test_booking_the_round_places_me_and_says_in_which_group(client, make_round, make_trainee, trainee):
    one, two = make_round(capacity=3)
    services.booking_create(session=one, user=make_trainee("a@example.edu"))
    client.force_login(trainee)
    response = client.post(reverse("sessions:round_book", args=[one.pk]), follow=True)
    assert "You&#x27;re booked in group 2" in response.content.decode()
    assert Booking.objects.get(user=trainee).session == two


def test_after_booking_one_group_the_others_offer_a_switch_not_a_second_booking(client, make_round, trainee):
    one, two = make_round(capacity=3)
    services.booking_create(session=one, user=trainee)
    client.force_login(trainee)
    group_page = client.get(reverse("sessions:detail", args=[two.pk])).content.decode()
    assert "Switch to this group" in group_page and "Book a seat" not in group_page
    round_page = client.get(reverse("sessions:round", args=[one.pk])).content.decode()
    assert "Switch to this group" in round_page and "Book group" not in round_page
    response = client.post(reverse("sessions:switch", args=[two.pk]), follow=True)
    page = response.content.decode()
    assert "You&#x27;re now in group 2" in page and "Cancel it first" not in page
    assert Booking.objects.get(user=trainee, status="booked").session == two


def test_a_group_of_another_round_cannot_be_booked_from_a_rounds_page(client, make_round, trainee):
    one, _ = make_round()
    elsewhere, _ = make_round()
    client.force_login(trainee)
    assert client.post(reverse("sessions:round_book", args=[one.pk]), {"group": elsewhere.pk}).status_code == 404
    assert not Booking.objects.exists()


def test_switching_without_a_seat_in_the_round_is_404(client, make_round, trainee):
    _, two = make_round()
    client.force_login(trainee)
    assert client.post(reverse("sessions:switch", args=[two.pk])).status_code == 404


@pytest.mark.parametrize("page", ["round", "round_book", "round_waitlist_join", "switch"])
def test_a_trainee_of_another_program_gets_404_on_every_round_page(client, session, other_program, page):
    stranger = UserFactory(email="elsewhere@example.edu")
    MembershipFactory(user=stranger, program=other_program, role=Role.TRAINEE)
    client.force_login(stranger)
    method = client.get if page == "round" else client.post
    assert method(reverse(f"sessions:{page}", args=[session.pk])).status_code == 404


def test_a_full_round_offers_its_waitlist_from_the_rounds_page(client, make_round, make_trainee, trainee):
    one, two = make_round(capacity=1)
    services.booking_create(session=one, user=make_trainee("a@example.edu"))
    services.booking_create(session=two, user=make_trainee("b@example.edu"))
    client.force_login(trainee)
    assert "Every group is full" in client.get(reverse("sessions:round", args=[one.pk])).content.decode()
    response = client.post(reverse("sessions:round_waitlist_join", args=[one.pk]), follow=True)
    assert "on the waitlist of every group" in response.content.decode()
    assert trainee.session_waitlists.filter(status="waiting").count() == 2


def test_the_round_page_runs_a_fixed_number_of_queries(client, make_round, make_trainee, trained_facilitator, trainee):
    """session, user, memberships, the session with topic/program/series and its
    facilitators (2), the round's groups and their facilitators (2), my seat, my waitlist
    places, nav unread count."""
    groups = make_round(groups=2, capacity=10)
    services.booking_create(session=groups[0], user=trainee)
    client.force_login(trainee)

    def grow():
        for n in range(3, 9):
            SessionFactory(
                program=groups[0].program,
                series=groups[0].series,
                group_number=n,
                starts_at=groups[0].starts_at,
                round_date=groups[0].round_date,
            )
        for n in range(6):
            services.booking_create(session=groups[1], user=make_trainee(f"more{n}@example.edu"))
        for n, group in enumerate(groups):
            services.facilitation_add(session=group, user=trained_facilitator(f"f{n}@example.edu"))

    assert_fixed_queries(client, reverse("sessions:round", args=[groups[0].pk]), 10, grow=grow)


def test_booking_a_second_group_from_an_old_tab_points_to_the_switch(client, make_round, trainee):
    one, two = make_round(capacity=3)
    services.booking_create(session=one, user=trainee)
    client.force_login(trainee)
    page = client.post(reverse("sessions:book", args=[two.pk]), follow=True).content.decode()
    assert "Switch to this group from its page instead" in page and "Cancel it first" not in page
    assert "Switch to this group</button>" in page
    assert Booking.objects.get(user=trainee, status="booked").session == one


def test_a_group_number_in_other_digits_books_the_emptiest_group_not_an_error(
    client, make_round, make_trainee, trainee
):
    one, two = make_round(capacity=3)
    services.booking_create(session=one, user=make_trainee("a@example.edu"))
    client.force_login(trainee)
    response = client.post(reverse("sessions:round_book", args=[one.pk]), {"group": "²"}, follow=True)
    assert response.status_code == 200
    assert Booking.objects.get(user=trainee).session == two


def test_the_filters_show_only_the_rounds_of_that_month_topic_and_format(client, program, trainee):
    """Each combination of filters is its own compiled query (`round_selectors._rounds_compiled`)."""
    this_month = timezone.localtime() + datetime.timedelta(days=1)
    next_month = (this_month.replace(day=1) + datetime.timedelta(days=40)).replace(day=10, hour=12)
    kind, other_kind = TopicFactory(program=program, title="Sleep"), TopicFactory(program=program, title="Grief")
    sleep_now = SessionFactory(program=program, topic=kind, starts_at=this_month, modality="in_person")
    sleep_later = SessionFactory(program=program, topic=kind, starts_at=next_month, modality="virtual")
    grief_later = SessionFactory(program=program, topic=other_kind, starts_at=next_month, modality="in_person")
    client.force_login(trainee)

    def shown(query: str) -> set[int]:
        page = client.get(reverse("sessions:list") + query).content.decode()
        return {s.pk for s in (sleep_now, sleep_later, grief_later) if reverse("sessions:round", args=[s.pk]) in page}

    month = f"{next_month:%Y-%m}"
    assert shown("") == {sleep_now.pk, sleep_later.pk, grief_later.pk}
    assert shown(f"?month={month}") == {sleep_later.pk, grief_later.pk}
    assert shown(f"?topic={kind.pk}") == {sleep_now.pk, sleep_later.pk}
    assert shown("?modality=virtual") == {sleep_later.pk}
    assert shown(f"?month={month}&topic={kind.pk}&modality=virtual") == {sleep_later.pk}
    assert shown(f"?month={month}&modality=in_person") == {grief_later.pk}

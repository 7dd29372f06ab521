import datetime

import factory
from django.utils import timezone

from peers.tests.factories import ProgramFactory
from sessions_app.models import Session, SessionSeries, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    title = factory.Sequence(lambda n: f"Topic {n}")
    summary = "A guided conversation."
    core_values = ["resilience"]


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSeries

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Series {n}")
    term_starts_on = datetime.date(2026, 9, 1)
    term_ends_on = datetime.date(2027, 6, 30)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    program = factory.SubFactory(ProgramFactory)
    topic = factory.SubFactory(TopicFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=60))
    # The round's date is local (the program's zone, Toronto here), as the service computes it.
    round_date = factory.LazyAttribute(lambda o: timezone.localtime(o.starts_at).date())
    capacity = 10
    location = "Room 2.14"


def seats_held(session: Session) -> int:
    """The session's seat count, after checking it equals its bookings plus held offers."""
    session.refresh_from_db()
    bookings = session.bookings.filter(status="booked").count()
    offers = session.waitlist.filter(status="offered").count()
    assert session.seats_taken == bookings + offers
    return session.seats_taken

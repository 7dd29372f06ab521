"""Reads of a contact's thread (mentoring.access.thread_or_404 decides who may read it),
and the contacts a covering faculty mentor answers."""

import datetime

from django.db.models import DateField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from mentoring.access import published
from mentoring.models import AwayNotice, Contact, ContactReply
from peers.models import User


def thread_replies(*, contact: Contact) -> QuerySet[ContactReply]:
    """The replies in order, with their authors: one query however many."""
    return ContactReply.objects.filter(contact=contact).select_related("author").order_by("created_at", "pk")


def waiting_for_covering_faculty(*, user: User, now: datetime.datetime) -> QuerySet[Contact]:
    """Unanswered contacts of the published pairs `user` is the faculty mentor of whose
    two peer mentors are both away on the program's day: the faculty mentor covers them
    (as selectors.on_duty decides). One query, the day computed in SQL in each program's zone."""
    local_today = Cast(Func(F("pair__cycle__program__time_zone"), Value(now), function="timezone"), DateField())
    return (
        Contact.objects.unanswered()
        .filter(published("pair__"), pair__faculty_mentor=user)
        .alias(local_today=local_today)
        .filter(_away("pair__third_year"), _away("pair__fourth_year"))
        .select_related("pair", "mentee__user")
        .order_by("due_at")
    )


def _away(seat: str) -> Q:
    """The seat's mentor is away on the day, or the seat is empty (a pair with one mentor)."""
    day = OuterRef("local_today")
    return Q(**{f"{seat}__isnull": True}) | Q(
        Exists(
            AwayNotice.objects.filter(
                pair=OuterRef("pair_id"), mentor=OuterRef(f"{seat}_id"), starts_on__lte=day, ends_on__gte=day
            )
        )
    )

"""Reads for the coordinators' re-pairing page, in a fixed number of queries."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from mentoring.models import Application, ChangeRequest, Mentee, MentoringCycle, MentorPair, PairChange

HISTORY_SHOWN = 50  # the newest changes on the page; the admin keeps them all


def current_pairs(*, cycle: MentoringCycle) -> QuerySet[MentorPair]:
    """The cycle's published pairs that are not dissolved, with their people (2 queries).
    A pair with one mentor carries who left its empty seat (`seat_left_by`, `seat_left_by_name`):
    the form fills that seat in their name."""
    mentees = Mentee.objects.select_related("user").order_by("user__name", "pk")
    taken = PairChange.objects.filter(kind=PairChange.Kind.REPLACED, from_pair=OuterRef("pk")).order_by("-at", "-pk")
    return (
        MentorPair.objects.current()
        .filter(cycle=cycle)
        .annotate(
            seat_left_by=Subquery(taken.values("mentor_in")[:1]),
            seat_left_by_name=Subquery(taken.values("mentor_in__name")[:1]),
        )
        .select_related("third_year", "fourth_year", "faculty_mentor", "learning_community")
        .prefetch_related(Prefetch("mentees", queryset=mentees))
        .order_by("is_md_phd", "pk")
    )


def replacement_candidates(*, cycle: MentoringCycle) -> QuerySet[Application]:
    """Who can take a leaving mentor's place: the waitlist (and open offers), and selected
    mentors in no current pair (a dissolved pair's, or one left without a partner)."""
    Status = Application.Status
    in_pairs = MentorPair.objects.filter(cycle=cycle, dissolved_at__isnull=True)
    return (
        Application.objects.filter(cycle=cycle, status__in=(Status.WAITLISTED, Status.OFFERED, Status.SELECTED))
        # An empty seat's NULL would make NOT IN exclude everyone: only the seats held.
        .exclude(applicant__in=in_pairs.filter(third_year__isnull=False).values("third_year"))
        .exclude(applicant__in=in_pairs.filter(fourth_year__isnull=False).values("fourth_year"))
        .select_related("applicant")
        .order_by("entering_year", "is_md_phd", "applicant__name", "pk")
    )


def open_change_requests(*, cycle: MentoringCycle) -> QuerySet[ChangeRequest]:
    """Unresolved requests for a change, oldest first; the caller reads them through
    `access.change_requests_read` (scoped, each read logged)."""
    return (
        ChangeRequest.objects.filter(pair__cycle=cycle, resolved_at__isnull=True)
        .select_related("requester", "pair__third_year", "pair__fourth_year")
        .order_by("created_at", "pk")
    )


def pair_history(*, cycle: MentoringCycle) -> QuerySet[PairChange]:
    """The newest changes to the cycle's pairs: who moved, who replaced whom."""
    people = ("third_year", "fourth_year")
    related = [f"{pair}__{seat}" for pair in ("pair", "to_pair", "from_pair") for seat in people]
    return (
        PairChange.objects.filter(cycle=cycle)
        .select_related(*related, "mentee__user", "mentor_out", "mentor_in", "by")
        .order_by("-at", "-pk")[:HISTORY_SHOWN]
    )

"""Reads of the mentees' feedback on their pairs: what a mentee may still answer, and the
coordinators' results, per pair, only from 5 answers and once the semester's feedback
has closed (peers.suppression)."""

import statistics
from dataclasses import dataclass

from django.utils import timezone

from mentoring.clock import program_today
from mentoring.models import RATINGS, Mentee, MentoringCycle, PairFeedback, PairFeedbackGiven, PairFeedbackRound
from mentoring.services.pair_feedback import closes_on, open_semester
from peers.models import User
from peers.suppression import may_show, publishable_texts, suppress_count


@dataclass
class OpenFeedback:
    place: Mentee
    semester_ends_on: object
    closes_on: object


def feedback_to_give(*, user: User) -> list[OpenFeedback]:
    """The semesters whose feedback `user` may still give, one per place in an invited
    pair (three queries: places, rounds, answers given)."""
    places = list(
        Mentee.objects.filter(user=user, pair__published_at__isnull=False)
        .select_related("pair__cycle__program", "pair__third_year", "pair__fourth_year")
        .order_by("md_phd", "pk")
    )
    now = timezone.now()
    due = {p.pk: open_semester(p.pair.cycle, program_today(p.pair.cycle.program, now)) for p in places}
    places = [p for p in places if due[p.pk]]
    if not places:
        return []
    pair_ids = [p.pair_id for p in places]
    invited = set(PairFeedbackRound.objects.filter(pair__in=pair_ids).values_list("pair_id", "semester_ends_on"))
    given = set(
        PairFeedbackGiven.objects.filter(user=user, pair__in=pair_ids).values_list("pair_id", "semester_ends_on")
    )
    return [
        OpenFeedback(place=p, semester_ends_on=due[p.pk], closes_on=closes_on(due[p.pk]))
        for p in places
        if (p.pair_id, due[p.pk]) in invited - given
    ]


@dataclass
class PairResult:
    feedback_round: PairFeedbackRound
    answered: str  # through peers.suppression: "<5" for 1 to 4
    open: bool
    means: list[tuple[str, float]] | None  # None below 5 answers, or while feedback is open
    comments: list[str] | None


def feedback_results(*, cycles: list[MentoringCycle]) -> list[PairResult]:
    """Per pair and semester, newest semester first: how many answered (suppressed), and,
    only once the semester's feedback has closed and from 5 answers, the mean of each
    rating; comments only when 5 or more wrote one, alphabetically (never in the order
    they came). Three queries whatever the pairs and answers."""
    rounds = list(
        PairFeedbackRound.objects.filter(pair__cycle__in=cycles)
        .select_related("pair__cycle__program", "pair__third_year", "pair__fourth_year")
        .order_by("-semester_ends_on", "pair__cycle__program__name", "pair_id")
    )
    answers: dict[tuple, list[PairFeedback]] = {}
    rows = PairFeedback.objects.filter(pair__in=[r.pair_id for r in rounds]).only(
        "pair_id", "semester_ends_on", *RATINGS, "comment"
    )
    for row in rows:
        answers.setdefault((row.pair_id, row.semester_ends_on), []).append(row)
    return [_result(r, answers.get((r.pair_id, r.semester_ends_on), [])) for r in rounds]


def _result(feedback_round: PairFeedbackRound, given: list[PairFeedback]) -> PairResult:
    program = feedback_round.pair.cycle.program
    is_open = program_today(program) <= closes_on(feedback_round.semester_ends_on)
    shown = not is_open and may_show(len(given))
    labels = {name: PairFeedback._meta.get_field(name).verbose_name for name in RATINGS}
    return PairResult(
        feedback_round=feedback_round,
        answered=suppress_count(len(given)),
        open=is_open,
        means=[(labels[n], _mean(given, n)) for n in RATINGS] if shown else None,
        comments=publishable_texts([g.comment or "" for g in given]) if shown else None,
    )


def _mean(given: list[PairFeedback], rating: str) -> float:
    return round(statistics.mean(getattr(answer, rating) for answer in given), 1)

"""What a coordinator reviewing a cycle's draft pairs must know before publishing them."""

from django.db.models import Count

from mentoring.models import COHORT_MAX, COHORT_MIN, Application, MentoringCycle, MentorPair, cohort_size_is_usual
from mentoring.pairing import CONFLICT
from mentoring.selectors.preferences import avoid_conflicts


def proposal_warnings(*, cycle: MentoringCycle) -> list[str]:
    """The selected mentors in no pair, the drafted mentors who withdrew since, the draft
    pairs the solver could only make with a conflict, and the draft cohorts outside 12 to
    15 mentees, in at most three queries; and the mentees placed with someone they asked to
    avoid, in one or two more."""
    pairs = list(
        MentorPair.objects.filter(cycle=cycle)
        .select_related("third_year", "fourth_year")
        .annotate(cohort_size=Count("mentees"))
        .order_by("pk")
    )
    running = [pair for pair in pairs if pair.dissolved_at is None]  # a dissolved pair's mentors are free
    paired = {pair.third_year_id for pair in running} | {pair.fourth_year_id for pair in running}
    unpaired = (
        Application.objects.selected()
        .filter(cycle=cycle)
        .exclude(applicant__in=paired)
        .select_related("applicant")
        .order_by("entering_year", "applicant__name")
    )
    drafts = [pair for pair in pairs if pair.published_at is None]
    people = [*_unpaired(unpaired), *_withdrawn(cycle, drafts), *_conflicts(drafts), *avoid_conflicts(cycle=cycle)]
    if drafts and not any(pair.cohort_size for pair in drafts):
        return [*people, "No mentees are placed in the draft pairs yet: assign cohorts first."]
    return [*people, *_cohorts(drafts)]


def _withdrawn(cycle: MentoringCycle, drafts: list[MentorPair]) -> list[str]:
    drafted = [person for pair in drafts for person in pair.mentors()]
    withdrawn = set(
        Application.objects.filter(
            cycle=cycle, status=Application.Status.WITHDRAWN, applicant__in=[p.pk for p in drafted]
        ).values_list("applicant_id", flat=True)
    )
    return [
        f"{person.get_full_name()} withdrew after the proposal: propose pairs again."
        for person in drafted
        if person.pk in withdrawn
    ]


def _unpaired(unpaired) -> list[str]:
    return [f"{a.applicant.get_full_name()} ({_year(a)}) is selected but has no partner." for a in unpaired]


def _conflicts(drafts: list[MentorPair]) -> list[str]:
    return [f"{pair}: {CONFLICT}, and no better pair was possible." for pair in drafts if CONFLICT in pair.reasons]


def _cohorts(drafts: list[MentorPair]) -> list[str]:
    return [
        f"{pair}: a cohort of {pair.cohort_size} mentees (usually {COHORT_MIN} to {COHORT_MAX})."
        for pair in drafts
        if not cohort_size_is_usual(pair.cohort_size)
    ]


def _year(application: Application) -> str:
    year = application.get_entering_year_display().lower()
    return f"{year}, MD/PhD" if application.is_md_phd else year

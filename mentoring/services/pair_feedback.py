"""Mentees' anonymous feedback on their pair after each semester.

A semester's feedback opens the day after it ends (in the program's time zone) and stays
open for OPEN_DAYS. A sweep invites each published pair's mentees once per semester (the
pair's PairFeedbackRound row is the claim). A mentee answers once per pair and semester:
a PairFeedbackGiven row, UNIQUE(pair, user, semester), records only that they answered;
the answer (PairFeedback) has neither person nor time nor an id that sorts by arrival,
so it cannot be tied back to them. Results (selectors.pair_feedback) show only once the
window has closed, so they never change once read."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from mentoring import notify
from mentoring.clock import program_today
from mentoring.models import Mentee, MentoringCycle, MentorPair, PairFeedback, PairFeedbackGiven, PairFeedbackRound

OPEN_DAYS = 21
COMMENT_MAX = 1000


def semester_ends(cycle: MentoringCycle) -> list[datetime.date]:
    semesters = ((cycle.fall_starts_on, cycle.fall_ends_on), (cycle.spring_starts_on, cycle.spring_ends_on))
    return [end for start, end in semesters if start and end]


def open_semester(cycle: MentoringCycle, today: datetime.date) -> datetime.date | None:
    """The last day of the semester whose feedback is open on the program's `today`."""
    for end in semester_ends(cycle):
        if end < today <= end + datetime.timedelta(days=OPEN_DAYS):
            return end
    return None


def closes_on(semester_ends_on: datetime.date) -> datetime.date:
    """The last day answers are taken."""
    return semester_ends_on + datetime.timedelta(days=OPEN_DAYS)


def pair_feedback_invite() -> int:
    """Sweep: the mentees of each published pair are invited once, after each semester.

    1. Find the cycles with a semester whose feedback is open today, in each program's
       zone (a coarse bound in UTC first, so only a few cycles are read).
    2. For each published pair of such a cycle not yet invited for that semester (and
       published before the semester ended), claim it: create its round row, which the
       UNIQUE(pair, semester) makes possible once; a second sweep gets the existing row.
    3. Invite its mentees in the same transaction, so a failure leaves no claim and the
       next sweep tries again. Returns the mentees invited."""
    now = timezone.now()
    low, high = now.date() - datetime.timedelta(days=OPEN_DAYS + 2), now.date()
    cycles = MentoringCycle.objects.filter(
        Q(fall_ends_on__range=(low, high)) | Q(spring_ends_on__range=(low, high))
    ).select_related("program")
    invited = 0
    for cycle in cycles:
        end = open_semester(cycle, program_today(cycle.program, now))
        if end is not None:
            invited += sum(_invite(pair, end) for pair in _pairs_to_invite(cycle, end))
    return invited


def _pairs_to_invite(cycle: MentoringCycle, end: datetime.date):
    zone = zoneinfo.ZoneInfo(cycle.program.time_zone)
    semester_over = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
    return (
        MentorPair.objects.current()  # a dissolved pair's mentees have moved to another pair
        .filter(cycle=cycle, published_at__lt=semester_over)
        .exclude(feedback_rounds__semester_ends_on=end)
        .select_related("cycle__program")
        .prefetch_related(Prefetch("mentees", queryset=Mentee.objects.select_related("user").order_by("pk")))
        .order_by("pk")
    )


def _invite(pair: MentorPair, end: datetime.date) -> int:
    mentees = list(pair.mentees.all())
    if not mentees:
        return 0
    with transaction.atomic():
        feedback_round, claimed = PairFeedbackRound.objects.get_or_create(pair=pair, semester_ends_on=end)
        if not claimed:
            return 0
        for mentee in mentees:
            notify.pair_feedback(pair, mentee.user, semester_ends_on=end, closes_on=closes_on(end))
        feedback_round.invited = len(mentees)
        feedback_round.save(update_fields=["invited"])
    return len(mentees)


def pair_feedback_give(
    *, place: Mentee, semester_ends_on: datetime.date, reachable: int, helpful: int, comfortable: int, comment: str = ""
) -> PairFeedback:
    """Record a mentee's answer on their pair for a semester whose feedback is open and to
    which the pair was invited. Once: the UNIQUE of PairFeedbackGiven refuses a second
    answer, even two sent at the same moment; then nothing of the second is kept."""
    pair = place.pair
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(f"Keep your comment to {COMMENT_MAX} characters.")
    if open_semester(pair.cycle, program_today(pair.cycle.program)) != semester_ends_on or not (
        PairFeedbackRound.objects.filter(pair=pair, semester_ends_on=semester_ends_on).exists()
    ):
        raise ValidationError("Feedback on this semester is not open. Thank you all the same!")
    feedback = PairFeedback(
        pair=pair,
        semester_ends_on=semester_ends_on,
        reachable=reachable,
        helpful=helpful,
        comfortable=comfortable,
        comment=comment or None,
    )
    feedback.full_clean()
    try:
        with transaction.atomic():
            PairFeedbackGiven.objects.create(pair=pair, user=place.user, semester_ends_on=semester_ends_on)
            feedback.save()
    except IntegrityError:
        raise ValidationError("You've already given feedback on this semester. Thank you!") from None
    return feedback

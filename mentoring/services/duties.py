"""A mentor's duties: away notices (the partner covers), meetings, the monthly contact,
and the sweep that reminds mentors of what is missing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mentoring import access, notify
from mentoring.clock import program_today
from mentoring.models import AwayNotice, Meeting, Mentee, MentorPair, Outreach
from mentoring.selectors.duties import duty_reminder_candidates
from peers.models import User


def away_post(
    *, mentor: User, pair: MentorPair, starts_on: datetime.date, ends_on: datetime.date, reason: str, tell_mentees: bool
) -> AwayNotice:
    """Post an away notice; the partner is told at once, the mentees if the mentor chooses.
    When the partner is away too on some of these days, the faculty mentor is on duty
    then: they are told once that they cover, and every mentee is told who answers (in
    the away notice, or on its own when the mentor chose not to tell the mentees)."""
    # It may tell the mentees: mentee data.
    access.peer_mentor_guard(user=mentor, pair=pair, refusal="Only the pair's mentors post away notices.")
    if ends_on < starts_on:  # the table allows an empty span only for a notice ended early
        raise ValidationError("The end date is before the start date.")
    notice = AwayNotice(
        mentor=mentor, pair=pair, starts_on=starts_on, ends_on=ends_on, reason=reason.strip(), tell_mentees=tell_mentees
    )
    notice.full_clean()
    notice.save()
    both_away = _both_away(notice)
    first = both_away[0] if both_away else None
    mentees = [mentee.user for mentee in pair.mentees.select_related("user")]
    partner = pair.partner_of(mentor)  # None in a pair with one mentor: the faculty mentor covers it all
    told = tell_mentees and partner is not None
    for user in ([partner] if partner is not None else []) + (mentees if told else []):
        notify.mentor_away(notice, user, both_away=first)
    for starts_on, ends_on in both_away:
        notify.faculty_covering(pair, pair.faculty_mentor, starts_on=starts_on, ends_on=ends_on)
        # Whoever answers must be known: mentees not told of this absence still learn who covers.
        for user in mentees if not told or (starts_on, ends_on) != first else []:
            notify.faculty_covering(pair, user, starts_on=starts_on, ends_on=ends_on)
    return notice


def away_end(*, notice: AwayNotice, by: User) -> bool:
    """End an away notice now: its author answers again from today, in the program's day.
    The row stays (it ends yesterday, or the day before it would have begun); whoever was
    told of the absence (the partner, the mentees if they were told, the faculty mentor if
    they were to cover days still to come, and then the mentees too, who were told that the
    faculty mentor covers) is told it ended.
    True if it ended; False if it had already (ending twice changes nothing).

    1. Only the notice's author ends it.
    2. Lock the row and re-read it, so two taps end it, and tell people, once."""
    if notice.mentor_id != by.pk:
        raise ValidationError("Only the mentor who posted an away notice ends it.")
    yesterday = program_today(notice.pair.cycle.program) - datetime.timedelta(days=1)
    with transaction.atomic():
        notice = AwayNotice.objects.select_for_update().select_related("pair__cycle__program").get(pk=notice.pk)
        if notice.ends_on <= yesterday or notice.ends_on < notice.starts_on:
            return False
        covered = [span for span in _both_away(notice) if span[1] > yesterday]  # the faculty was told
        notice.ends_on = max(yesterday, notice.starts_on - datetime.timedelta(days=1))
        notice.save(update_fields=["ends_on"])
    pair = notice.pair
    partner = pair.partner_of(notice.mentor)
    told = ([partner] if partner is not None else []) + ([pair.faculty_mentor] if covered else [])
    # Mentees told who covers (the faculty mentor, on days nobody else is there) learn it ended,
    # even those not told of the absence itself.
    told += [mentee.user for mentee in pair.mentees.select_related("user")] if notice.tell_mentees or covered else []
    for user in told:
        notify.mentor_back(notice, user)
    return True


def _both_away(notice: AwayNotice) -> list[tuple[datetime.date, datetime.date]]:
    """The spans (first day, last day) in which the partner is away too, so the faculty
    mentor is on duty (selectors.on_duty), earliest first."""
    partner = notice.pair.partner_of(notice.mentor)
    if partner is None:  # a pair with one mentor: the faculty mentor covers every day
        return [(notice.starts_on, notice.ends_on)] if notice.ends_on >= notice.starts_on else []
    overlapping = (
        AwayNotice.objects.filter(
            pair=notice.pair, mentor=partner, starts_on__lte=notice.ends_on, ends_on__gte=notice.starts_on
        )
        .filter(ends_on__gte=F("starts_on"))
        .order_by("starts_on")
    )  # not one ended before it began
    return [(max(o.starts_on, notice.starts_on), min(o.ends_on, notice.ends_on)) for o in overlapping]


def meeting_log(
    *,
    pair: MentorPair,
    by: User,
    held_on: datetime.date,
    mode: str,
    kind: str,
    mentees: list[Mentee],
    notes: str = "",
) -> Meeting:
    access.peer_mentor_guard(user=by, pair=pair, refusal="Only the pair's mentors log its meetings.")
    if held_on > timezone.localdate():
        raise ValidationError("A meeting can't be logged before it happens.")
    if not mentees or any(m.pair_id != pair.pk for m in mentees):
        raise ValidationError("Choose the mentees who were there.")
    meeting = Meeting(pair=pair, held_on=held_on, mode=mode, kind=kind, notes=notes.strip() or None, logged_by=by)
    meeting.full_clean(exclude=["mentees"])
    meeting.save()
    meeting.mentees.set(mentees)
    return meeting


def outreach_log(*, mentee: Mentee, by: User, on: datetime.date, channel: str) -> Outreach:
    access.peer_mentor_guard(user=by, pair=mentee.pair, refusal="Only this mentee's mentors log contact with them.")
    outreach = Outreach(mentee=mentee, pair_id=mentee.pair_id, mentor=by, on=on, channel=channel)
    outreach.full_clean()
    outreach.save()
    return outreach


def duties_remind() -> int:
    """Sweep: from the 21st, mentors with a mentee not contacted this month are reminded;
    at mid-semester and again three weeks before its end, mentors with mentees not yet met.
    Days, months and semesters are the program's (its time zone); a mentor away that day
    is not reminded. Each reminder once (its dedupe key names the month or the milestone).
    The pairs owed one, with their counts, come from one query
    (selectors.duty_reminder_candidates)."""
    reminders = [each for pair in duty_reminder_candidates(now=timezone.now()) for each in _pair_reminders(pair)]
    return notify.mentor_duty(reminders) if reminders else 0


def _pair_reminders(pair: MentorPair) -> list[tuple]:
    today, due = pair.local_today, []
    if today.day >= 21:
        due += _reminders(pair, notify.DUTY_CONTACT, pair.missing_contact, f"month-{today:%Y-%m}")
    semester = pair.cycle.semester_of(today)
    if semester:
        start, end = semester
        for label, when in (("mid", start + (end - start) / 2), ("late", end - datetime.timedelta(weeks=3))):
            if today >= when:
                due += _reminders(pair, notify.DUTY_MEETING, pair.missing_met, f"meet-{start:%Y-%m-%d}-{label}")
    return due


def _reminders(pair: MentorPair, duty: str, missing: int, key: str) -> list[tuple]:
    """Remind each mentor who is not away how many mentees are missing; the mentoring
    page says who."""
    if not missing:
        return []
    seats = ((pair.third_year, pair.third_away), (pair.fourth_year, pair.fourth_away))
    present = [m for m, away in seats if m is not None and not away]
    return [(pair, mentor, duty, missing, key) for mentor in present]

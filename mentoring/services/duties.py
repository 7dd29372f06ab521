"""A mentor's duties: away notices (the partner covers), meetings, the monthly contact,
and the sweep that reminds mentors of what is missing."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring import access, notify
from mentoring.models import AwayNotice, Meeting, Mentee, MentorPair, Outreach
from mentoring.selectors.duties import duty_reminder_candidates
from peers.models import User


def away_post(
    *, mentor: User, pair: MentorPair, starts_on: datetime.date, ends_on: datetime.date, reason: str, tell_mentees: bool
) -> AwayNotice:
    """Post an away notice; the partner is told at once, the mentees if the mentor chooses."""
    # It may tell the mentees: mentee data.
    access.peer_mentor_guard(user=mentor, pair=pair, refusal="Only the pair's mentors post away notices.")
    notice = AwayNotice(
        mentor=mentor, pair=pair, starts_on=starts_on, ends_on=ends_on, reason=reason.strip(), tell_mentees=tell_mentees
    )
    notice.full_clean()
    notice.save()
    notify.mentor_away(notice, pair.partner_of(mentor))
    if tell_mentees:
        for mentee in pair.mentees.select_related("user"):
            notify.mentor_away(notice, mentee.user)
    return notice


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
    outreach = Outreach(mentee=mentee, mentor=by, on=on, channel=channel)
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
    present = [m for m, away in ((pair.third_year, pair.third_away), (pair.fourth_year, pair.fourth_away)) if not away]
    return [(pair, mentor, duty, missing, key) for mentor in present]

"""Mentoring on the office's figures page: every program side by side for the period, in
the office's zone (settings.TIME_ZONE), in two queries whatever the programs and data.

- Contacts answered on time: contacts whose deadline fell in the period and has passed
  (one not yet due may still be answered on time), and how many escalated to the faculty
  mentor and to the coordinators.
- Mentees met: of the mentees in published pairs of the cycles running during the
  period, those met at a meeting of the pair they are in now held in the period (up to
  today), and the pairs they are in. Mentoring counts are not confidential, so they are exact, as on each program's
  own page."""

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from mentoring.models import Contact, Meeting, Mentee
from peers.figures import Figure, Period, Section
from peers.figures.figure import share


def office_counts(programs, period: Period) -> dict[int, dict]:
    ids = [p.pk for p in programs]
    start, end = period.bounds(settings.TIME_ZONE)
    found: dict[int, dict] = {pk: {} for pk in ids}
    contacts = (
        Contact.objects.filter(
            pair__cycle__program__in=ids, due_at__gte=start, due_at__lt=end, due_at__lte=timezone.now()
        )
        .values("pair__cycle__program")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(answered_at__lte=F("due_at"))),
            faculty=Count("pk", filter=Q(faculty_alerted_at__isnull=False)),
            coordinator=Count("pk", filter=Q(coordinator_alerted_at__isnull=False)),
        )
        .order_by()
    )
    for row in contacts:
        found[row.pop("pair__cycle__program")].update(row)
    today = timezone.localdate()
    met = Meeting.objects.filter(
        mentees=OuterRef("pk"),
        pair=OuterRef("pair"),
        held_on__gte=period.start,
        held_on__lt=period.end,
        held_on__lte=today,
    )
    mentees = (
        Mentee.objects.filter(
            cycle__program__in=ids,
            cycle__starts_on__lt=period.end,
            cycle__ends_on__gte=period.start,
            pair__published_at__isnull=False,
        )
        .annotate(was_met=Exists(met))
        .values("cycle__program")
        .annotate(mentees=Count("pk"), met=Count("pk", filter=Q(was_met=True)), pairs=Count("pair", distinct=True))
        .order_by()
    )
    for row in mentees:
        found[row.pop("cycle__program")].update(row)
    return found


def office_section(programs, period: Period) -> Section:
    counts = office_counts(programs, period)
    rows = [(p.name, counts[p.pk]) for p in programs]

    def figure(slug, title, columns, value, unit="%"):
        return Figure(
            slug=slug, title=title, columns=["Program", *columns], rows=[[n, *value(c)] for n, c in rows], unit=unit
        )

    return Section(
        title="Peer mentoring, by program",
        figures=[
            figure(
                "office-mentoring-on-time",
                "Contacts answered on time",
                ["On time", "Answered on time", "Deadline passed"],
                lambda c: [share(c.get("on_time", 0), c.get("due", 0)), c.get("on_time", 0), c.get("due", 0)],
            ),
            figure(
                "office-mentoring-escalations",
                "Contacts escalated",
                ["To the faculty mentor", "To the coordinators", "Deadline passed"],
                lambda c: [c.get("faculty", 0), c.get("coordinator", 0), c.get("due", 0)],
                unit="",
            ),
            figure(
                "office-mentoring-met",
                "Mentees met during the period",
                ["Met", "Mentees met", "Mentees", "Pairs"],
                lambda c: [
                    share(c.get("met", 0), c.get("mentees", 0)),
                    c.get("met", 0),
                    c.get("mentees", 0),
                    c.get("pairs", 0),
                ],
            ),
        ],
        note="Only contacts whose deadline has passed count. The period runs in the office's time zone.",
    )

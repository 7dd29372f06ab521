"""What the support pages show around a request: the crisis and clinical resources of the
requester's institution, in their language where it has them, and office hours with
whether they are open now.

Whose institution: the request's (its program's, chosen on the form), else the one picked
on the page (?institution=), else the signed-in person's (their programs'), else the only
one there is. Someone we know nothing about sees every institution's: on the first page a
person in crisis must see a number at once, not a question. Which language: the one picked
(?lang=), else the request's, else the browser's first that the institution provides, else
the institution's own text."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation.trans_real import parse_accept_lang_header

from peers.models import Institution
from peers.selectors import memberships_active_for
from support_requests.models import OfficeHours, SupportRequest

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Resources:
    institution: Institution
    crisis: str
    clinical: str
    language: str  # "" for the institution's own text
    languages: tuple[tuple[str, str], ...]  # (code, name) of each translation it provides


@dataclass(frozen=True)
class ProgramHours:
    program_name: str
    zone: str
    hours: list[OfficeHours]
    open_now: OfficeHours | None
    next_opening: tuple[datetime.datetime, OfficeHours] | None


def resources_context(
    request: HttpRequest, *, institution: Institution | None = None, support_request: SupportRequest | None = None
) -> dict:
    """The context every support page needs for its resources and office hours."""
    institutions = [institution] if institution else institutions_for(request)
    language = language_for(request, support_request)
    resources = [_resources(inst, language, request) for inst in institutions]
    programs = [support_request.program_id] if support_request else None
    return {
        "resources": resources,
        "institutions_to_pick": [] if len(institutions) == 1 else list(Institution.objects.all()),
        "office_hours": office_hours(institutions, programs),
    }


def institutions_for(request: HttpRequest) -> list[Institution]:
    institutions = Institution.objects.prefetch_related("support_resource_translations").order_by("name")
    picked = request.GET.get("institution", "")
    chosen = institutions.filter(pk=int(picked)) if picked.isdigit() and len(picked) < 10 else None
    if chosen:
        return list(chosen)
    own = {m.program.institution_id for m in memberships_active_for(request.user)}
    return list(institutions.filter(pk__in=own) if own else institutions[:50])


def language_for(request: HttpRequest, support_request: SupportRequest | None = None) -> str:
    picked = request.GET.get("lang", "").strip().lower()[:12]
    if picked:
        return picked
    if support_request is not None and support_request.resources_language:
        return support_request.resources_language
    return ""


def _browser_languages(request: HttpRequest) -> list[str]:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:200]
    return [code.lower() for code, _ in parse_accept_lang_header(header) if code != "*"]


def _resources(institution: Institution, language: str, request: HttpRequest) -> Resources:
    translations = {t.language.lower(): t for t in institution.support_resource_translations.all()}
    wanted = [language] if language else _browser_languages(request)
    chosen = next((translations[code] for code in _with_base(wanted) if code in translations), None)
    return Resources(
        institution=institution,
        crisis=(chosen and chosen.crisis_resources) or institution.crisis_resources,
        clinical=(chosen and chosen.clinical_resources) or institution.clinical_resources,
        language=chosen.language.lower() if chosen else "",
        languages=tuple((t.language.lower(), t.language_name) for t in translations.values()),
    )


def _with_base(codes: list[str]) -> list[str]:
    """fr-ca, then fr: a regional language falls back to its base."""
    result = []
    for code in codes:
        result += [code, code.split("-")[0]]
    return result


def chosen_language(request: HttpRequest, institution: Institution) -> str:
    """The language the requester was shown, kept on their request for its status page."""
    return _resources(institution, language_for(request), request).language


def office_hours(institutions: list[Institution], programs: list[int] | None = None) -> list[ProgramHours]:
    """Each program's office hours, with the one open now or the next opening, in the
    program's zone."""
    rows = OfficeHours.objects.select_related("program").filter(program__institution__in=institutions)
    if programs is not None:
        rows = rows.filter(program__in=programs)
    by_program: dict[int, list[OfficeHours]] = {}
    for row in rows.order_by("program__name", "weekday", "starts_at"):
        by_program.setdefault(row.program_id, []).append(row)
    return [_program_hours(hours) for hours in by_program.values()]


def _program_hours(hours: list[OfficeHours], now: datetime.datetime | None = None) -> ProgramHours:
    program = hours[0].program
    zone = zoneinfo.ZoneInfo(program.time_zone)
    local = (now or timezone.now()).astimezone(zone)
    open_now = next(
        (h for h in hours if h.weekday == local.weekday() and h.starts_at <= local.time() < h.ends_at), None
    )
    return ProgramHours(program.name, program.time_zone, hours, open_now, None if open_now else _next(hours, local))


def _next(hours: list[OfficeHours], local: datetime.datetime) -> tuple[datetime.datetime, OfficeHours] | None:
    """The next start after `local`, within the coming week (wall-clock time in the zone)."""
    for days in range(8):
        day = local.date() + datetime.timedelta(days=days)
        for h in sorted((h for h in hours if h.weekday == day.weekday()), key=lambda h: h.starts_at):
            start = datetime.datetime.combine(day, h.starts_at, tzinfo=local.tzinfo)
            if start > local:
                return start, h
    return None

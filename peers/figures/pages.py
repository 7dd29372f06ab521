"""What a figures page shows: each registered app's section for the period."""

from django.conf import settings

from peers import registry
from peers.figures.figure import Figure, Section
from peers.figures.periods import Period, current_term, period_choices


def chosen_period(key: str | None, zone: str) -> tuple[Period, str]:
    """The period asked for, or the current term with a message when the key is not one."""
    if not key:
        return current_term(zone), ""
    period = Period.parse(key)
    if period is None:
        return current_term(zone), "That period is not an academic term or year; showing the current term."
    return period, ""


def program_sections(program, period: Period) -> list[Section]:
    providers = sorted(registry.figure_providers.values(), key=lambda entry: entry[0])
    return [provide(program, period) for _, provide, _ in providers]


def office_sections(programs, period: Period) -> list[Section]:
    providers = sorted(registry.figure_providers.values(), key=lambda entry: entry[0])
    sections = [office(programs, period) for _, _, office in providers if office]
    return [section for section in sections if section]


def find_figure(sections: list[Section], slug: str) -> Figure | None:
    return next((figure for section in sections for figure in section.figures if figure.slug == slug), None)


def choices(zone: str | None = None) -> list[Period]:
    return period_choices(zone or settings.TIME_ZONE)

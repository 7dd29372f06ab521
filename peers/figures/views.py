"""The figures pages and their CSV exports. Every export is logged."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache

from peers.figures import access, pages
from peers.figures.csv import figure_csv
from peers.services.audit import access_log_write


@never_cache
@login_required
def program_page(request: HttpRequest, program_id: int) -> HttpResponse:
    program, programs = access.figures_program_or_404(request.user, program_id)
    period, problem = pages.chosen_period(request.GET.get("period"), program.time_zone)
    return render(
        request,
        "figures/page.html",
        {
            "title": program.name,
            "program": program,
            "programs": programs,
            "period": period,
            "problem": problem,
            "periods": pages.choices(program.time_zone),
            "sections": pages.program_sections(program, period),
        },
    )


@never_cache
@login_required
def office_page(request: HttpRequest) -> HttpResponse:
    programs = access.figures_office_or_404(request.user)
    period, problem = pages.chosen_period(request.GET.get("period"), _zone())
    return render(
        request,
        "figures/page.html",
        {
            "title": "All programs",
            "office": True,
            "programs": programs,
            "period": period,
            "problem": problem,
            "periods": pages.choices(),
            "sections": pages.office_sections(programs, period),
        },
    )


@never_cache
@login_required
def program_csv(request: HttpRequest, program_id: int, slug: str) -> HttpResponse:
    program, _ = access.figures_program_or_404(request.user, program_id)
    period, _ = pages.chosen_period(request.GET.get("period"), program.time_zone)
    sections = pages.program_sections(program, period)
    return _csv(request, sections, slug, heading=f"{program.name}, {period.label}", obj=program, period=period)


@never_cache
@login_required
def office_csv(request: HttpRequest, slug: str) -> HttpResponse:
    programs = access.figures_office_or_404(request.user)
    period, _ = pages.chosen_period(request.GET.get("period"), _zone())
    sections = pages.office_sections(programs, period)
    return _csv(request, sections, slug, heading=f"All programs, {period.label}", obj=None, period=period)


def _csv(request, sections, slug: str, *, heading: str, obj, period) -> HttpResponse:
    figure = pages.find_figure(sections, slug)
    if figure is None:
        raise Http404("No such figure")
    access_log_write(
        request=request,
        action="figures_export",
        obj=obj,
        object_type="" if obj else "peers.office",
        object_id="" if obj else "all",
        allowed=True,
        detail=f"{slug} {period.key}",
    )
    response = HttpResponse(figure_csv(figure, heading=f"{heading}: {figure.title}"), content_type="text/csv")
    name = slugify(f"{heading} {figure.slug}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _zone() -> str:
    return settings.TIME_ZONE  # the office reads every program in its own zone

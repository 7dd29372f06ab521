"""Who may open which figures page: a program's coordinators its page, office
administrators every program's and the office's; 404 for anyone else."""

from django.http import Http404

from peers.models import TrainingProgram, User
from peers.selectors import programs_coordinated_by
from peers.services.role_grants import is_office_administrator


def figures_program_or_404(user: User, program_id: int) -> tuple[TrainingProgram, list[TrainingProgram]]:
    """The program if `user` coordinates it (or runs the office), with every program
    whose figures they may open."""
    programs = list(programs_coordinated_by(user).order_by("name"))
    program = next((p for p in programs if p.pk == program_id), None)
    if program is None:
        raise Http404("Not a program whose figures you may see")
    return program, programs


def figures_office_or_404(user: User) -> list[TrainingProgram]:
    if not is_office_administrator(user):
        raise Http404("The office's figures are for office administrators")
    return list(TrainingProgram.objects.order_by("name"))

"""Re-pairing: the coordinators' page (move a mentee, replace a mentor, dissolve a pair,
read and resolve the requests for a change) and the private request for a change that
mentees and mentors send from their mentoring page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentoring import access, selectors, services
from mentoring.forms_repairing import ChangeRequestForm, DissolveForm, MoveForm, ReplaceForm
from mentoring.models import Mentee, MentorPair, PairChange
from peers.models import User


@never_cache
@login_required
def repairing(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = access.coordinated_cycle_or_404(request.user, pk)
    pairs = list(selectors.current_pairs(cycle=cycle))
    return render(
        request,
        "mentoring/repairing.html",
        {
            "cycle": cycle,
            "pairs": pairs,
            "one_mentor": [pair for pair in pairs if pair.vacant_seat is not None],
            "candidates": list(selectors.replacement_candidates(cycle=cycle)),
            "change_requests": access.change_requests_read(request, selectors.open_change_requests(cycle=cycle)),
            "history": list(selectors.pair_history(cycle=cycle)),
        },
    )


def _act(request: HttpRequest, pk: int, form_class, act) -> HttpResponse:
    """Parse the form, call the one service through `act`, say what happened, back to the page."""
    cycle = access.coordinated_cycle_or_404(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            level, text = act(cycle, form)
            getattr(messages, level)(request, text)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
    return redirect("mentoring:repairing", pk=cycle.pk)


def _in_cycle(model, cycle, pk: int):
    found = model.objects.filter(cycle=cycle, pk=pk).select_related("cycle__program").first()
    if found is None:
        raise ValidationError("That is not in this cycle any more; reload the page and choose again.")
    return found


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    def act(cycle, form):
        mentee = _in_cycle(Mentee, cycle, form.cleaned_data["mentee"])
        to_pair = _in_cycle(MentorPair, cycle, form.cleaned_data["to_pair"])
        name = mentee.user.get_full_name()
        change = services.mentee_move(
            mentee=mentee, to_pair=to_pair, by=request.user, reason=form.cleaned_data["reason"]
        )
        if change is None:
            return "info", f"{name} is already in the pair {to_pair}; nothing changed."
        return "success", f"{name} moved to the pair {to_pair}. They and both pairs have been told."

    return _act(request, pk, MoveForm, act)


@login_required
@require_POST
def replace(request: HttpRequest, pk: int) -> HttpResponse:
    def act(cycle, form):
        pair_id, mentor_id = form.pair_and_mentor_ids()
        donor_id, incoming_id = form.incoming_ids()
        pair = _in_cycle(MentorPair, cycle, pair_id)
        from_pair = _in_cycle(MentorPair, cycle, donor_id) if donor_id is not None else None
        outgoing, incoming = User.objects.filter(pk=mentor_id).first(), User.objects.filter(pk=incoming_id).first()
        if outgoing is None or incoming is None:
            raise ValidationError("Choose the mentor who leaves and who takes their place.")
        change = services.pair_mentor_replace(
            pair=pair,
            outgoing=outgoing,
            incoming=incoming,
            by=request.user,
            reason=form.cleaned_data["reason"],
            from_pair=from_pair,
        )
        if change is None:
            earlier = (
                PairChange.objects.filter(kind=PairChange.Kind.REPLACED, pair=pair, mentor_out=outgoing)
                .select_related("mentor_in")
                .first()
            )
            return (
                "info",
                f"{outgoing.get_full_name()} was already replaced in this pair by "
                f"{earlier.mentor_in.get_full_name()}; nothing changed.",
            )
        if from_pair is not None:
            return (
                "success",
                f"{incoming.get_full_name()} now mentors in the place of {outgoing.get_full_name()}. Their former "
                f'pair goes on with one mentor and is listed under "Pairs with one mentor". Everyone in both pairs '
                "has been told.",
            )
        return (
            "success",
            f"{incoming.get_full_name()} now mentors in the place of {outgoing.get_full_name()}. "
            "Everyone in the pair has been told.",
        )

    return _act(request, pk, ReplaceForm, act)


@login_required
@require_POST
def dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    def act(cycle, form):
        pair = _in_cycle(MentorPair, cycle, form.cleaned_data["pair"])
        mentees = pair.mentees.count()
        change = services.pair_dissolve(pair=pair, by=request.user, reason=form.cleaned_data["reason"])
        if change is None:
            return (
                "info",
                f"The pair {pair} was already dissolved; its mentees are in their new pairs. Nothing changed.",
            )
        return (
            "success",
            f"The pair {pair} is dissolved; its {mentees} mentee(s) moved to other pairs, and everyone has been told.",
        )

    return _act(request, pk, DissolveForm, act)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    change_request = access.change_request_or_404(request, pk)
    if services.change_request_resolve(change_request=change_request, by=request.user):
        messages.success(request, f"Resolved. {change_request.requester.get_full_name()} has been told.")
    else:
        messages.info(request, "This request was already resolved; nothing changed.")
    return redirect("mentoring:repairing", pk=change_request.pair.cycle_id)


@never_cache
@login_required
def change_request(request: HttpRequest) -> HttpResponse:
    pair = access.own_current_pair_or_404(request.user, request.POST.get("pair") or request.GET.get("pair"))
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_make(user=request.user, pair=pair, text=form.cleaned_data["text"])
            messages.success(
                request, "Sent to your program's coordinators only. You'll hear back once they have looked at it."
            )
            return redirect("mentoring:home")
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "mentoring/change_request.html", {"pair": pair, "form": form})

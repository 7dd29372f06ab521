"""Pages of the mentees' voice: their wishes for the placement, their feedback on their
pair after a semester, and the coordinators' view of that feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mentoring import access, selectors
from mentoring.forms_voice import PairFeedbackForm, PreferenceForm
from mentoring.selectors.pair_feedback import feedback_results, feedback_to_give
from mentoring.selectors.preferences import preference_of
from mentoring.services.pair_feedback import pair_feedback_give
from mentoring.services.preferences import mentee_preference_save


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    cycle = selectors.open_cycle_for(user=request.user)
    current = preference_of(cycle=cycle, user=request.user) if cycle else None
    form = PreferenceForm(request.POST or None, initial=_initial(current))
    if request.method == "POST" and cycle is not None and form.is_valid():
        try:
            mentee_preference_save(cycle=cycle, user=request.user, **form.cleaned_data)
            messages.success(request, "Thank you: your wishes are saved. The program office uses them to place you.")
            return redirect("mentoring:preferences")
        except ValidationError as error:
            _fail(request, error)
    return render(request, "mentoring/preferences.html", {"cycle": cycle, "form": form, "current": current})


def _initial(current) -> dict:
    if current is None:
        return {}
    return {
        "preferred_mentor": current.preferred_mentor.email if current.preferred_mentor else "",
        "avoid": ", ".join(person.email for person in current.avoided),
    }


@login_required
def pair_feedback(request: HttpRequest) -> HttpResponse:
    """The mentee's open feedback on their pair(s); one form per pair."""
    due = feedback_to_give(user=request.user)
    forms = {item.place.pk: PairFeedbackForm(prefix=f"p{item.place.pk}") for item in due}
    if request.method == "POST":
        place = access.mentee_place_or_404(request.user, request.POST.get("place"))
        item = next((i for i in due if i.place.pk == place.pk), None)
        form = forms[place.pk] = PairFeedbackForm(request.POST, prefix=f"p{place.pk}")
        if item is None:
            messages.error(request, "Feedback on this pair is not open, or you have already given it. Thank you!")
            return redirect("mentoring:pair_feedback")
        if form.is_valid():
            try:
                pair_feedback_give(place=place, semester_ends_on=item.semester_ends_on, **form.cleaned_data)
                messages.success(request, "Thank you: your feedback is in, without your name.")
                return redirect("mentoring:pair_feedback")
            except ValidationError as error:
                _fail(request, error)
    return render(request, "mentoring/pair_feedback.html", {"due": [(item, forms[item.place.pk]) for item in due]})


@login_required
def pair_feedback_results(request: HttpRequest) -> HttpResponse:
    cycles = access.coordinated_cycles_or_404(request.user)
    return render(request, "mentoring/pair_feedback_results.html", {"results": feedback_results(cycles=cycles)})

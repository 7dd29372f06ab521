"""Survey results, through the one suppression engine (peers.suppression), and the
surveys waiting for a person's answer."""

import collections
import statistics

from django.db.models import QuerySet

from mentoring.models import Answer, Question, Survey, SurveyInvitation
from peers.models import User
from peers.suppression import may_show, publishable_texts, suppress_counts


def open_invitations(*, user: User) -> QuerySet[SurveyInvitation]:
    return SurveyInvitation.objects.filter(user=user, responded=False).select_related("survey")


def survey_results(*, survey: Survey) -> list[dict] | None:
    """None while the survey is open: results that changed with each answer would let a
    reader difference them and read one person's answer. Once closed, no answer can come,
    so the results never change. Per question, through the suppression engine (peers.suppression): nothing at all
    when fewer than 5 answered; choice counts as one suppressed line with its total (1 to
    4 read "<5", and partners are hidden so that the total gives none back); a scale's
    mean only for 5 or more; free text only when 5 or more wrote something, sorted
    alphabetically, never in the order it came."""
    if not survey.is_closed:
        return None
    answers = collections.defaultdict(list)
    for question_id, value in Answer.objects.filter(question__survey=survey).values_list("question_id", "value"):
        answers[question_id].append(value)
    results = []
    for question in survey.questions.all():
        values = answers[question.pk]
        result = {"question": question, "hidden": not may_show(len(values))}
        if not result["hidden"]:
            result.update(_question_result(question, values))
        results.append(result)
    return results


def _question_result(question: Question, values: list[str]) -> dict:
    if question.kind == Question.Kind.SCALE:
        numbers = [int(v) for v in values if v.isdigit()]
        return {"count": len(values), "mean": round(statistics.mean(numbers), 1) if numbers else None}
    if question.kind == Question.Kind.CHOICE:
        counts = collections.Counter(values)
        options = question.options()
        line = suppress_counts([counts[option] for option in options], labels=options)
        return {"count": line.total, "choices": line.items()}
    texts = publishable_texts(values)
    return {"hidden": texts is None, "texts": texts or []}

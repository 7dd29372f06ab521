"""Placing students in the pairs' cohorts, with scipy's assignment solver.

Each pair offers numbered seats; a student's score for seat k of a pair (higher is better):
- +3 when the pair is of the student's learning community;
- +2 when the student named one of the pair's peer mentors as the mentor they'd like;
- -0.01 * k, so cohorts fill evenly (the smallest first), and -2.5 more past COHORT_MAX,
  so a wish for one mentor never swells a cohort past its usual size, while a learning
  community with many students still keeps them;
- a pair with someone the student asked to avoid (either peer mentor or the faculty
  mentor) is forbidden: its cost outweighs every other score together, so the solver
  uses it only when no pair without that person has a seat, and reports it.

Inputs are ordered by id and ties go to the earlier pair, so the same pool always gives
the same placement."""

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from mentoring.models.cohorts import COHORT_MAX

SEAT_STEP, OVERFULL = 0.01, 2.5
TIE_BREAK = 1e-6


@dataclass(frozen=True)
class Student:
    user_id: int
    learning_community_id: int | None = None
    preferred_mentor_id: int | None = None
    avoid: frozenset = frozenset()


@dataclass(frozen=True)
class Cohort:
    pair_id: int
    learning_community_id: int | None
    peer_mentor_ids: frozenset
    faculty_mentor_id: int | None = None
    size: int = 0  # mentees already placed


@dataclass
class Placement:
    student: Student
    pair_id: int
    conflict: bool = False


def place(students: list[Student], cohorts: list[Cohort]) -> list[Placement]:
    """A seat for every student (none when there is no pair)."""
    students = sorted(students, key=lambda s: s.user_id)
    cohorts = sorted(cohorts, key=lambda c: c.pair_id)
    if not students or not cohorts:
        return []
    forbidden = 10.0 * (len(students) + 1) * (3 + 2 + OVERFULL + 1)
    each = _seats_each(students, cohorts)
    seats = [(i, k) for i, c in enumerate(cohorts) for k in range(c.size, c.size + each)]
    scores = np.empty((len(students), len(seats)))
    for row, student in enumerate(students):
        for col, (i, k) in enumerate(seats):
            scores[row, col] = _score(student, cohorts[i], k, forbidden) - TIE_BREAK * i
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [_placement(students[r], cohorts[seats[c][0]]) for r, c in zip(rows, cols, strict=True)]


def _seats_each(students: list[Student], cohorts: list[Cohort]) -> int:
    """Enough seats that every student fits, and a learning community twice as large as
    an even share still fits its own pairs."""
    return max(COHORT_MAX, 2 * math.ceil(len(students) / len(cohorts))) + 1


def _score(student: Student, cohort: Cohort, seat: int, forbidden: float) -> float:
    if _avoided(student, cohort):
        return -forbidden
    score = -SEAT_STEP * seat - (OVERFULL if seat >= COHORT_MAX else 0)
    if student.learning_community_id and student.learning_community_id == cohort.learning_community_id:
        score += 3
    if student.preferred_mentor_id in cohort.peer_mentor_ids:
        score += 2
    return score


def _avoided(student: Student, cohort: Cohort) -> bool:
    return bool(student.avoid & (cohort.peer_mentor_ids | {cohort.faculty_mentor_id}))


def _placement(student: Student, cohort: Cohort) -> Placement:
    return Placement(student=student, pair_id=cohort.pair_id, conflict=_avoided(student, cohort))

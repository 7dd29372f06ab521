"""Proposing mentor pairs and their faculty mentors, with scipy's assignment solver.

The score of a third-year/fourth-year pair (higher is better):
- +3 when both are in the same learning community;
- +2 for each of them who named the other as preferred partner;
- +1 for balanced experience: 1 - |difference of their interview experience scores| / 4;
- a forbidden pair (either asked to avoid the other) costs 1000 and is reported.
The score of giving a pair to a faculty mentor: +3 when the faculty mentor's learning
community is both mentors', +1.5 when it is one of theirs. Faculty mentors each take at
most ceil(pairs / faculty) pairs.

Both steps use linear_sum_assignment, which is exact and deterministic: inputs are
ordered by primary key, so the same pool always gives the same proposal.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

FORBIDDEN = 1000.0
CONFLICT = "one asked not to be paired with the other"


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    learning_community_id: int | None
    experience: int = 3
    preferred_partner_id: int | None = None
    avoid: frozenset = frozenset()


@dataclass(frozen=True)
class Faculty:
    user_id: int
    name: str
    learning_community_id: int | None


@dataclass
class ProposedPair:
    third: Candidate
    fourth: Candidate
    faculty: Faculty | None = None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def pair_score(third: Candidate, fourth: Candidate) -> tuple[float, list[str]]:
    if fourth.user_id in third.avoid or third.user_id in fourth.avoid:
        return -FORBIDDEN, [CONFLICT]
    score, reasons = 0.0, []
    if third.learning_community_id and third.learning_community_id == fourth.learning_community_id:
        score, reasons = score + 3, [*reasons, "same learning community"]
    for person, other in ((third, fourth), (fourth, third)):
        if person.preferred_partner_id == other.user_id:
            score, reasons = score + 2, [*reasons, f"{person.name} asked for {other.name}"]
    balance = 1 - abs(third.experience - fourth.experience) / 4
    reasons.append(f"experience {third.experience} and {fourth.experience}")
    return score + balance, reasons


def propose(
    thirds: list[Candidate], fourths: list[Candidate], faculty: list[Faculty]
) -> tuple[list[ProposedPair], list[Candidate]]:
    """Returns the proposed pairs and the mentors left without a partner."""
    thirds = sorted(thirds, key=lambda c: c.user_id)
    fourths = sorted(fourths, key=lambda c: c.user_id)
    if not thirds or not fourths:
        return [], thirds + fourths
    scores = np.zeros((len(thirds), len(fourths)))
    why = {}
    for i, third in enumerate(thirds):
        for j, fourth in enumerate(fourths):
            scores[i, j], why[i, j] = pair_score(third, fourth)
    rows, cols = linear_sum_assignment(scores, maximize=True)
    pairs = [
        ProposedPair(thirds[i], fourths[j], score=scores[i, j], reasons=list(why[i, j]))
        for i, j in zip(rows, cols, strict=True)
    ]
    paired = {p.third.user_id for p in pairs} | {p.fourth.user_id for p in pairs}
    unpaired = [c for c in thirds + fourths if c.user_id not in paired]
    _assign_faculty(pairs, sorted(faculty, key=lambda f: f.user_id))
    return pairs, unpaired


def _assign_faculty(pairs: list[ProposedPair], faculty: list[Faculty]) -> None:
    if not faculty or not pairs:
        return
    per_faculty = math.ceil(len(pairs) / len(faculty))
    columns = [member for member in faculty for _ in range(per_faculty)]
    scores = np.zeros((len(pairs), len(columns)))
    for i, pair in enumerate(pairs):
        communities = {pair.third.learning_community_id, pair.fourth.learning_community_id} - {None}
        for j, member in enumerate(columns):
            if member.learning_community_id and member.learning_community_id in communities:
                scores[i, j] = 3 if len(communities) == 1 else 1.5
    rows, cols = linear_sum_assignment(scores, maximize=True)
    for i, j in zip(rows, cols, strict=True):
        pairs[i].faculty = columns[j]
        if scores[i, j] == 3:
            pairs[i].reasons.append("faculty mentor in the same learning community")
        elif scores[i, j]:
            pairs[i].reasons.append("faculty mentor in one mentor's learning community")
        pairs[i].score += scores[i, j]

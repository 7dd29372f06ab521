from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.pairing import Candidate, Faculty, propose


def _pool(draw_ids, communities):
    return [
        Candidate(user_id=i, name=f"m{i}", learning_community_id=c, experience=e)
        for i, (c, e) in zip(draw_ids, communities, strict=True)
    ]


people = st.lists(st.tuples(st.sampled_from([1, 2, 3, 4, None]), st.integers(1, 5)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(thirds=people, fourths=people, faculty_count=st.integers(1, 6))
def test_every_mentor_in_at_most_one_pair_and_every_pair_one_faculty_mentor(thirds, fourths, faculty_count):
    third_pool = _pool(range(1, len(thirds) + 1), thirds)
    fourth_pool = _pool(range(100, 100 + len(fourths)), fourths)
    faculty = [Faculty(1000 + n, f"f{n}", (n % 4) + 1) for n in range(faculty_count)]
    pairs, unpaired = propose(third_pool, fourth_pool, faculty)
    assert len(pairs) == min(len(third_pool), len(fourth_pool))
    ids = [p.third.user_id for p in pairs] + [p.fourth.user_id for p in pairs] + [c.user_id for c in unpaired]
    assert sorted(ids) == sorted(c.user_id for c in third_pool + fourth_pool)  # each exactly once
    assert all(p.faculty is not None for p in pairs)
    per_faculty = {}
    for p in pairs:
        per_faculty[p.faculty.user_id] = per_faculty.get(p.faculty.user_id, 0) + 1
    assert max(per_faculty.values()) <= -(-len(pairs) // faculty_count)
    assert propose(third_pool, fourth_pool, faculty)[0] == pairs  # deterministic


@settings(max_examples=40, deadline=None)
@given(communities=st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=10), seed=st.randoms())
def test_the_learning_community_is_kept_whenever_possible(communities, seed):
    """When every third-year has a fourth-year of the same community, every pair shares one."""
    fourth_order = list(communities)
    seed.shuffle(fourth_order)
    thirds = _pool(range(1, len(communities) + 1), [(c, 3) for c in communities])
    fourths = _pool(range(100, 100 + len(communities)), [(c, 3) for c in fourth_order])
    faculty = [Faculty(1000 + n, f"f{n}", c) for n, c in enumerate(communities)]  # one per pair, same community
    pairs, _ = propose(thirds, fourths, faculty)
    assert all(p.third.learning_community_id == p.fourth.learning_community_id for p in pairs)
    assert all("same learning community" in p.reasons for p in pairs)
    assert all(p.faculty.learning_community_id == p.third.learning_community_id for p in pairs)


def test_a_conflict_is_never_chosen_when_avoidable_and_preferences_count():
    thirds = [Candidate(1, "a", 1, avoid=frozenset({100})), Candidate(2, "b", 1, preferred_partner_id=101)]
    fourths = [Candidate(100, "c", 1), Candidate(101, "d", 1)]
    pairs, _ = propose(thirds, fourths, [Faculty(1000, "f", 1)])
    chosen = {(p.third.user_id, p.fourth.user_id) for p in pairs}
    assert chosen == {(1, 101), (2, 100)}  # the conflict outweighs b's wish for d

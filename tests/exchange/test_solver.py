"""The textbook-exchange solver (bibliomo.lib.redistribution) and its greedy baselines.

No database: instances are built in code or from the JSON contract. Small random instances are
checked against independent brute force (max-flow by unit augmenting paths, every subset of
pairs in order of size, every line assignment for the min_batch rule).
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibliomo.lib.redistribution import (
    IndexedInstance,
    Instance,
    InstanceError,
    School,
    Title,
    Transfer,
    check_solution,
    haversine_km,
    lower_bound,
    parse_instance,
    plan_figures,
    solution_to_json,
    solve,
    tradeoff,
)
from bibliomo.lib.redistribution.greedy import nearest_source_greedy, pair_first_greedy
from tests.factories import small_instances

FAST = 2.0  # time_limit for the small instances below


# --- independent reference computations ------------------------------------------------------


def titles_of(instance: Instance) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    """title → (surplus by school, shortage by school), zero entries dropped."""
    result = {}
    for title in instance.titles:
        give = {s: c for (s, t), c in instance.surplus.items() if t == title.id and c}
        need = {s: c for (s, t), c in instance.shortage.items() if t == title.id and c}
        result[title.id] = (give, need)
    return result


def max_flow(give: dict[str, int], need: dict[str, int], pairs: set[tuple[str, str]]) -> int:
    """Most copies of one title movable over ``pairs``: unit augmenting paths."""
    flow: dict[tuple[str, str], int] = {}
    sent = dict.fromkeys(give, 0)
    got = dict.fromkeys(need, 0)
    total = 0
    while True:
        parent: dict[tuple[str, str], tuple[str, str] | None] = {}
        queue: deque[tuple[str, str]] = deque()
        for school in give:
            if sent[school] < give[school]:
                parent["out", school] = None
                queue.append(("out", school))
        end = None
        while queue and end is None:
            side, school = queue.popleft()
            if side == "out":
                for other in need:
                    if (school, other) in pairs and ("in", other) not in parent:
                        parent["in", other] = (side, school)
                        if got[other] < need[other]:
                            end = ("in", other)
                            break
                        queue.append(("in", other))
            else:
                for other in give:
                    if flow.get((other, school), 0) > 0 and ("out", other) not in parent:
                        parent["out", other] = (side, school)
                        queue.append(("out", other))
        if end is None:
            return total
        node = end
        got[end[1]] += 1
        while parent[node] is not None:
            previous = parent[node]
            if node[0] == "in":
                flow[previous[1], node[1]] = flow.get((previous[1], node[1]), 0) + 1
            else:
                flow[node[1], previous[1]] -= 1
            node = previous
        sent[node[1]] += 1
        total += 1


def brute_force_shipments(instance: Instance) -> int:
    """The fewest shipments of any plan moving the coverable maximum (min_batch 0)."""
    titles = titles_of(instance)
    ids = [school.id for school in instance.schools]
    useful = sorted(
        {(a, b) for give, need in titles.values() for a in give for b in need if a != b}
    )
    targets = {t: min(sum(g.values()), sum(n.values())) for t, (g, n) in titles.items()}
    assert len(ids) <= 5 and len(useful) <= 14, "too big for brute force"
    for size in range(len(useful) + 1):
        for subset in itertools.combinations(useful, size):
            pairs = set(subset)
            if all(max_flow(g, n, pairs) >= targets[t] for t, (g, n) in titles.items()):
                return size
    raise AssertionError("unreachable: all pairs always suffice")


def brute_force_batch_cover(instance: Instance, min_batch: int) -> int:
    """The most copies any plan moves under the min_batch rule: every line assignment."""
    total = 0
    for give, need in titles_of(instance).values():
        lines = [(a, b) for a in give for b in need]
        choices = []
        for a, b in lines:
            cap = min(give[a], need[b])
            choices.append([c for c in range(cap + 1) if c == 0 or c >= min_batch or c == need[b]])
        best = 0
        for values in itertools.product(*choices):
            sent = {a: 0 for a in give}
            got = {b: 0 for b in need}
            for (a, b), c in zip(lines, values, strict=True):
                sent[a] += c
                got[b] += c
            if all(sent[a] <= give[a] for a in give) and all(got[b] <= need[b] for b in need):
                best = max(best, sum(values))
        total += best
    return total


def coverable(instance: Instance) -> int:
    return sum(min(sum(g.values()), sum(n.values())) for g, n in titles_of(instance).values())


# --- instances -------------------------------------------------------------------------------


def school(number: int, lat: float = 54.9, lon: float = 37.4) -> School:
    return School(f"S{number}", f"Школа № {number}", lat, lon)


def instance_of(
    schools: list[School],
    surplus: dict[tuple[str, str], int],
    shortage: dict[tuple[str, str], int],
    distances: dict[tuple[str, str], float] | None = None,
) -> Instance:
    titles = sorted({t for _, t in [*surplus, *shortage]})
    return Instance(
        schools, [Title(t, f"Учебник {t}") for t in titles], surplus, shortage, distances or {}
    )


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- distances and the JSON contract ---------------------------------------------------------


def test_haversine_one_degree_of_latitude_and_moscow_to_petersburg():
    assert haversine_km(54, 37, 55, 37) == pytest.approx(6371.0 * math.pi / 180, rel=1e-12)
    assert haversine_km(55.7558, 37.6173, 59.9343, 30.3351) == pytest.approx(633.02, abs=0.01)
    assert haversine_km(54.9, 37.4, 54.9, 37.4) == 0


def valid_data() -> dict:
    return {
        "schools": [
            {"id": "S1", "name": "СОШ № 1", "lat": 54.90, "lon": 37.40},
            {"id": "S2", "name": "Гимназия № 1", "lat": 54.92, "lon": 37.45},
            {"id": "S3", "name": "Лицей № 3", "lat": 54.80, "lon": 37.30},
        ],
        "titles": [{"id": "T1", "name": "Алгебра, 7"}, {"id": "T2", "name": "Физика, 7"}],
        "surplus": [
            {"school": "S1", "title": "T1", "copies": 5},
            {"school": "S2", "title": "T2", "copies": 0},
        ],
        "shortage": [{"school": "S2", "title": "T1", "copies": 3}],
        "distances": [{"from": "S1", "to": "S2", "km": 7.5}],
    }


def test_parse_reads_the_contract_drops_zero_copies_and_reads_the_road_table():
    instance = parse_instance(valid_data())
    assert [s.id for s in instance.schools] == ["S1", "S2", "S3"]
    assert instance.school_by_id["S2"] == School("S2", "Гимназия № 1", 54.92, 37.45)
    assert instance.surplus == {("S1", "T1"): 5}
    assert instance.shortage == {("S2", "T1"): 3}
    # one direction given: the table is symmetric; a pair missing from it is great-circle
    assert instance.distance("S1", "S2") == instance.distance("S2", "S1") == 7.5
    assert instance.distance("S1", "S3") == pytest.approx(haversine_km(54.9, 37.4, 54.8, 37.3))


def test_both_directions_of_the_road_table_are_kept_as_given():
    data = valid_data()
    data["distances"].append({"from": "S2", "to": "S1", "km": 9})
    instance = parse_instance(data)
    assert (instance.distance("S1", "S2"), instance.distance("S2", "S1")) == (7.5, 9.0)


def broken(change) -> dict:
    data = valid_data()
    change(data)
    return data


INVALID = [
    (
        "unknown school in surplus",
        lambda d: d["surplus"].append({"school": "S9", "title": "T1", "copies": 1}),
        "surplus[2]: неизвестная школа «S9»",
    ),
    (
        "unknown title in shortage",
        lambda d: d["shortage"].append({"school": "S3", "title": "T7", "copies": 1}),
        "shortage[1]: неизвестный учебник «T7»",
    ),
    (
        "negative copies",
        lambda d: d["shortage"][0].update(copies=-2),
        "shortage[0]: число экземпляров должно быть целым неотрицательным, а не «-2»",
    ),
    (
        "boolean copies",
        lambda d: d["surplus"][0].update(copies=True),
        "surplus[0]: число экземпляров должно быть целым неотрицательным, а не «true»",
    ),
    (
        "fractional copies",
        lambda d: d["surplus"][0].update(copies=2.5),
        "surplus[0]: число экземпляров должно быть целым неотрицательным, а не «2.5»",
    ),
    (
        "no coordinates",
        lambda d: d["schools"][1].pop("lat"),
        "школа «S2» (Гимназия № 1): нет координат (lat/lon)",
    ),
    (
        "latitude out of range",
        lambda d: d["schools"][0].update(lat=95),
        "школа «S1» (СОШ № 1): широта 95 вне диапазона",
    ),
    (
        "longitude out of range",
        lambda d: d["schools"][0].update(lon=-181.5),
        "школа «S1» (СОШ № 1): долгота -181.5 вне диапазона",
    ),
    (
        "non-numeric coordinate",
        lambda d: d["schools"][2].update(lon="37,3"),
        "школа «S3» (Лицей № 3): координаты должны быть числами",
    ),
    (
        "duplicate school id",
        lambda d: d["schools"].append({"id": "S1", "name": "Ещё", "lat": 55, "lon": 37}),
        "schools[3]: повтор id школы «S1» (уже в schools[0])",
    ),
    (
        "duplicate title id",
        lambda d: d["titles"].append({"id": "T2", "name": "Ещё"}),
        "titles[2]: повтор id учебника «T2» (уже в titles[1])",
    ),
    (
        "duplicate pair in surplus",
        lambda d: d["surplus"].append({"school": "S1", "title": "T1", "copies": 2}),
        "surplus[2]: повтор пары школа «S1» — учебник «T1» (уже в surplus[0])",
    ),
    (
        "duplicate pair in shortage",
        lambda d: d["shortage"].append({"school": "S2", "title": "T1", "copies": 2}),
        "shortage[1]: повтор пары школа «S2» — учебник «T1» (уже в shortage[0])",
    ),
    (
        "a school both offers and asks",
        lambda d: d["shortage"].append({"school": "S1", "title": "T1", "copies": 2}),
        "школа «S1» и отдаёт, и просит учебник «T1» (surplus[0], shortage[1])",
    ),
    (
        "unknown school in the distance table",
        lambda d: d["distances"].append({"from": "S1", "to": "S8", "km": 2}),
        "distances[1]: неизвестная школа «S8»",
    ),
    (
        "negative distance",
        lambda d: d["distances"][0].update(km=-3),
        "distances[0]: отрицательное расстояние -3",
    ),
    (
        "missing key",
        lambda d: d.pop("shortage"),
        "нет ключа «shortage»",
    ),
    (
        "key of the wrong type",
        lambda d: d.update(titles={"T1": "Алгебра"}),
        "«titles» должен быть списком",
    ),
    (
        "entry that is not an object",
        lambda d: d["surplus"].append("S1:T1:5"),
        "surplus[2]: ожидается объект",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_input_names_the_offending_entry(change, message):
    with pytest.raises(InstanceError) as caught:
        parse_instance(broken(change))
    assert message in str(caught.value)


def test_every_problem_is_reported_at_once_and_a_non_object_is_refused():
    data = valid_data()
    data["surplus"][0]["copies"] = -1
    data["shortage"][0]["school"] = "S5"
    with pytest.raises(InstanceError) as caught:
        parse_instance(data)
    assert caught.value.problems == [
        "surplus[0]: число экземпляров должно быть целым неотрицательным, а не «-1»",
        "shortage[0]: неизвестная школа «S5»",
    ]
    with pytest.raises(InstanceError, match="ожидается объект JSON"):
        parse_instance([1, 2])


# --- checking a plan -------------------------------------------------------------------------


def test_check_solution_names_every_broken_constraint():
    instance = instance_of(
        [school(1), school(2), school(3)],
        {("S1", "T1"): 5, ("S1", "T2"): 30},
        {("S2", "T1"): 3, ("S3", "T1"): 4, ("S3", "T2"): 12},
    )
    assert check_solution(instance, [Transfer("S1", "S2", "T1", 3)]) == []
    problems = check_solution(
        instance,
        [
            Transfer("S1", "S2", "T1", 4),  # the receiver needs 3
            Transfer("S1", "S3", "T1", 2),  # S1 now gives 6 of its 5
            Transfer("S2", "S2", "T1", 1),  # to itself
            Transfer("S1", "S4", "T1", 1),  # unknown school
            Transfer("S1", "S3", "T9", 1),  # unknown title
            Transfer("S1", "S3", "T2", 0),  # nothing
            Transfer("S1", "S3", "T2", 5),  # below a batch of 10 and not the whole 12
        ],
        min_batch=10,
        max_shipments=1,
    )
    assert problems == [
        "строка 3: школа «S2» (Школа № 2) передаёт учебники себе",
        "строка 4: неизвестная школа «S4»",
        "строка 5: неизвестный учебник «T9»",
        "строка 6: число экземпляров должно быть целым положительным",
        "«S1» (Школа № 1) → «S2» (Школа № 2), учебник «T1»: 4 экз. — меньше минимальной "
        "партии 10 и не закрывает всю потребность получателя (3 экз.)",
        "«S1» (Школа № 1) → «S3» (Школа № 3), учебник «T1»: 2 экз. — меньше минимальной "
        "партии 10 и не закрывает всю потребность получателя (4 экз.)",
        "«S1» (Школа № 1) → «S3» (Школа № 3), учебник «T2»: 5 экз. — меньше минимальной "
        "партии 10 и не закрывает всю потребность получателя (12 экз.)",
        "школа «S1» (Школа № 1) отдаёт 6 экз. учебника «T1», а излишек — 5 экз.",
        "школа «S2» (Школа № 2) получает 4 экз. учебника «T1», а потребность — 3 экз.",
        "перевозок 2, а допускается не больше 1",
    ]
    # a small line that fills the receiver's whole shortage is allowed
    assert check_solution(instance, [Transfer("S1", "S3", "T1", 4)], min_batch=10) == []


def test_repeated_lines_are_reported_and_summed():
    instance = instance_of([school(1), school(2)], {("S1", "T1"): 5}, {("S2", "T1"): 5})
    problems = check_solution(
        instance, [Transfer("S1", "S2", "T1", 3), Transfer("S1", "S2", "T1", 3)]
    )
    assert problems == [
        "строка 2: повтор строки «S1» (Школа № 1) → «S2» (Школа № 2), учебник «T1»",
        "школа «S1» (Школа № 1) отдаёт 6 экз. учебника «T1», а излишек — 5 экз.",
        "школа «S2» (Школа № 2) получает 6 экз. учебника «T1», а потребность — 5 экз.",
    ]


# --- hand-built instances --------------------------------------------------------------------


def pair_first_trap() -> Instance:
    """The pair S2 → S1 can carry the most (4 + 2 copies), so the pair-first greedy ships it
    first, and then needs three more shipments for the rest: 4 in all. Three suffice:
    S3 → S1 (5 × T1), S4 → S1 (3 × T2), S2 → S4 (3 × T1)."""
    schools = [school(1, 54.90, 37.40), school(2, 54.93, 37.45)]
    schools += [school(3, 54.88, 37.36), school(4, 54.95, 37.38)]
    return instance_of(
        schools,
        {("S2", "T1"): 4, ("S2", "T2"): 2, ("S3", "T1"): 6, ("S4", "T2"): 5},
        {("S1", "T1"): 5, ("S1", "T2"): 3, ("S4", "T1"): 3},
    )


def test_the_solver_beats_pair_first_where_its_first_choice_is_a_trap():
    instance = pair_first_trap()
    greedy = pair_first_greedy(instance)
    assert plan_figures(instance, greedy)[:2] == (11, 4)
    assert ("S2", "S1") in {(t.source, t.target) for t in greedy}
    solution = solve(instance, time_limit=FAST)
    assert (solution.covered, solution.coverable, solution.shipments) == (11, 11, 3)
    assert check_solution(instance, solution.transfers) == []
    assert brute_force_shipments(instance) == 3
    assert solution.lower_bound_shipments == 3  # proven: the plan is optimal
    assert solution.stats["proven_optimal"]


def test_kilometres_break_the_tie_towards_the_nearer_school():
    # S1 has 5 spare copies; S2 (about 1 km away) and S3 (about 20 km) each need 5.
    schools = [school(1, 54.90, 37.40), school(2, 54.909, 37.40), school(3, 55.08, 37.40)]
    instance = instance_of(schools, {("S1", "T1"): 5}, {("S2", "T1"): 5, ("S3", "T1"): 5})
    for baseline in (solve(instance, time_limit=FAST).transfers, pair_first_greedy(instance)):
        assert baseline == [Transfer("S1", "S2", "T1", 5)]
    assert nearest_source_greedy(instance) == [Transfer("S1", "S2", "T1", 5)]


def test_a_road_table_overrides_the_great_circle_choice():
    schools = [school(1, 54.90, 37.40), school(2, 54.909, 37.40), school(3, 55.08, 37.40)]
    instance = instance_of(
        schools,
        {("S1", "T1"): 5},
        {("S2", "T1"): 5, ("S3", "T1"): 5},
        {("S1", "S2"): 40.0, ("S1", "S3"): 25.0},  # a river in between: no bridge nearby
    )
    solution = solve(instance, time_limit=FAST)
    assert solution.transfers == [Transfer("S1", "S3", "T1", 5)]
    assert solution.km == 25.0


def test_one_shipment_carries_every_title_of_its_pair():
    instance = instance_of(
        [school(1), school(2, 54.95, 37.5)],
        {("S1", "T1"): 5, ("S1", "T2"): 7, ("S1", "T3"): 1},
        {("S2", "T1"): 3, ("S2", "T2"): 9, ("S2", "T3"): 1},
    )
    solution = solve(instance, time_limit=FAST)
    assert (solution.covered, solution.shipments, solution.lower_bound_shipments) == (11, 1, 1)
    assert solution.km == pytest.approx(instance.distance("S1", "S2"))
    assert solution_to_json(solution) == {
        "transfers": [
            {"from": "S1", "to": "S2", "title": "T1", "copies": 3},
            {"from": "S1", "to": "S2", "title": "T2", "copies": 7},
            {"from": "S1", "to": "S2", "title": "T3", "copies": 1},
        ],
        "covered": 11,
        "coverable": 11,
        "shipments": 1,
        "km": round(instance.distance("S1", "S2"), 1),
        "lower_bound_shipments": 1,
        "seed": 0,
    }


def test_nothing_to_exchange_gives_an_empty_plan():
    instance = instance_of([school(1), school(2)], {("S1", "T1"): 5}, {("S1", "T2"): 4})
    solution = solve(instance, time_limit=FAST)
    assert (solution.transfers, solution.covered, solution.shipments) == ([], 0, 0)
    assert solution.lower_bound_shipments == 0 and solution.km == 0


def test_min_batch_skips_small_lines_unless_they_fill_a_whole_shortage():
    # S2 needs 3 (below the batch of 5, but one line can fill it whole); S3 needs 12, and
    # S1's 10 spare copies can give it only 7 after S2: a line of 7 is fine, 2 would not be.
    instance = instance_of(
        [school(1), school(2, 54.91, 37.41), school(3, 54.92, 37.42)],
        {("S1", "T1"): 10},
        {("S2", "T1"): 3, ("S3", "T1"): 12},
    )
    solution = solve(instance, time_limit=FAST, min_batch=5)
    assert check_solution(instance, solution.transfers, min_batch=5) == []
    assert solution.covered == solution.coverable == 10
    lines = {(t.target, t.copies) for t in solution.transfers}
    assert lines in ({("S3", 10)}, {("S2", 3), ("S3", 7)})
    assert solution.shipments == 1  # all ten to S3 in one shipment is the better plan

    # A batch above every line: only lines filling a whole shortage remain.
    tight = solve(instance, time_limit=FAST, min_batch=11)
    assert tight.coverable == tight.covered == 3
    assert tight.transfers == [Transfer("S1", "S2", "T1", 3)]


def test_max_shipments_keeps_the_heaviest_shipments():
    schools = [school(k, 54.9 + 0.01 * k, 37.4) for k in range(1, 5)]
    instance = instance_of(
        schools,
        {("S1", "T1"): 20, ("S2", "T2"): 6, ("S3", "T3"): 2},
        {("S4", "T1"): 20, ("S4", "T2"): 6, ("S4", "T3"): 2},
    )
    full = solve(instance, time_limit=FAST)
    assert (full.covered, full.shipments) == (28, 3)
    for cap, copies in ((0, 0), (1, 20), (2, 26), (3, 28), (7, 28)):
        capped = solve(instance, time_limit=FAST, max_shipments=cap)
        assert (capped.covered, capped.coverable) == (copies, 28)
        assert capped.shipments <= cap
        assert check_solution(instance, capped.transfers, max_shipments=cap) == []
        assert capped.lower_bound_shipments <= capped.shipments


def best_with_budget(instance: Instance, budget: int) -> int:
    """Brute force: the most copies any `budget` pairs can carry (min_batch 0)."""
    titles = titles_of(instance)
    useful = sorted({(a, b) for g, n in titles.values() for a in g for b in n})
    return max(
        sum(max_flow(g, n, set(subset)) for g, n in titles.values())
        for subset in itertools.combinations(useful, min(budget, len(useful)))
    )


def test_tradeoff_is_feasible_and_never_decreases():
    instance = pair_first_trap()
    rows = tradeoff(instance, [0, 1, 2, 3, 10], time_limit=FAST, seed=3)
    assert [k for k, _ in rows] == [0, 1, 2, 3, 10]
    copies = [c for _, c in rows]
    assert copies == sorted(copies)
    assert copies[0] == 0 and copies[3] == copies[4] == 11
    for k, c in rows:
        assert c <= best_with_budget(instance, k)
    # on an instance this small the capped search finds the best: one pair carries 6
    # (S2 → S1), two carry 9 (and S3 → S4)
    assert copies[1:3] == [best_with_budget(instance, 1), best_with_budget(instance, 2)] == [6, 9]


def test_tradeoff_can_start_from_the_plan_shown():
    instance = pair_first_trap()
    full = solve(instance, time_limit=FAST)
    rows = tradeoff(instance, [full.shipments, 1], time_limit=FAST, start=full)
    assert rows == [(3, 11), (1, 6)]


def test_progress_goes_forward_in_russian_and_ends_at_one():
    seen: list[tuple[float, str]] = []
    solve(pair_first_trap(), time_limit=FAST, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] == 1.0
    assert all(any("а" <= ch <= "я" for ch in m.lower()) for _, m in seen)


def test_an_instance_built_in_code_is_checked_too():
    bad = instance_of([school(1), school(2)], {("S1", "T1"): -3}, {("S2", "T1"): 2})
    with pytest.raises(InstanceError, match="число экземпляров должно быть целым"):
        solve(bad)


# --- greedies --------------------------------------------------------------------------------


def test_pair_first_greedy_takes_the_biggest_pair_first():
    instance = pair_first_trap()
    first = pair_first_greedy(instance)
    by_pair: dict[tuple[str, str], int] = {}
    for t in first:
        by_pair[t.source, t.target] = by_pair.get((t.source, t.target), 0) + t.copies
    assert by_pair["S2", "S1"] == 6
    assert check_solution(instance, first) == []


# --- properties on random small instances ----------------------------------------------------


@PROPERTY
@given(small_instances())
def test_solution_is_valid_maximal_and_reproducible(instance):
    solution = solve(instance, time_limit=FAST, seed=7)
    assert check_solution(instance, solution.transfers) == []
    assert solution.covered == solution.coverable == coverable(instance)
    covered, shipments, km = plan_figures(instance, solution.transfers)
    assert (covered, shipments) == (solution.covered, solution.shipments)
    assert km == pytest.approx(solution.km)
    assert solution.shipments >= solution.lower_bound_shipments
    again = solve(instance, time_limit=FAST, seed=7)
    assert json.dumps(solution_to_json(again)) == json.dumps(solution_to_json(solution))
    for baseline in (nearest_source_greedy(instance), pair_first_greedy(instance)):
        assert check_solution(instance, baseline) == []
        assert plan_figures(instance, baseline)[0] == solution.coverable
        assert plan_figures(instance, baseline)[1] >= solution.lower_bound_shipments


@PROPERTY
@given(small_instances(max_schools=4, max_titles=3, max_copies=8))
def test_tiny_instances_reach_the_brute_force_optimum_and_the_bound_is_sound(instance):
    best = brute_force_shipments(instance)
    solution = solve(instance, time_limit=FAST)
    assert solution.shipments == best
    problem = IndexedInstance(instance)
    cover = {t: problem.upper_cover(t) for t in problem.active_titles}
    combinatorial, _, capped = lower_bound(problem, cover, sum(cover.values()))
    assert not capped  # 30 s is far more than these take
    assert combinatorial <= best
    assert solution.lower_bound_shipments <= best


@PROPERTY
@given(small_instances(max_schools=4, max_titles=3, max_copies=9), st.integers(2, 6))
def test_min_batch_holds_and_the_coverable_maximum_is_exact(instance, batch):
    solution = solve(instance, time_limit=FAST, min_batch=batch)
    assert check_solution(instance, solution.transfers, min_batch=batch) == []
    assert solution.covered == solution.coverable == brute_force_batch_cover(instance, batch)
    assert solution.shipments >= solution.lower_bound_shipments


@PROPERTY
@given(small_instances(max_schools=5, max_titles=3), st.integers(0, 4))
def test_max_shipments_is_never_exceeded(instance, cap):
    solution = solve(instance, time_limit=FAST, max_shipments=cap)
    assert solution.shipments <= cap
    assert check_solution(instance, solution.transfers, max_shipments=cap) == []
    assert solution.covered <= solution.coverable == coverable(instance)
    assert solution.shipments >= solution.lower_bound_shipments
    unlimited = solve(instance, time_limit=FAST)
    if unlimited.shipments <= cap:
        assert solution.covered == solution.coverable


@settings(max_examples=15, deadline=None)
@given(small_instances(max_schools=4, max_titles=3, max_copies=8))
def test_tradeoff_figures_are_achievable_and_never_decrease(instance):
    budgets = [0, 1, 2, 3, 5, 20]
    rows = tradeoff(instance, budgets, time_limit=1.0)
    copies = [c for _, c in rows]
    assert [k for k, _ in rows] == budgets and copies == sorted(copies)
    for k, c in rows:
        assert c <= best_with_budget(instance, k)
    assert copies[-1] == coverable(instance)


def test_a_mid_sized_instance_beats_both_greedies():
    rng = random.Random(4)
    schools = [
        school(k, 54.9 + rng.uniform(-0.2, 0.2), 37.4 + rng.uniform(-0.3, 0.3))
        for k in range(1, 26)
    ]
    surplus, shortage = {}, {}
    for s in schools:
        for t in range(1, 31):
            if rng.random() < 0.3:
                (surplus if rng.random() < 0.5 else shortage)[s.id, f"T{t}"] = rng.randint(1, 25)
    instance = instance_of(schools, surplus, shortage)
    # a fixed amount of work (about a second's worth) and a wide cap: the same plan on any load
    solution = solve(instance, time_limit=60, work=40_000)
    assert not solution.stats["time_capped"]
    assert check_solution(instance, solution.transfers) == []
    assert solution.covered == coverable(instance)
    for baseline in (pair_first_greedy(instance), nearest_source_greedy(instance)):
        covered, shipments, _ = plan_figures(instance, baseline)
        assert covered == solution.covered
        assert solution.shipments < shipments
    assert solution.lower_bound_shipments <= solution.shipments

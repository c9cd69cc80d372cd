"""The solver's lower bound on shipments never exceeds the true optimum, in every mode.

The optimum comes from an independent exact model (written here, solved by CP-SAT to proven
optimality on tiny instances): the fewest shipments of any plan moving at least the copies
the solver's plan moves, under the min_batch rule when it applies. Checked: the bound shown and
each of its parts before it is capped at the plan's shipments.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from bibliomo.lib.redistribution import (
    Instance,
    School,
    Title,
    check_solution,
    solve,
    solve_naive,
)
from bibliomo.lib.redistribution.bounds import lower_bound
from bibliomo.lib.redistribution.network import IndexedInstance
from tests.factories import small_instances

LIMIT = 1.0  # the solver's time_limit on these tiny instances
BOUND_PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def tiny_instances(max_schools: int = 4):
    """Smaller than the solver tests' instances: the exact model proves its optimum at once."""
    return small_instances(max_schools=max_schools, max_titles=3, max_copies=9)


def fewest_shipments(instance: Instance, copies: int, min_batch: int = 0) -> int:
    """The fewest shipments of any plan moving at least ``copies`` copies (exact)."""
    model = cp_model.CpModel()
    lines = {}
    for (giver, title), spare in instance.surplus.items():
        for (taker, wanted), need in instance.shortage.items():
            if wanted != title or giver == taker:
                continue
            cap = min(spare, need)
            allowed = [c for c in range(cap + 1) if c == 0 or c >= min_batch or c == need]
            lines[giver, taker, title] = model.new_int_var_from_domain(
                cp_model.Domain.from_values(allowed), ""
            )
    for (school, title), spare in instance.surplus.items():
        model.add(sum(v for (a, _, t), v in lines.items() if (a, t) == (school, title)) <= spare)
    for (school, title), need in instance.shortage.items():
        model.add(sum(v for (_, b, t), v in lines.items() if (b, t) == (school, title)) <= need)
    model.add(sum(lines.values()) >= copies)
    used = {}
    for (a, b, _), var in lines.items():
        if (a, b) not in used:
            used[a, b] = model.new_bool_var("")
        model.add(var == 0).only_enforce_if(used[a, b].Not())
    model.minimize(sum(used.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def assert_sound(solution, best: int) -> None:
    """The bound as shown (capped at the plan) and every part it was taken from (uncapped:
    the solver often finds the optimum here, so the capped figure alone proves little)."""
    assert solution.lower_bound_shipments <= best <= solution.shipments
    assert max(solution.stats["lower_bound_parts"].values()) <= best


@BOUND_PROPERTY
@given(tiny_instances())
def test_the_bound_never_exceeds_the_optimum(instance):
    solution = solve(instance, time_limit=LIMIT)
    best = fewest_shipments(instance, solution.covered)
    assert_sound(solution, best)


@BOUND_PROPERTY
@given(tiny_instances(), st.integers(2, 6))
def test_the_bound_holds_under_min_batch(instance, batch):
    solution = solve(instance, time_limit=LIMIT, min_batch=batch)
    assert check_solution(instance, solution.transfers, min_batch=batch) == []
    best = fewest_shipments(instance, solution.covered, batch)
    assert_sound(solution, best)


@BOUND_PROPERTY
@given(tiny_instances(max_schools=5), st.integers(0, 4))
def test_the_bound_holds_under_a_shipment_cap(instance, cap):
    solution = solve(instance, time_limit=LIMIT, max_shipments=cap)
    assert solution.shipments <= cap
    best = fewest_shipments(instance, solution.covered)
    assert_sound(solution, best)


def one_giver_two_takers() -> Instance:
    """Two schools each lacking 5 copies of what a third has 10 spare: two shipments."""
    schools = [School(f"S{k}", f"Школа {k}", 54.9 + k / 100, 37.4) for k in range(1, 4)]
    return Instance(
        schools,
        [Title("T1", "Учебник 1")],
        {("S1", "T1"): 10},
        {("S2", "T1"): 5, ("S3", "T1"): 5},
    )


@pytest.mark.parametrize("batch", [0, 3])
def test_a_known_instance_gets_a_tight_bound(batch):
    """Two schools each lacking what a third has spare: two shipments, proven."""
    instance = one_giver_two_takers()
    solution = solve(instance, time_limit=LIMIT, min_batch=batch)
    assert (solution.covered, solution.shipments, solution.lower_bound_shipments) == (10, 2, 2)
    assert fewest_shipments(instance, 10, batch) == 2
    naive = solve_naive(instance, time_limit=LIMIT, workers=1)  # the bench's reference model
    assert (naive.covered, naive.shipments, naive.lower_bound_shipments) == (10, 2, 2)


def test_a_bound_cut_by_the_clock_says_so_and_stays_sound():
    """The bound's models run to a wall-clock deadline: on a busy machine it can come before
    their work is done. The bound then stays a bound, weaker, and says it was cut."""
    instance = one_giver_two_takers()
    problem = IndexedInstance(instance)
    cover = {t: problem.upper_cover(t) for t in problem.active_titles}
    assert lower_bound(problem, cover, 10)[0::2] == (2, False)
    cut, _, capped = lower_bound(problem, cover, 10, deadline=time.monotonic() - 1)
    assert capped and 1 <= cut <= 2


@BOUND_PROPERTY
@given(tiny_instances())
def test_the_whole_cpsat_models_bound_is_sound(instance):
    naive = solve_naive(instance, time_limit=LIMIT, workers=1)
    if naive.stats["status"] in ("OPTIMAL", "FEASIBLE"):
        best = fewest_shipments(instance, naive.covered)
        assert naive.lower_bound_shipments <= best <= naive.shipments

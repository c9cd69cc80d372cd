"""The exchange solver's budget: the plan follows from the work allowed, not from the clock;
the time limit is a safety cap that leaves a valid plan when it cuts in (stats say so).

No database, no timed assertions: wall-clock figures are in bench/bench_exchange.py.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time

import pytest

from bibliomo.lib.redistribution import (
    IndexedInstance,
    Instance,
    School,
    Title,
    check_solution,
    plan_figures,
    solve,
)
from bibliomo.lib.redistribution.greedy import pair_first_greedy, pair_first_lines, pair_first_plan


def plan_hash(transfers) -> str:
    lines = sorted((t.source, t.target, t.title, t.copies) for t in transfers)
    return hashlib.sha256(json.dumps(lines).encode()).hexdigest()


def scattered(seed: int, schools: int, titles: int, density: float) -> Instance:
    """Schools around one town, each title offered or asked for by a share of them."""
    rng = random.Random(seed)
    places = [
        School(
            f"S{k}", f"Школа № {k}", 54.9 + rng.uniform(-0.2, 0.2), 37.4 + rng.uniform(-0.3, 0.3)
        )
        for k in range(1, schools + 1)
    ]
    surplus: dict[tuple[str, str], int] = {}
    shortage: dict[tuple[str, str], int] = {}
    for place in places:
        for t in range(1, titles + 1):
            if rng.random() < density:
                side = surplus if rng.random() < 0.5 else shortage
                side[place.id, f"T{t}"] = rng.randint(1, 25)
    names = sorted({t for _, t in [*surplus, *shortage]})
    return Instance(places, [Title(t, f"Учебник {t}") for t in names], surplus, shortage)


def most_copies(instance: Instance) -> int:
    total = 0
    for title in instance.titles:
        give = sum(c for (_, t), c in instance.surplus.items() if t == title.id)
        need = sum(c for (_, t), c in instance.shortage.items() if t == title.id)
        total += min(give, need)
    return total


class Burner:
    """A thread burning CPU (and the interpreter's lock) beside the solver."""

    def __enter__(self) -> Burner:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._burn, daemon=True)
        self.thread.start()
        return self

    def _burn(self) -> None:
        while not self.stop.is_set():
            sum(i * i for i in range(2000))

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self.thread.join()


def test_the_same_work_gives_the_same_plan_with_a_cpu_burner_beside_it():
    instance = scattered(5, 30, 40, 0.25)
    quiet = solve(instance, time_limit=60, work=20_000, seed=3)
    with Burner():
        busy = solve(instance, time_limit=60, work=20_000, seed=3)
    assert not quiet.stats["time_capped"] and not busy.stats["time_capped"]
    assert quiet.stats["shuffle_models"] > 0  # the random-schools models are in the run
    assert plan_hash(busy.transfers) == plan_hash(quiet.transfers)
    assert busy.stats["work_done"] == quiet.stats["work_done"] >= 20_000
    assert quiet.stats["work"] == 20_000
    assert check_solution(instance, quiet.transfers) == []


@pytest.mark.parametrize("options", [{}, {"min_batch": 5}, {"max_shipments": 60}])
def test_the_random_schools_models_keep_every_rule_and_repeat_exactly(options):
    """A small instance the whole model leaves unproven: the random-schools models run, the
    plan keeps every rule, beats the pair-first greedy and comes out the same twice."""
    instance = scattered(6, 40, 60, 0.2)
    first = solve(instance, time_limit=60, work=40_000, **options)
    assert first.stats["shuffle_models"] > 0 and not first.stats["time_capped"]
    assert check_solution(instance, first.transfers, **options) == []
    again = solve(instance, time_limit=60, work=40_000, **options)
    assert plan_hash(again.transfers) == plan_hash(first.transfers)
    assert first.lower_bound_shipments <= first.shipments
    if not options:
        assert first.covered == first.coverable == most_copies(instance)
        greedy = plan_figures(instance, pair_first_greedy(instance))
        assert first.shipments < greedy[1]


def test_the_work_follows_from_the_time_limit_by_default():
    instance = scattered(6, 8, 6, 0.4)
    solution = solve(instance, time_limit=0.5)
    assert solution.stats["work"] == solve(instance, time_limit=0.5, work=None).stats["work"] > 0
    assert solve(instance, time_limit=1.0).stats["work"] == 2 * solution.stats["work"]


def test_more_work_than_the_limit_allows_is_cut_by_the_cap_and_the_plan_is_still_valid():
    instance = scattered(7, 60, 80, 0.2)
    solution = solve(instance, time_limit=0.3, work=10**12)
    assert solution.stats["time_capped"]
    assert solution.stats["work_done"] < 10**12
    assert check_solution(instance, solution.transfers) == []
    assert solution.covered == solution.coverable == most_copies(instance)
    assert solution.lower_bound_shipments <= solution.shipments


@pytest.mark.parametrize("options", [{"min_batch": 5}, {"max_shipments": 40}])
def test_the_cap_leaves_a_valid_plan_with_min_batch_and_with_a_shipment_cap(options):
    instance = scattered(8, 60, 80, 0.2)
    solution = solve(instance, time_limit=0.3, work=10**12, **options)
    assert solution.stats["time_capped"]
    assert check_solution(instance, solution.transfers, **options) == []
    assert solution.covered <= solution.coverable
    assert solution.shipments <= options.get("max_shipments", solution.shipments)


@pytest.mark.parametrize("min_batch", [0, 5])
def test_a_greedy_past_its_deadline_still_gives_a_valid_plan(min_batch):
    instance = scattered(9, 40, 50, 0.3)
    problem = IndexedInstance(instance, min_batch)
    lines, cut = pair_first_plan(problem, deadline=time.monotonic() - 1)
    assert cut
    transfers = problem.transfers(lines)
    assert check_solution(instance, transfers, min_batch=min_batch) == []
    if not min_batch:
        assert plan_figures(instance, transfers)[0] == most_copies(instance)
    full, cut = pair_first_plan(problem)
    assert not cut and full == pair_first_lines(problem)
    assert len(problem.transfers(full)) <= len(transfers)

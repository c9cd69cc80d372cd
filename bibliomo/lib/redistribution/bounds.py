"""A proven lower bound on the shipments of any plan: pair capacities, and per school a
set-multicover model of the partners it needs (LowerBound, ``lower_bound``)."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor

from ortools.sat.python import cp_model

from bibliomo.lib.redistribution.cpsat import _solver
from bibliomo.lib.redistribution.network import IndexedInstance


def _cheap_cover_bound(needs: dict[int, int], partners: dict[int, dict[int, int]]) -> int:
    """Partners needed, by the largest capacities per title and in total."""
    bound = 1
    for t, need in needs.items():
        bound = max(bound, _fewest_to_reach(need, [row.get(t, 0) for row in partners.values()]))
    totals = [
        sum(min(row.get(t, 0), need) for t, need in needs.items()) for row in partners.values()
    ]
    return max(bound, _fewest_to_reach(sum(needs.values()), totals))


def _fewest_to_reach(amount: int, capacities: list[int]) -> int:
    """How many of the largest capacities it takes to reach ``amount`` (all, if never)."""
    total = 0
    for k, cap in enumerate(sorted(capacities, reverse=True), start=1):
        total += cap
        if total >= amount:
            return k
    return len(capacities)


def _cover_model(needs: dict[int, int], partners: dict[int, dict[int, int]]) -> cp_model.CpModel:
    """The smallest set of partners whose capacities meet every need (set multicover)."""
    model = cp_model.CpModel()
    use = {s: model.new_bool_var("") for s in sorted(partners)}
    for t, need in sorted(needs.items()):
        terms = [
            (min(row.get(t, 0), need), use[s])
            for s, row in sorted(partners.items())
            if row.get(t, 0) > 0
        ]
        model.add(sum(c * v for c, v in terms) >= need)
    model.minimize(sum(use.values()))
    return model


def _model_bound(model: cp_model.CpModel, seed: int, deadline: float) -> tuple[int, bool]:
    """CP-SAT's proven lower bound on a cover model's objective (0 when it has none or the
    deadline passed before its turn came), and whether the deadline cut it short: then, and
    only then, a busier machine may have given a weaker bound than its deterministic work."""
    seconds = deadline - time.monotonic()
    if seconds <= 0:
        return 0, True
    solver = _solver(seed, 0.2, seconds, presolve=False)
    status = solver.solve(model)
    cut = status != cp_model.OPTIMAL and solver.wall_time >= 0.95 * seconds
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return math.ceil(solver.best_objective_bound - 1e-6), cut
    return 0, cut


def _capacity_bound(problem: IndexedInstance, covered: int) -> int:
    """Fewest shipments that could carry ``covered`` copies, by the largest pair capacities."""
    if covered <= 0:
        return 0
    caps = problem.pair_capacities()
    return _fewest_to_reach(covered, caps[caps > 0].tolist())


def _forced(problem: IndexedInstance, cover: dict[int, int]) -> tuple[dict, dict]:
    """Copies each school must send / receive of each title in every maximal plan."""
    must_send: dict[int, dict[int, int]] = defaultdict(dict)
    must_take: dict[int, dict[int, int]] = defaultdict(dict)
    for t, amount in cover.items():
        if amount <= 0:
            continue
        supply, demand = sum(problem.sup[t].values()), sum(problem.dem[t].values())
        for i, spare in problem.sup[t].items():
            if amount - (supply - spare) > 0:
                must_send[i][t] = amount - (supply - spare)
        for j, need in problem.dem[t].items():
            if amount - (demand - need) > 0:
                must_take[j][t] = amount - (demand - need)
    return must_send, must_take


class LowerBound:
    """A proven lower bound on the shipments of any plan moving ``covered`` copies.

    With ``cover`` (title → copies every maximal plan moves, known exactly): a school must send
    at least ``cover − (the others' surplus)`` copies of a title; the schools it ships to must be
    able to take them all, so it needs at least as many outgoing shipments as the smallest such
    set of receivers (a set-multicover model per school; CP-SAT's proven bound on it); likewise
    incoming. Shipments ≥ Σ outgoing bounds and ≥ Σ incoming bounds. Always: the largest pair
    capacities must add up to the copies moved.

    The models are solved on ``pool`` (in the background while the search runs);
    ``value()`` waits for them. ``time_capped`` says whether the deadline cut any of them
    short (or left one unsolved): only then can the bound depend on the machine's load.
    """

    def __init__(
        self,
        problem: IndexedInstance,
        cover: dict[int, int] | None,
        covered: int,
        seed: int,
        deadline: float,
        pool: ThreadPoolExecutor,
    ):
        self.parts = {"capacity": _capacity_bound(problem, covered)}
        self.time_capped = False
        self._jobs: list[tuple[str, int, Future | None]] = []
        if cover is None:
            return
        self.parts.update(senders=0, receivers=0)
        must_send, must_take = _forced(problem, cover)
        sup, dem = problem.sup, problem.dem
        for side, forced, theirs in (("senders", must_send, dem), ("receivers", must_take, sup)):
            for school, needs in sorted(forced.items()):
                if time.monotonic() >= deadline:  # out of time: one partner at least
                    self.time_capped = True
                    self._jobs.append((side, 1, None))
                    continue
                mine = sup if side == "senders" else dem
                partners = {}
                for other in range(problem.n):
                    row = {
                        t: min(theirs[t][other], mine[t][school])
                        for t in needs
                        if other in theirs[t]
                    }
                    if other != school and row:
                        partners[other] = row
                cheap = _cheap_cover_bound(needs, partners)
                future = None
                seconds = deadline - time.monotonic()
                # every partner needed: nothing to prove; out of time: the cheap bound stands
                if cheap < len(partners):
                    if seconds > 0:
                        model = _cover_model(needs, partners)
                        future = pool.submit(_model_bound, model, seed, deadline)
                    else:
                        self.time_capped = True
                self._jobs.append((side, cheap, future))

    def ready(self) -> bool:
        return all(future is None or future.done() for _, _, future in self._jobs)

    def value(self) -> int:
        for side, cheap, future in self._jobs:
            proven, cut = future.result() if future is not None else (0, False)
            self.parts[side] += max(cheap, proven)
            self.time_capped |= cut
        self._jobs = []
        return max(self.parts.values())


def lower_bound(
    problem: IndexedInstance,
    cover: dict[int, int] | None,
    covered: int,
    seed: int = 0,
    deadline: float | None = None,
) -> tuple[int, dict[str, int], bool]:
    """The LowerBound computed right away: (bound, its parts by argument, whether the
    deadline cut it short)."""
    deadline = time.monotonic() + 30 if deadline is None else deadline
    with ThreadPoolExecutor(max_workers=2) as pool:
        bound = LowerBound(problem, cover, covered, seed, deadline, pool)
        return bound.value(), bound.parts, bound.time_capped

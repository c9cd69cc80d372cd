"""The improvement phase on one plan (Search): the flow moves and kicks on the main thread,
a CP-SAT neighbourhood model on the second core, merged at fixed points of the work count
(budget) so the run stays deterministic."""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from bibliomo.lib.redistribution.cpsat import Neighbourhood, build_subproblem, solve_subproblem
from bibliomo.lib.redistribution.moves import (
    SWAP_TRIES,
    _by_load,
    _remove_arc,
    augment,
    drop_to,
    try_swap,
)
from bibliomo.lib.redistribution.network import Plan

KICK_SWAPS = 20  # swaps tried around the schools a kick touched
SYNC_WORK = 30_000  # a CP-SAT model is merged and the next started every this many work units
MODEL_DTIME = 0.15  # CP-SAT deterministic time per neighbourhood model
SHUFFLE_DTIME = 0.3  # …per model of the random-schools phase (small instances)
DTIME_WORK = 100_000  # work units one second of CP-SAT deterministic time counts for
SHUFFLE_MODEL_WORK = 6_000  # …and what each random-schools model counts besides


class Search:
    """The improvement phase on one plan.

    The main thread runs the cheap flow moves (close, swap, kicks); meanwhile a CP-SAT model of
    one neighbourhood is solved on the second core. The models are started and their results
    merged at fixed points of the work count (the first move after every ``SYNC_WORK`` work
    units), so the run stays deterministic. A result is built on the plan as it was when the
    model started; it is kept only if, applied to the plan as it is now, it breaks no
    constraint and makes the plan better. Every loop stops when its work is spent (``until``:
    a value of ``plan.work``) or at ``deadline``, the wall-clock safety cap (``time_capped``).

    ``cover`` (title → copies a maximal plan moves) is the coverage to reach; with
    ``max_shipments`` the plan may stay below it and moves that raise coverage count first.
    """

    def __init__(
        self,
        plan: Plan,
        seed: int,
        deadline: float,
        max_shipments: int | None = None,
        cover: dict[int, int] | None = None,
        pool: ThreadPoolExecutor | None = None,
    ):
        self.plan = plan
        self.problem = plan.problem
        self.rng = random.Random(seed)
        self.seed = seed
        self.deadline = deadline
        self.max_shipments = max_shipments
        self.cover = cover or {}
        self.school_size = 8
        self.title_size = 6
        self.models = 0
        self.model_gains = 0
        self.shuffles = 0  # random-schools models solved (small instances)
        self.moves = 0
        self.kicks = 0
        self.improvements = 0
        self.time_capped = False
        self.proven_optimal = False
        self._neighbours: dict[int, list[int]] = {}  # school → the others, nearest first
        self._pool = pool  # where the CP-SAT models run (none: no models beside the moves)
        self._pending: tuple[Future, str] | None = None
        self.next_sync = plan.work  # the work count at which the next model is merged
        self.waited = 0.0  # seconds the moves waited for a model (for tuning)
        self.model_bound = 0  # a lower bound on shipments proven by the whole model
        self.tick: Callable[[], None] = lambda: None  # called at every fixed point (progress)

    def neighbours(self, a: int) -> list[int]:
        """The other schools, nearest first (computed when first asked for)."""
        if a not in self._neighbours:
            # stable sort over ascending ids: ties stay in id order
            order = sorted(range(self.problem.n), key=self.problem.dist[a].__getitem__)
            self._neighbours[a] = [b for b in order if b != a]
        return self._neighbours[a]

    def out_of_time(self) -> bool:
        if time.monotonic() >= self.deadline:
            self.time_capped = True
        return self.time_capped

    def spent(self, until: int) -> bool:
        """Whether the work up to ``until`` is done or the cap cut in."""
        return self.plan.work >= until or self.out_of_time()

    def _step(self) -> None:
        """Before each move: a fixed point once ``SYNC_WORK`` more units are spent."""
        if self.plan.work >= self.next_sync:
            self.next_sync = self.plan.work + SYNC_WORK
            self._sync()

    def __enter__(self) -> Search:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._finish_model()

    # local moves -------------------------------------------------------------------------------

    def descend(self, until: int, tries: int = SWAP_TRIES) -> None:
        """Swap passes over the shipments, lightest first, until a pass changes nothing or
        the work count reaches ``until``."""
        plan = self.plan
        while not self.spent(until):
            changed = 0
            for arc in _by_load(plan, plan.arcs):
                if self.spent(until):
                    return
                self.moves += 1
                self._step()
                if arc in plan.arcs and try_swap(plan, arc, tries):
                    changed += 1
                    self.improvements += 1
            if not changed:
                return

    def kick(self) -> bool:
        """One iterated-local-search step: force one or two light shipments out (their copies
        go wherever the cheapest paths take them, new shipments included), swap around the
        schools concerned, and keep the result only if the plan got better."""
        plan = self.plan
        before = plan.key()
        savepoint = plan.begin()
        arcs = _by_load(plan, plan.arcs)
        kicked = []
        for _ in range(self.rng.randint(1, 2)):
            arc = arcs[int(len(arcs) * self.rng.random() ** 2)]
            if arc not in plan.arcs:
                continue
            for t, copies in sorted(_remove_arc(plan, arc).items()):
                pushed = augment(plan, t, copies, {arc}, allow_new=True)
                if pushed < copies:
                    augment(plan, t, copies - pushed, allow_new=True)
            kicked.append(arc)
        schools = {school for arc in kicked for school in arc}
        around = [a for a in plan.arcs if a[0] in schools or a[1] in schools]
        for arc in _by_load(plan, around)[:KICK_SWAPS]:
            if arc in plan.arcs:
                try_swap(plan, arc, SWAP_TRIES)
        if self._valid(plan.changes(savepoint)) and plan.key() < before:
            plan.commit()
            self.improvements += 1
            return True
        plan.rollback(savepoint)
        return False

    def iterate(self, until: int) -> None:
        """Kick steps until the work count reaches ``until`` (the CP-SAT models keep running
        beside them)."""
        while self.plan.arcs and not self.spent(until):
            self.kicks += 1
            self._step()
            self.kick()

    def fill(self) -> None:
        """Raise coverage through the open shipments as far as they allow (capped mode)."""
        for t in self.problem.active_titles:
            if self.out_of_time():
                return
            missing = self.cover.get(t, 0) - sum(self.plan.by_title[t].values())
            if missing > 0:
                savepoint = self.plan.begin()
                augment(self.plan, t, missing)
                if self.plan.batch_ok(self.plan.changes(savepoint)):
                    self.plan.commit()
                else:
                    self.plan.rollback(savepoint)

    def add_drop(self, until: int, candidates: int = 6) -> None:
        """Capped mode: open the shipment that adds the most copies, drop the lightest one.

        A candidate pair is ranked by the copies it could add directly; it is opened (the
        missing copies pushed through it and the open shipments), then the plan is cut back
        to the cap. Kept only if the plan got better.
        """
        plan, problem, cap = self.plan, self.problem, self.max_shipments
        if cap is None:
            return
        while not self.spent(until):
            missing = {
                t: self.cover.get(t, 0) - sum(plan.by_title[t].values())
                for t in problem.active_titles
            }
            missing = {t: v for t, v in missing.items() if v > 0}
            if not missing:
                return
            gain: dict[tuple[int, int], int] = defaultdict(int)
            for t in missing:
                if self.out_of_time():
                    return
                for i, spare in problem.sup[t].items():
                    left = spare - plan.sent[i, t]
                    if left <= 0:
                        continue
                    plan.work += len(problem.dem[t])
                    for j, need in problem.dem[t].items():
                        room = need - plan.recv[j, t]
                        if room > 0 and (i, j) not in plan.arcs:
                            gain[i, j] += min(left, room, missing[t])
            ranked = sorted(gain, key=lambda a: (-gain[a], problem.metres[a[0]][a[1]], a))
            if not self._add_one(ranked[:candidates], missing, cap):
                return

    def _add_one(self, ranked: list[tuple[int, int]], missing: dict[int, int], cap: int) -> bool:
        plan = self.plan
        for arc in ranked:
            self.moves += 1
            before = plan.key()
            savepoint = plan.begin()
            for t in sorted(missing):
                augment(plan, t, missing[t], free={arc})
            if len(plan.arcs) > cap:
                drop_to(plan, cap, self.out_of_time)
            if plan.batch_ok(plan.changes(savepoint)) and plan.key() < before:
                plan.commit()
                self.improvements += 1
                return True
            plan.rollback(savepoint)
        return False

    def _valid(self, changes: Iterable[tuple[int, int, int, int]]) -> bool:
        """Whether the lines touched by ``changes`` keep every constraint (and the cap)."""
        plan, problem = self.plan, self.problem
        if self.max_shipments is not None and len(plan.arcs) > self.max_shipments:
            return False
        for i, j, t, _ in changes:
            copies = plan.by_title[t].get((i, j), 0)
            if copies < 0 or not problem.line_allowed(j, t, copies):
                return False
            if plan.sent[i, t] > problem.sup[t].get(i, 0):
                return False
            if plan.recv[j, t] > problem.dem[t].get(j, 0):
                return False
        return True

    # neighbourhoods ----------------------------------------------------------------------------

    def _light_arc(self, avoid: frozenset[int] = frozenset()) -> tuple[int, int] | None:
        plan = self.plan
        arcs = _by_load(plan, plan.arcs)
        if avoid:
            arcs = [a for a in arcs if a[0] not in avoid and a[1] not in avoid]
        if not arcs:
            return None
        return arcs[int(len(arcs) * self.rng.random() ** 2)]

    def titles_around_arcs(self) -> Neighbourhood | None:
        """The titles of a light shipment and of light shipments sharing a school with it."""
        plan = self.plan
        start = self._light_arc()
        if start is None:
            return None
        chosen: set[int] = set()
        frontier = [start]
        seen = {start}
        while frontier and len(chosen) < self.title_size:
            arc = frontier.pop(0)
            chosen.update(plan.arcs.get(arc, {}))
            a, b = arc
            plan.work += len(plan.arcs)
            related = [
                other
                for other in plan.arcs
                if other not in seen and (other[0] in (a, b) or other[1] in (a, b))
            ]
            related.sort(key=lambda o: (sum(plan.arcs[o].values()) * (0.5 + self.rng.random()), o))
            for other in related[:3]:
                seen.add(other)
                frontier.append(other)
        return Neighbourhood(None, frozenset(chosen)) if chosen else None

    def schools_around_arc(self) -> Neighbourhood | None:
        """A light shipment's ends plus the schools that could take over its titles."""
        plan, problem = self.plan, self.problem
        pick = self._light_arc()
        if pick is None:
            return None
        a, b = pick
        score: dict[int, float] = defaultdict(float)
        for t in plan.arcs[pick]:
            for j in problem.dem[t]:
                if j != b:
                    score[j] += 1 + 2 * ((a, j) in plan.arcs)
            for i in problem.sup[t]:
                if i != a:
                    score[i] += 1 + 2 * ((i, b) in plan.arcs)
        ranked = sorted(score, key=lambda s: (-score[s] * (0.5 + self.rng.random()), s))
        chosen = [a, b]
        for school in [*ranked, *self.neighbours(a)]:
            if len(chosen) >= self.school_size:
                break
            if school not in chosen:
                chosen.append(school)
        return Neighbourhood(frozenset(chosen), None)

    # CP-SAT ------------------------------------------------------------------------------------

    def whole(self, dtime: float) -> None:
        """Solve the whole instance as one model, the plan as its hint (small instances).

        Without a cap the model keeps every title's coverage at the maximum, so its proven
        bound, divided by what one shipment can cost, bounds the shipments of any maximal plan
        (``model_bound``); an optimal answer proves the plan optimal.
        """
        if self.out_of_time():
            return
        everything = Neighbourhood(None, None)
        sub = build_subproblem(self.plan, everything, self.max_shipments, self.deadline)
        if sub is None:
            self.proven_optimal = not self.out_of_time()  # (else: the cap stopped the building)
            return
        seconds = self.deadline - time.monotonic()
        outcome = solve_subproblem(sub, self.seed, dtime, seconds)
        self.models += 1
        if outcome.values is not None:
            self._merge(outcome.values)
        if self.max_shipments is None and outcome.values is not None:
            self.model_bound = max(0, math.ceil(outcome.bound / sub.arc_cost_ceiling - 1e-9))
        self.time_capped |= outcome.timed_out
        self.proven_optimal = outcome.optimal

    def random_schools(self, until: int) -> None:
        """Small instances, after the whole model: CP-SAT on all lines among a random set of
        schools (about half of them), over and over, two models at a time (one on the second
        core), merged in a fixed order. Each model counts its building and its deterministic
        time as work. The set grows while the models are solved to optimality without a gain
        and shrinks when they run out of deterministic time."""
        plan, n = self.plan, self.problem.n
        self._finish_model()
        smallest, largest = max(2, n // 3), max(2, (3 * n) // 5)
        size = max(2, n // 2)
        while plan.arcs and not self.spent(until):
            subs = []
            for _ in range(2 if self._pool is not None else 1):
                chosen = frozenset(self.rng.sample(range(n), min(n, size)))
                hood = Neighbourhood(chosen, None)
                subs.append(build_subproblem(plan, hood, self.max_shipments, self.deadline))
            if self.out_of_time():
                return
            seeds = [self.seed * 7919 + self.models + k for k in range(len(subs))]
            self.models += len(subs)
            self.shuffles += len(subs)
            seconds = self.deadline - time.monotonic()
            # The first model goes to the second core; the others are solved here meanwhile,
            # and only then is the first one waited for. The order of merging stays fixed.
            background = None
            if self._pool is not None and subs[0] is not None:
                background = self._pool.submit(
                    solve_subproblem, subs[0], seeds[0], SHUFFLE_DTIME, seconds
                )
            outcomes = [
                solve_subproblem(sub, seed, SHUFFLE_DTIME, seconds)
                if sub is not None and not (k == 0 and background is not None)
                else None
                for k, (sub, seed) in enumerate(zip(subs, seeds, strict=True))
            ]
            if background is not None:
                outcomes[0] = background.result()
            for outcome in outcomes:
                if outcome is None:
                    continue
                plan.work += SHUFFLE_MODEL_WORK + round(outcome.dtime * DTIME_WORK)
                self.time_capped |= outcome.timed_out
                improved = outcome.values is not None and self._merge(outcome.values)
                if outcome.optimal and not improved:
                    size = min(largest, size + 1)
                elif not outcome.optimal:
                    size = max(smallest, size - 1)
            self.tick()

    def _merge(self, values: dict[tuple[int, int, int], int]) -> bool:
        plan = self.plan
        before = plan.key()
        savepoint = plan.begin()
        for (i, j, t), copies in sorted(values.items()):
            plan.set_line(i, j, t, copies)
        if self._valid(plan.changes(savepoint)) and plan.key() < before:
            plan.commit()
            self.improvements += 1
            self.model_gains += 1
            return True
        plan.rollback(savepoint)
        return False

    def _sync(self) -> None:
        """A fixed point: merge the running model's result, start the next model."""
        self._finish_model()
        self.tick()
        if self._pool is None or self.out_of_time():
            return
        kind = "titles" if self.rng.random() < 0.6 else "schools"
        hood = self.titles_around_arcs() if kind == "titles" else self.schools_around_arc()
        sub = build_subproblem(self.plan, hood, self.max_shipments, self.deadline) if hood else None
        self.out_of_time()  # (a building stopped by the cap says so)
        if sub is None:
            return
        seconds = self.deadline - time.monotonic()
        seed = self.seed * 7919 + self.models
        self._pending = (self._pool.submit(solve_subproblem, sub, seed, MODEL_DTIME, seconds), kind)
        self.models += 1

    def _finish_model(self) -> None:
        if self._pending is None:
            return
        future, kind = self._pending
        self._pending = None
        waited = time.monotonic()
        outcome = future.result()
        self.waited += time.monotonic() - waited
        self.time_capped |= outcome.timed_out  # cut by the cap, not by its deterministic time
        improved = outcome.values is not None and self._merge(outcome.values)
        grow, shrink = outcome.optimal and not improved, not outcome.optimal
        if kind == "titles":
            if grow:
                self.title_size = min(self.title_size + 2, 40)
            elif shrink:
                self.title_size = max(3, self.title_size - 2)
        elif grow:
            self.school_size = min(self.school_size + 1, 16, self.problem.n)
        elif shrink:
            self.school_size = max(4, self.school_size - 1)

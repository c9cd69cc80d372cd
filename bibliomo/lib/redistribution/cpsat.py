"""The CP-SAT models: the exact per-title coverage model (min_batch), the neighbourhood
sub-models of the large-neighbourhood search, and the naive whole-instance model kept as a
reference for benchmarks."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from bibliomo.lib.redistribution.model import Instance, Solution
from bibliomo.lib.redistribution.network import IndexedInstance, Plan

TITLE_DTIME = 0.1  # CP-SAT deterministic time per title model (min_batch coverage)


# --- exact per-title coverage (min_batch) -------------------------------------------------------


def _solver(
    seed: int, dtime: float, seconds: float, workers: int = 1, presolve: bool = True
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.cp_model_presolve = presolve
    if presolve:  # the models here are small: light presolve is quicker overall
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = dtime
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    return solver


def title_model(
    problem: IndexedInstance, t: int, open_arcs: set[tuple[int, int]] | None, hint: dict
) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar], int]:
    """Title t alone under the min_batch rule: most copies first, then as many of them as
    possible on shipments already in ``open_arcs`` (``None``: copies only). Returns (model,
    lines, coverage weight).

    One integer per line with domain {0} ∪ {whole shortage, if below N} ∪ [N, cap]. The
    preference for open shipments is linear (no booleans), which keeps the model as quick to
    solve as the copies-only one; the moves that follow close the shipments it opens.
    """
    sources, sinks = problem.sup[t], problem.dem[t]
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i, spare in sources.items():
        for j, need in sinks.items():
            domain = problem.line_domain(j, t, min(spare, need))
            if len(domain) > 2 or domain[1] > 0:
                x[i, j] = model.new_int_var_from_domain(
                    cp_model.Domain.from_flat_intervals(domain), ""
                )
                model.add_hint(x[i, j], hint.get((i, j), 0))
    for i, spare in sources.items():
        model.add(sum(v for (a, _), v in x.items() if a == i) <= spare)
    for j, need in sinks.items():
        model.add(sum(v for (_, b), v in x.items() if b == j) <= need)
    covered = sum(x.values())
    if open_arcs is None:
        model.maximize(covered)
        return model, x, 1
    weight = problem.upper_cover(t) + 1  # one more copy outweighs any preference
    model.maximize(weight * covered + sum(v for arc, v in x.items() if arc in open_arcs))
    return model, x, weight


def title_plan(
    problem: IndexedInstance,
    t: int,
    open_arcs: set[tuple[int, int]],
    hint: dict[tuple[int, int], int],
    seed: int,
    seconds: float,
) -> tuple[dict[tuple[int, int], int], int, bool, float]:
    """Plan title t alone: (lines by pair, coverage, whether the coverage is proven maximal,
    the deterministic time spent).

    The title_model preferring open shipments first; when its answer does not prove the
    coverage maximal, the copies-only model (easier to prove) settles it.
    """
    model, x, weight = title_model(problem, t, open_arcs, hint)
    lines, covered, exact, spent = _solve_title(model, x, weight, seed, TITLE_DTIME, seconds)
    if exact:
        return lines, covered, exact, spent
    model, x, weight = title_model(problem, t, None, lines)
    more, most, exact, extra = _solve_title(model, x, weight, seed, 4 * TITLE_DTIME, seconds)
    spent += extra
    return (more, most, exact, spent) if most > covered else (lines, covered, exact, spent)


def _solve_title(
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    weight: int,
    seed: int,
    dtime: float,
    seconds: float,
) -> tuple[dict[tuple[int, int], int], int, bool, float]:
    """The coverage is proven when the solver's bound leaves no room for one more copy."""
    solver = _solver(seed, dtime, seconds)
    status = solver.solve(model)
    spent = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, 0, False, spent
    lines = {arc: solver.value(v) for arc, v in x.items()}
    covered = sum(lines.values())
    most = math.floor(solver.best_objective_bound / weight + 1e-9)  # no plan covers more
    exact = status == cp_model.OPTIMAL or covered >= most
    return {arc: c for arc, c in lines.items() if c > 0}, covered, exact, spent


# --- the large-neighbourhood search -------------------------------------------------------------


@dataclass
class Neighbourhood:
    """Which lines a CP-SAT model frees: those between ``schools`` (None: all schools) and of
    ``titles`` (None: all titles). Everything else in the plan stays as it is."""

    schools: frozenset[int] | None
    titles: frozenset[int] | None

    def frees(self, i: int, j: int, t: int) -> bool:
        return (self.schools is None or (i in self.schools and j in self.schools)) and (
            self.titles is None or t in self.titles
        )


@dataclass
class Subproblem:
    model: cp_model.CpModel
    x: dict[tuple[int, int, int], cp_model.IntVar]
    arc_cost_ceiling: int  # the most one shipment adds to the objective


@dataclass
class Outcome:
    values: dict[tuple[int, int, int], int] | None  # the freed lines' new copies
    optimal: bool
    bound: float  # CP-SAT's proven bound on the objective
    timed_out: bool = False  # stopped by the wall clock before its deterministic time
    dtime: float = 0.0  # the deterministic time it spent


def _candidate_titles(problem: IndexedInstance, hood: Neighbourhood) -> list[int]:
    if hood.titles is not None:
        return sorted(hood.titles)
    if hood.schools is None:
        return problem.active_titles
    return sorted({t for i in hood.schools for t in problem.sup_of[i]})


@dataclass
class _Freed:
    """What the neighbourhood frees of the plan: per school and title the copies its lines
    send (`out`) and receive (`into`), per title the copies they carry, the current lines;
    `held` the shipments that keep a fixed line."""

    out: dict[tuple[int, int], int]
    into: dict[tuple[int, int], int]
    carried: dict[int, int]
    held: set[tuple[int, int]]
    current: dict[tuple[int, int, int], int]

    @classmethod
    def of(cls, plan: Plan, hood: Neighbourhood) -> _Freed:
        freed = cls(defaultdict(int), defaultdict(int), defaultdict(int), set(), {})
        plan.work += len(plan.arcs)
        for (i, j), row in plan.arcs.items():
            for t, c in row.items():
                if hood.frees(i, j, t):
                    freed.current[i, j, t] = c
                    freed.out[i, t] += c
                    freed.into[j, t] += c
                    freed.carried[t] += c
                else:
                    freed.held.add((i, j))
        return freed


def _rooms(
    limits: dict[int, int],
    used: dict[tuple[int, int], int],
    freed: dict[tuple[int, int], int],
    t: int,
    members: set[int] | frozenset[int] | None,
) -> dict[int, int]:
    """Per school of the neighbourhood, how many copies of title t its freed lines may move:
    its surplus (or shortage) less what the plan uses, plus what the freed lines used."""
    rooms = {}
    for school, limit in limits.items():
        if members is None or school in members:
            room = limit - used[school, t] + freed[school, t]
            if room > 0:
                rooms[school] = room
    return rooms


def _shipment_vars(
    model: cp_model.CpModel,
    by_arc: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]],
    plan: Plan,
) -> dict[tuple[int, int], cp_model.IntVar]:
    """One boolean per shipment the freed lines may use: a line carries copies only if its
    shipment is used (the current shipments are the hint)."""
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    for arc, lines in sorted(by_arc.items()):
        used = model.new_bool_var("")
        y[arc] = used
        for line, cap in lines:
            model.add(line <= cap * used)
        model.add_hint(used, arc in plan.arcs)
    return y


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def build_subproblem(
    plan: Plan, hood: Neighbourhood, max_shipments: int | None, deadline: float | None = None
) -> Subproblem | None:
    """A CP-SAT model of the lines ``hood`` frees, the rest of the plan fixed.

    Per school and title the freed lines may use what the fixed lines leave of the surplus or
    shortage; per title the freed lines carry at least what they carry now (coverage never
    drops). A shipment that still carries a fixed line costs nothing more; any other costs one
    shipment plus its metres. Without a cap the objective is shipments then metres; with
    ``max_shipments`` the shipments are capped and coverage comes first. The current lines
    are the hint. Past ``deadline`` (``time.monotonic()``) the building stops: None.
    """
    problem = plan.problem
    freed = _Freed.of(plan, hood)
    freed_out, freed_in, carried = freed.out, freed.into, freed.carried
    held, current = freed.held, freed.current
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    by_arc: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    per_title: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    members = hood.schools
    for t in _candidate_titles(problem, hood):
        if _past(deadline):
            return None
        rooms_in = _rooms(problem.dem[t], plan.recv, freed_in, t, members)
        if not rooms_in:
            continue
        in_terms: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        rooms_out = _rooms(problem.sup[t], plan.sent, freed_out, t, members)
        plan.work += len(rooms_out) * len(rooms_in)
        for i, room_out in rooms_out.items():
            spare = problem.sup[t][i]
            out_terms = []
            for j, room in rooms_in.items():
                cap = min(room_out, room)
                domain = problem.line_domain(j, t, cap)
                if len(domain) == 2 and domain[1] == 0:
                    continue
                var = model.new_int_var_from_domain(cp_model.Domain.from_flat_intervals(domain), "")
                x[i, j, t] = var
                out_terms.append(var)
                in_terms[j].append(var)
                per_title[t].append(var)
                model.add_hint(var, current.get((i, j, t), 0))
                if (i, j) not in held:
                    by_arc[i, j].append((var, cap))
            if len(out_terms) > 1 or (out_terms and room_out < spare):
                model.add(sum(out_terms) <= room_out)
        for j, terms in in_terms.items():
            model.add(sum(terms) <= rooms_in[j])
    if not x:
        return None
    y = _shipment_vars(model, by_arc, plan)
    metres = {arc: problem.metres[arc[0]][arc[1]] for arc in y}
    ship_weight = 1 + sum(metres.values())
    ceiling = ship_weight + max(metres.values(), default=0)
    cost = sum((ship_weight + metres[arc]) * var for arc, var in y.items())
    if max_shipments is None:
        for t, terms in per_title.items():
            if carried[t]:
                model.add(sum(terms) >= carried[t])
        model.minimize(cost)
    else:
        fixed = sum(1 for arc in plan.arcs if arc in held or arc not in y)
        model.add(sum(y.values()) <= max(0, max_shipments - fixed))
        covered = sum(x.values())
        model.add(covered >= sum(carried.values()))
        model.minimize(cost - ship_weight * (len(y) + 2) * covered)
    return Subproblem(model, x, ceiling)


def solve_subproblem(sub: Subproblem, seed: int, dtime: float, seconds: float) -> Outcome:
    """Solve with one worker (deterministic within ``dtime``)."""
    solver = _solver(seed, dtime, seconds, presolve=False)
    status = solver.solve(sub.model)
    timed_out = status != cp_model.OPTIMAL and solver.deterministic_time < 0.999 * dtime
    timed_out = timed_out and solver.wall_time >= 0.95 * max(0.01, seconds)
    spent = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(None, False, 0.0, timed_out, spent)
    values = {key: solver.value(var) for key, var in sub.x.items()}
    optimal = status == cp_model.OPTIMAL
    return Outcome(values, optimal, solver.best_objective_bound, timed_out, spent)


# --- a reference for benchmarks: the whole problem as one CP-SAT model ---------------------------


def solve_naive(instance: Instance, time_limit: float = 60.0, workers: int = 2) -> Solution:
    """The straightforward model — every line a variable, every pair a boolean — given to
    CP-SAT whole, with no construction and no decomposition (min_batch 0). For benchmarks:
    it shows why the solver does not work this way.
    """
    started = time.monotonic()
    problem = IndexedInstance(instance)
    coverable = sum(problem.upper_cover(t) for t in problem.active_titles)
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    by_arc: dict[tuple[int, int], list] = defaultdict(list)
    for t in problem.active_titles:
        for i, spare in problem.sup[t].items():
            for j, need in problem.dem[t].items():
                x[i, j, t] = var = model.new_int_var(0, min(spare, need), "")
                by_arc[i, j].append((var, min(spare, need)))
        for i, spare in problem.sup[t].items():
            model.add(sum(x[i, j, t] for j in problem.dem[t]) <= spare)
        for j, need in problem.dem[t].items():
            model.add(sum(x[i, j, t] for i in problem.sup[t]) <= need)
        everything = [x[i, j, t] for i in problem.sup[t] for j in problem.dem[t]]
        model.add(sum(everything) == problem.upper_cover(t))
    y = {}
    for arc, terms in by_arc.items():
        y[arc] = model.new_bool_var("")
        for var, cap in terms:
            model.add(var <= cap * y[arc])
    weight = 1 + sum(problem.metres[i][j] for i, j in y)
    model.minimize(sum((weight + problem.metres[i][j]) * v for (i, j), v in y.items()))
    solver = _solver(0, 1e9, time_limit, workers)
    status = solver.solve(model)
    plan = Plan(problem)
    bound = 0
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (i, j, t), var in x.items():
            plan.add(i, j, t, solver.value(var))
        # objective = shipments × weight + metres, the metres below one weight
        bound = min(plan.shipments, math.floor(solver.best_objective_bound / weight + 1e-9))
    return Solution(
        transfers=problem.transfers(plan.lines()),
        covered=plan.covered,
        coverable=coverable,
        shipments=plan.shipments,
        km=plan.km(),
        lower_bound_shipments=bound,
        stats={
            "status": solver.status_name(status),
            "seconds": round(time.monotonic() - started, 3),
        },
    )

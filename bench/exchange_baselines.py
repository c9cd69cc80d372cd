"""Reference solvers for the exchange bench: the whole problem handed to a general solver.

* ``highs_whole(instance, seconds)`` — the mixed-integer model given to HiGHS (highspy, one
  thread): one integer per line (i, j, t) up to min(surplus, shortage), one boolean per pair of
  schools, line ≤ its capacity × the pair's boolean, every title moved to its coverable maximum
  (min_batch 0); minimise shipments, kilometres as a tie-break (each pair costs
  1 + km / (1 + every pair's km), so the kilometres never outweigh one shipment).
* ``cpsat_whole(instance, seconds)`` — the same model in CP-SAT (``solve_naive``, 2 workers).

Both return a ``Baseline``: shipments and km of the best plan found (None when none was found
in time), the proven lower bound on shipments, the status and the seconds spent.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
import numpy as np

from bibliomo.lib.redistribution import IndexedInstance, Instance, check_solution, solve_naive
from bibliomo.lib.redistribution.network import Plan


@dataclass
class Baseline:
    shipments: int | None
    km: float | None
    bound: int
    status: str
    seconds: float


def highs_whole(instance: Instance, seconds: float = 60.0) -> Baseline:
    started = time.monotonic()
    problem = IndexedInstance(instance)
    lines = [
        (i, j, t, min(spare, need))
        for t in problem.active_titles
        for i, spare in problem.sup[t].items()
        for j, need in problem.dem[t].items()
        if i != j
    ]
    pairs = sorted({(i, j) for i, j, _, _ in lines})
    pair_at = {pair: k for k, pair in enumerate(pairs)}
    n_pairs, n_lines = len(pairs), len(lines)
    total_km = sum(problem.dist[i][j] for i, j in pairs)
    cost = np.zeros(n_pairs + n_lines)
    cost[:n_pairs] = [1 + problem.dist[i][j] / (1 + total_km) for i, j in pairs]
    upper = np.ones(n_pairs + n_lines)
    upper[n_pairs:] = [cap for *_, cap in lines]
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("time_limit", float(seconds))
    highs.addVars(n_pairs + n_lines, np.zeros(n_pairs + n_lines), upper)
    columns = np.arange(n_pairs + n_lines, dtype=np.int32)
    highs.changeColsCost(n_pairs + n_lines, columns, cost)
    integer = np.array([highspy.HighsVarType.kInteger] * (n_pairs + n_lines))
    highs.changeColsIntegrality(n_pairs + n_lines, columns, integer)
    rows: list[tuple[float, float, list[int], list[float]]] = []
    sent: dict[tuple[int, int], list[int]] = {}
    taken: dict[tuple[int, int], list[int]] = {}
    moved: dict[int, list[int]] = {}
    for k, (i, j, t, cap) in enumerate(lines):
        column = n_pairs + k
        rows.append((-highspy.kHighsInf, 0.0, [column, pair_at[i, j]], [1.0, -float(cap)]))
        sent.setdefault((i, t), []).append(column)
        taken.setdefault((j, t), []).append(column)
        moved.setdefault(t, []).append(column)
    for (i, t), cols in sent.items():
        rows.append((-highspy.kHighsInf, problem.sup[t][i], cols, [1.0] * len(cols)))
    for (j, t), cols in taken.items():
        rows.append((-highspy.kHighsInf, problem.dem[t][j], cols, [1.0] * len(cols)))
    for t, cols in moved.items():
        cover = problem.upper_cover(t)
        rows.append((cover, cover, cols, [1.0] * len(cols)))
    starts = np.cumsum([0] + [len(cols) for _, _, cols, _ in rows[:-1]]).astype(np.int32)
    highs.addRows(
        len(rows),
        np.array([low for low, _, _, _ in rows], dtype=float),
        np.array([high for _, high, _, _ in rows], dtype=float),
        sum(len(cols) for _, _, cols, _ in rows),
        starts,
        np.array([c for _, _, cols, _ in rows for c in cols], dtype=np.int32),
        np.array([v for _, _, _, values in rows for v in values], dtype=float),
    )
    highs.run()
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus())
    # objective = shipments + a kilometre share below 1: shipments ≥ ⌊dual bound⌋
    bound = max(0, math.floor(info.mip_dual_bound + 1e-6)) if info.mip_dual_bound > 0 else 0
    shipments = km = None
    if info.primal_solution_status == 2:  # a feasible solution
        values = highs.getSolution().col_value
        plan = Plan(problem)
        for k, (i, j, t, _) in enumerate(lines):
            copies = round(values[n_pairs + k])
            if copies > 0:
                plan.add(i, j, t, copies)
        transfers = problem.transfers(plan.lines())
        assert not check_solution(instance, transfers), "HiGHS plan breaks a constraint"
        shipments, km = plan.shipments, plan.km()
    return Baseline(shipments, km, bound, status, round(time.monotonic() - started, 1))


def cpsat_whole(instance: Instance, seconds: float = 60.0) -> Baseline:
    solution = solve_naive(instance, time_limit=seconds, workers=2)
    found = solution.stats["status"] in ("OPTIMAL", "FEASIBLE")
    return Baseline(
        solution.shipments if found else None,
        solution.km if found else None,
        solution.lower_bound_shipments,
        solution.stats["status"],
        solution.stats["seconds"],
    )

"""Two simple ways to plan a textbook exchange: the baselines the solver is measured against,
and (the pair-first one) its starting point.

* Nearest source — what a person does by hand: take the shortages one by one, largest first,
  and fill each from the nearest schools that still have spare copies of the title.
* Pair first — repeatedly take the pair of schools that can carry the most copies between them
  (over all titles at once) and move everything it can carry; ties go to the shorter distance,
  then to the school ids. Pair capacities are kept up to date incrementally: moving a title only
  changes the capacities of pairs that share the sender or the receiver and that title.

Both move the coverable maximum when there is no minimum batch: they stop only when, for every
title, no school with spare copies is left or no school that needs it is left. With a minimum
batch N the pair-first greedy only makes lines the rule allows (N copies or more, or the
receiver's whole shortage in one line), so it may cover less; the solver repairs that.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from bibliomo.lib.redistribution.model import Instance, Transfer
from bibliomo.lib.redistribution.network import IndexedInstance

Lines = dict[tuple[int, int, int], int]


def nearest_source_lines(problem: IndexedInstance) -> Lines:
    """Each shortage, largest first, filled from the nearest schools with spare copies."""
    spare = {(i, t): c for t in problem.active_titles for i, c in problem.sup[t].items()}
    shortages = sorted(
        ((need, j, t) for t in problem.active_titles for j, need in problem.dem[t].items()),
        key=lambda item: (-item[0], problem.school_ids[item[1]], problem.title_ids[item[2]]),
    )
    lines: Lines = {}
    for need, j, t in shortages:
        donors = sorted(problem.sup[t], key=lambda i: (problem.dist[i][j], problem.school_ids[i]))
        for i in donors:
            if need == 0:
                break
            copies = min(need, spare[i, t])
            if copies:
                lines[i, j, t] = copies
                spare[i, t] -= copies
                need -= copies
    return lines


def _recount(
    problem: IndexedInstance,
    i: int,
    j: int,
    t: int,
    movable: Callable[[int, int, int], int],
    line_cap: dict[tuple[int, int, int], int],
    cap: dict[tuple[int, int], int],
) -> set[tuple[int, int]]:
    """After the line i → j of title t: what the lines sharing its sender or receiver can
    still carry; returns the pairs whose capacity changed."""
    dirty: set[tuple[int, int]] = set()
    touched = [(i, other, t) for other in problem.dem[t]]
    touched += [(other, j, t) for other in problem.sup[t]]
    for key in touched:
        old = line_cap.get(key, 0)
        new = movable(*key)
        if new != old:
            line_cap[key] = new
            cap[key[0], key[1]] += new - old
            dirty.add((key[0], key[1]))
    return dirty


def pair_first_lines(problem: IndexedInstance) -> Lines:
    """The pair-first greedy on an indexed instance (respecting its min_batch rule)."""
    left_out = {(i, t): c for t in problem.active_titles for i, c in problem.sup[t].items()}
    left_in = {(j, t): c for t in problem.active_titles for j, c in problem.dem[t].items()}
    batch = problem.min_batch

    def movable(i: int, j: int, t: int) -> int:
        copies = min(left_out[i, t], left_in[j, t])
        if batch > 1 and copies < batch and copies != problem.dem[t][j]:
            return 0
        return copies

    line_cap: dict[tuple[int, int, int], int] = {}
    cap: dict[tuple[int, int], int] = {}
    for t in problem.active_titles:
        for i in problem.sup[t]:
            for j in problem.dem[t]:
                copies = movable(i, j, t)
                if copies:
                    line_cap[i, j, t] = copies
                    cap[i, j] = cap.get((i, j), 0) + copies

    ids = problem.school_ids

    def entry(i: int, j: int) -> tuple:
        return (-cap[i, j], problem.metres[i][j], ids[i], ids[j], i, j)

    heap = [entry(i, j) for (i, j) in cap]
    heapq.heapify(heap)
    lines: Lines = {}
    while heap:
        minus_cap, _, _, _, i, j = heapq.heappop(heap)
        if cap.get((i, j), 0) != -minus_cap or minus_cap == 0:
            continue  # a stale entry; the current capacity has its own
        dirty: set[tuple[int, int]] = set()
        for t in sorted(problem.sup_of[i]):
            copies = line_cap.get((i, j, t), 0)
            if not copies:
                continue
            lines[i, j, t] = copies
            left_out[i, t] -= copies
            left_in[j, t] -= copies
            dirty |= _recount(problem, i, j, t, movable, line_cap, cap)
        for pair in sorted(dirty):
            if cap[pair] > 0:
                heapq.heappush(heap, entry(*pair))
    return lines


def nearest_source_greedy(instance: Instance) -> list[Transfer]:
    """Baseline: each shortage, largest first, filled from the nearest spare copies."""
    problem = IndexedInstance(instance)
    return problem.transfers(nearest_source_lines(problem))


def pair_first_greedy(instance: Instance, *, min_batch: int = 0) -> list[Transfer]:
    """Baseline: the pair of schools able to carry the most copies first, everything it can."""
    problem = IndexedInstance(instance, min_batch)
    return problem.transfers(pair_first_lines(problem))

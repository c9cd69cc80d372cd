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
import itertools
import time

import numpy as np

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


class _PairCapacities:
    """What every pair of schools could still carry (over all titles at once), as an n × n
    array kept up to date incrementally: moving a line of title t only changes the lines of t
    that share its sender or its receiver, one row and one column of the array."""

    def __init__(self, problem: IndexedInstance):
        self.problem = problem
        n = problem.n
        self.cap = np.zeros((n, n), dtype=np.int64)
        self.senders: dict[int, np.ndarray] = {}  # title → its senders' indices
        self.receivers: dict[int, np.ndarray] = {}
        self.left_out: dict[int, np.ndarray] = {}  # title → copies each sender has left
        self.left_in: dict[int, np.ndarray] = {}
        self.needs: dict[int, np.ndarray] = {}  # title → each receiver's whole shortage
        self.at_out: dict[int, dict[int, int]] = {}  # title → school → its place above
        self.at_in: dict[int, dict[int, int]] = {}
        for t in problem.active_titles:
            sources, sinks = problem.sup[t], problem.dem[t]
            self.senders[t] = np.fromiter(sources, dtype=np.int64, count=len(sources))
            self.receivers[t] = np.fromiter(sinks, dtype=np.int64, count=len(sinks))
            self.left_out[t] = np.fromiter(sources.values(), dtype=np.int64, count=len(sources))
            self.left_in[t] = np.fromiter(sinks.values(), dtype=np.int64, count=len(sinks))
            self.needs[t] = self.left_in[t].copy()
            self.at_out[t] = {i: k for k, i in enumerate(sources)}
            self.at_in[t] = {j: k for k, j in enumerate(sinks)}
            lines = self._movable(self.left_out[t][:, None], self.left_in[t], self.needs[t])
            self.cap[np.ix_(self.senders[t], self.receivers[t])] += lines

    def _movable(self, out: np.ndarray, into: np.ndarray, need: np.ndarray) -> np.ndarray:
        """Copies each line may carry: what both ends have left, under the min_batch rule."""
        copies = np.minimum(out, into)
        batch = self.problem.min_batch
        if batch > 1:
            copies = np.where((copies < batch) & (copies != need), 0, copies)
        return copies

    def line(self, i: int, j: int, t: int) -> int:
        """What the line i → j of title t may carry now (0 if not a line)."""
        a, b = self.at_out[t].get(i), self.at_in[t].get(j)
        if a is None or b is None:
            return 0
        need = self.needs[t][b]
        return int(self._movable(self.left_out[t][a], self.left_in[t][b], need))

    def move(self, i: int, j: int, t: int, copies: int) -> None:
        """Move ``copies`` along i → j: update the row of i and the column of j."""
        a, b = self.at_out[t][i], self.at_in[t][j]
        out, into, needs = self.left_out[t], self.left_in[t], self.needs[t]
        row_before = self._movable(out[a], into, needs)
        column_before = self._movable(out, into[b], needs[b])
        out[a] -= copies
        into[b] -= copies
        row = self._movable(out[a], into, needs) - row_before
        column = self._movable(out, into[b], needs[b]) - column_before
        column[a] = 0  # the line i → j itself is in the row already
        self.cap[i, self.receivers[t]] += row
        self.cap[self.senders[t], j] += column


def pair_first_lines(problem: IndexedInstance) -> Lines:
    """The pair-first greedy on an indexed instance (respecting its min_batch rule)."""
    return pair_first_plan(problem)[0]


def pair_first_plan(
    problem: IndexedInstance, deadline: float | None = None, setup: float = 0.0
) -> tuple[Lines, bool]:
    """The pair-first greedy's lines, and whether ``deadline`` cut it short.

    Past ``deadline`` (time.monotonic()) the pairs left are not ranked any more: each title's
    remaining copies go by ``_sweep`` — a valid plan still comes back, only with more
    shipments. With less than ``setup`` seconds to the deadline no pair is ranked at all.
    """
    lines: Lines = {}
    if not problem.active_titles:
        return lines, False
    if deadline is not None and time.monotonic() + setup > deadline:
        return _sweep(problem, None, lines), True
    pairs = _PairCapacities(problem)
    if deadline is not None and time.monotonic() > deadline:
        return _sweep(problem, pairs, lines), True
    cap = pairs.cap
    n, metres = problem.n, problem.metres
    order = sorted(range(n), key=problem.school_ids.__getitem__)  # ties: the ids' order
    rank = [0] * n
    for place, school in enumerate(order):
        rank[school] = place
    # a pair's place in the heap as one integer: most copies, then fewest metres, then ids
    top = int(cap.max()) + 1
    span = max(max(row) for row in metres) + 1

    def key(i: int, j: int, copies: int) -> int:
        return ((top - copies) * span + metres[i][j]) * n * n + rank[i] * n + rank[j]

    # capacities never grow, so a heap with lazy entries finds the largest: an entry found
    # stale goes back with the pair's current capacity
    senders, receivers = np.nonzero(cap > 0)
    found = zip(senders.tolist(), receivers.tolist(), cap[senders, receivers].tolist(), strict=True)
    heap = [key(i, j, c) for i, j, c in found]
    heapq.heapify(heap)
    for step in itertools.count():
        if deadline is not None and step % 16 == 0 and time.monotonic() > deadline:
            return _sweep(problem, pairs, lines), True
        if not heap:
            return lines, False
        entry = heapq.heappop(heap)
        ranks = entry % (n * n)
        i, j = order[ranks // n], order[ranks % n]
        now = int(cap[i, j])
        if now != top - entry // (n * n) // span:
            if now > 0:
                heapq.heappush(heap, key(i, j, now))
            continue
        for t in sorted(problem.sup_of[i].keys() & problem.dem_of[j].keys()):
            copies = pairs.line(i, j, t)
            if copies:
                lines[i, j, t] = copies
                pairs.move(i, j, t, copies)
    return lines, False  # (never reached: the loop ends when the heap is empty)


def _sweep(problem: IndexedInstance, pairs: _PairCapacities | None, lines: Lines) -> Lines:
    """The cheap end of the greedy, linear per title: senders and receivers taken in order of
    their indices, each line carrying what both ends have left (if the min_batch rule allows
    it; else the smaller end is passed over). Without ``pairs``: the whole plan this way."""
    batch = problem.min_batch
    for t in problem.active_titles:
        if pairs is None:
            senders, out = list(problem.sup[t]), list(problem.sup[t].values())
            receivers, into = list(problem.dem[t]), list(problem.dem[t].values())
            needs = list(into)
        else:
            senders, receivers = pairs.senders[t].tolist(), pairs.receivers[t].tolist()
            out, into = pairs.left_out[t].tolist(), pairs.left_in[t].tolist()
            needs = pairs.needs[t].tolist()
        a = b = 0
        while a < len(senders) and b < len(receivers):
            copies = min(out[a], into[b])
            if copies and (batch <= 1 or copies >= batch or copies == needs[b]):
                key = (senders[a], receivers[b], t)
                lines[key] = lines.get(key, 0) + copies
                out[a] -= copies
                into[b] -= copies
            if out[a] <= into[b]:
                a += 1
            else:
                b += 1
    return lines


def nearest_source_greedy(instance: Instance) -> list[Transfer]:
    """Baseline: each shortage, largest first, filled from the nearest spare copies."""
    problem = IndexedInstance(instance)
    return problem.transfers(nearest_source_lines(problem))


def pair_first_greedy(instance: Instance, *, min_batch: int = 0) -> list[Transfer]:
    """Baseline: the pair of schools able to carry the most copies first, everything it can."""
    problem = IndexedInstance(instance, min_batch)
    return problem.transfers(pair_first_lines(problem))

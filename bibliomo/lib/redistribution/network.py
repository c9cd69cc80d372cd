"""The instance with schools and titles numbered (IndexedInstance) and the mutable plan the
search works on (Plan: lines by shipment and by title, running totals, an undo log)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from bibliomo.lib.redistribution.model import EARTH_RADIUS_KM, Instance, Transfer

METRES = 1000  # kilometres are compared as whole metres inside the solver


def _distances(instance: Instance) -> list[list[float]]:
    """Kilometres between every two schools: the road table where it has the pair (either
    direction), else great-circle (the formula of ``haversine_km``, on whole arrays)."""
    lat = np.radians([school.lat for school in instance.schools])
    lon = np.radians([school.lon for school in instance.schools])
    dphi = lat[None, :] - lat[:, None]
    dlmb = lon[None, :] - lon[:, None]
    cosines = np.cos(lat)
    h = np.sin(dphi / 2) ** 2 + cosines[:, None] * cosines[None, :] * np.sin(dlmb / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    np.fill_diagonal(km, 0.0)
    table = km.tolist()
    if instance.distances:
        at = {school.id: k for k, school in enumerate(instance.schools)}
        for (source, target), road in instance.distances.items():
            a, b = at.get(source), at.get(target)
            if a is None or b is None or a == b:
                continue
            table[a][b] = float(road)
            if (target, source) not in instance.distances:
                table[b][a] = float(road)
    return table


class IndexedInstance:
    """The instance with schools and titles numbered, as the algorithms want it.

    ``sup[t]`` / ``dem[t]``: school → copies offered / asked for title t (titles nobody can
    exchange are left empty); ``sup_of[i]`` / ``dem_of[i]``: title → copies for school i;
    ``dist[i][j]`` kilometres, ``metres[i][j]`` the same as whole metres.
    """

    def __init__(self, instance: Instance, min_batch: int = 0):
        self.instance = instance
        self.min_batch = max(0, int(min_batch))
        self.school_ids = [school.id for school in instance.schools]
        self.title_ids = [title.id for title in instance.titles]
        school_at = {school_id: k for k, school_id in enumerate(self.school_ids)}
        title_at = {title_id: k for k, title_id in enumerate(self.title_ids)}
        self.n, self.m = len(self.school_ids), len(self.title_ids)
        sup: list[dict[int, int]] = [{} for _ in range(self.m)]
        dem: list[dict[int, int]] = [{} for _ in range(self.m)]
        for (school, title), copies in instance.surplus.items():
            if copies > 0:
                sup[title_at[title]][school_at[school]] = copies
        for (school, title), copies in instance.shortage.items():
            if copies > 0:
                dem[title_at[title]][school_at[school]] = copies
        for t in range(self.m):
            if not (sup[t] and dem[t]):
                sup[t], dem[t] = {}, {}
            sup[t] = dict(sorted(sup[t].items()))
            dem[t] = dict(sorted(dem[t].items()))
        self.sup, self.dem = sup, dem
        self.sup_of: list[dict[int, int]] = [{} for _ in range(self.n)]
        self.dem_of: list[dict[int, int]] = [{} for _ in range(self.n)]
        for t in range(self.m):
            for i, copies in sup[t].items():
                self.sup_of[i][t] = copies
            for j, copies in dem[t].items():
                self.dem_of[j][t] = copies
        self.active_titles = [t for t in range(self.m) if sup[t]]
        self.dist = _distances(instance)
        # whole metres, rounded half to even like round()
        self.metres = np.rint(np.asarray(self.dist) * METRES).astype(np.int64).tolist()

    def upper_cover(self, t: int) -> int:
        return min(sum(self.sup[t].values()), sum(self.dem[t].values()))

    def line_allowed(self, j: int, t: int, copies: int) -> bool:
        """The min_batch rule for one line into school j."""
        return copies == 0 or copies >= self.min_batch or copies == self.dem[t][j]

    def line_domain(self, j: int, t: int, cap: int) -> list[int]:
        """Allowed copies of a line into j carrying at most ``cap``: flat interval list."""
        if self.min_batch <= 1:
            return [0, cap]
        values = [0, 0]
        need = self.dem[t][j]
        if need < self.min_batch and need <= cap:
            values += [need, need]
        if cap >= self.min_batch:
            values += [self.min_batch, cap]
        return values

    def pair_capacity(self, i: int, j: int) -> int:
        """Copies school i could hand to school j if nothing else moved."""
        dem_j = self.dem_of[j]
        return sum(min(c, dem_j[t]) for t, c in self.sup_of[i].items() if t in dem_j)

    def pair_capacities(self) -> np.ndarray:
        """``pair_capacity`` of every pair at once: an n × n array (zero on the diagonal)."""
        caps = np.zeros((self.n, self.n), dtype=np.int64)
        for t in self.active_titles:
            senders, receivers = list(self.sup[t]), list(self.dem[t])
            spare = np.fromiter(self.sup[t].values(), dtype=np.int64, count=len(senders))
            need = np.fromiter(self.dem[t].values(), dtype=np.int64, count=len(receivers))
            caps[np.ix_(senders, receivers)] += np.minimum(spare[:, None], need[None, :])
        return caps

    def transfers(self, lines: dict[tuple[int, int, int], int]) -> list[Transfer]:
        return sorted(
            (
                Transfer(self.school_ids[i], self.school_ids[j], self.title_ids[t], c)
                for (i, j, t), c in lines.items()
                if c > 0
            ),
            key=lambda tr: (tr.source, tr.target, tr.title),
        )


class Plan:
    """A mutable plan: lines by shipment and by title, running totals, optional undo log."""

    def __init__(self, problem: IndexedInstance):
        self.problem = problem
        self.arcs: dict[tuple[int, int], dict[int, int]] = {}
        self.by_title: list[dict[tuple[int, int], int]] = [{} for _ in range(problem.m)]
        self.sent: dict[tuple[int, int], int] = defaultdict(int)
        self.recv: dict[tuple[int, int], int] = defaultdict(int)
        self.targets: list[set[int]] = [set() for _ in range(problem.n)]  # open shipments
        self.senders: list[dict[int, set[int]]] = [{} for _ in range(problem.m)]  # t: j -> {i}
        self.covered = 0
        self.metres = 0
        self.log: list[tuple[int, int, int, int]] | None = None
        self.depth = 0
        self.work = 0  # work units spent on this plan by the moves (see budget)

    @classmethod
    def from_lines(cls, problem: IndexedInstance, lines: dict[tuple[int, int, int], int]) -> Plan:
        plan = cls(problem)
        for (i, j, t), copies in sorted(lines.items()):
            if copies:
                plan.add(i, j, t, copies)
        return plan

    def copy(self) -> Plan:
        twin = Plan(self.problem)
        twin.arcs = {arc: dict(lines) for arc, lines in self.arcs.items()}
        twin.by_title = [dict(lines) for lines in self.by_title]
        twin.sent = defaultdict(int, self.sent)
        twin.recv = defaultdict(int, self.recv)
        twin.targets = [set(row) for row in self.targets]
        twin.senders = [{j: set(row) for j, row in by_sink.items()} for by_sink in self.senders]
        twin.covered, twin.metres, twin.work = self.covered, self.metres, self.work
        return twin

    @property
    def shipments(self) -> int:
        return len(self.arcs)

    def key(self) -> tuple[int, int, int]:
        """Smaller is better: more copies, then fewer shipments, then fewer metres."""
        return (-self.covered, len(self.arcs), self.metres)

    def km(self) -> float:
        return sum(self.problem.dist[i][j] for i, j in self.arcs)

    def lines(self) -> dict[tuple[int, int, int], int]:
        return {(i, j, t): c for (i, j), row in self.arcs.items() for t, c in row.items()}

    def add(self, i: int, j: int, t: int, delta: int) -> None:
        if not delta:
            return
        row = self.arcs.get((i, j))
        if row is None:
            row = self.arcs[i, j] = {}
            self.targets[i].add(j)
            self.metres += self.problem.metres[i][j]
        old = row.get(t, 0)
        copies = old + delta
        if copies:
            row[t] = copies
            self.by_title[t][i, j] = copies
            if not old:
                self.senders[t].setdefault(j, set()).add(i)
        else:
            del row[t]
            del self.by_title[t][i, j]
            self.senders[t][j].discard(i)
            if not row:
                del self.arcs[i, j]
                self.targets[i].discard(j)
                self.metres -= self.problem.metres[i][j]
        self.sent[i, t] += delta
        self.recv[j, t] += delta
        self.covered += delta
        if self.log is not None:
            self.log.append((i, j, t, delta))

    def set_line(self, i: int, j: int, t: int, copies: int) -> None:
        self.add(i, j, t, copies - self.by_title[t].get((i, j), 0))

    def begin(self) -> int:
        """Open a (nestable) transaction; returns the savepoint to roll back to."""
        if self.log is None:
            self.log = []
        self.depth += 1
        return len(self.log)

    def commit(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.log = None

    def rollback(self, savepoint: int) -> None:
        log = self.log or []
        undo = log[savepoint:]
        del log[savepoint:]
        saved, self.log = self.log, None
        for i, j, t, delta in reversed(undo):
            self.add(i, j, t, -delta)
        self.log = saved
        self.commit()

    def changes(self, savepoint: int) -> list[tuple[int, int, int, int]]:
        return (self.log or [])[savepoint:]

    def batch_ok(self, changes: Iterable[tuple[int, int, int, int]]) -> bool:
        """Whether every line touched by ``changes`` obeys the min_batch rule."""
        if self.problem.min_batch <= 1:
            return True
        return all(
            self.problem.line_allowed(j, t, self.by_title[t].get((i, j), 0))
            for i, j, t, _ in changes
        )

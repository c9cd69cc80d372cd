"""The cheap moves on a plan, in pure Python: augmenting paths in one title's flow network
(``augment``), closing a shipment (``try_close``, ``close_pass``), moving one elsewhere
(``try_swap``) and cutting the plan down to a number of shipments (``drop_to``)."""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from itertools import pairwise

from bibliomo.lib.redistribution.network import Plan

SWAP_TRIES = 12  # shipments a swap tries to close around the new ones
NEW_STEP = 10**9  # a path step over a closed shipment: costlier than any sum of metres
UNREACHED = 1 << 62


def augment(
    plan: Plan,
    t: int,
    want: int,
    banned: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
    allow_new: bool = False,
    free: set[tuple[int, int]] | None = None,
) -> int:
    """Push up to ``want`` more copies of title t; returns how many were pushed.

    Augmenting paths in the title's network: start at a school with surplus left, go forward
    along a shipment to a school that needs the title, or backward along an existing line (that
    line shrinks and its sender becomes free to send elsewhere), end at a school with shortage
    left. Only open shipments are used unless ``allow_new``; then paths open as few new
    shipments as possible (then the shortest), found by Dijkstra. ``banned`` shipments are
    never used forward; ``free`` shipments cost nothing even when not yet open.

    With a minimum batch the copies go all at once along one path whose every line stays
    allowed (see ``_batch_path``), or not at all.
    """
    if plan.problem.min_batch > 1:
        path = _batch_path(plan, t, want, banned, False, None)
        if path is None and (allow_new or free is not None):
            path = _batch_path(plan, t, want, banned, allow_new, free)
        return 0 if path is None else _push(plan, t, path, want)
    pushed = 0
    while pushed < want:
        path = _cheapest_path(plan, t, banned, False, None)  # free of charge, if any
        if path is None and (allow_new or free is not None):
            path = _cheapest_path(plan, t, banned, allow_new, free)
        if path is None:
            break
        pushed += _push(plan, t, path, want - pushed)
    return pushed


def _open_path(
    plan: Plan, t: int, starts: list[int], barred: dict[int, set[int]], parent: dict[int, int]
) -> list[int] | None:
    """Breadth-first over the open shipments only: every step costs nothing."""
    sinks, senders, targets = plan.problem.dem[t], plan.senders[t], plan.targets
    n, recv = plan.problem.n, plan.recv
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        plan.work += 1
        if node < n:
            skip = barred.get(node, ())
            plan.work += len(targets[node])
            for j in targets[node]:
                if j in sinks and n + j not in parent and j not in skip:
                    parent[n + j] = node
                    if sinks[j] > recv[j, t]:
                        return _trace(parent, n + j)
                    queue.append(n + j)
        else:
            for i in senders.get(node - n, ()):
                if i not in parent:
                    parent[i] = node
                    queue.append(i)
    return None


def _cheapest_path(
    plan: Plan,
    t: int,
    banned: Iterable[tuple[int, int]],
    allow_new: bool,
    free: set[tuple[int, int]] | None = None,
) -> list[int] | None:
    """Nodes of a cheapest augmenting path: senders as i, receivers as n + j.

    Without new shipments every usable step costs nothing: a breadth-first search. Otherwise
    Dijkstra, a step over a closed shipment costing one shipment (``NEW_STEP``) plus its metres.
    """
    problem = plan.problem
    sources, sinks = problem.sup[t], problem.dem[t]
    senders, targets = plan.senders[t], plan.targets
    n, sent, recv = problem.n, plan.sent, plan.recv
    barred: dict[int, set[int]] = defaultdict(set)
    for i, j in banned:
        barred[i].add(j)
    parent: dict[int, int] = {}
    starts = [i for i, spare in sources.items() if spare > sent[i, t]]
    for i in starts:
        parent[i] = -1
    if not allow_new and free is None:
        return _open_path(plan, t, starts, barred, parent)
    metres = problem.metres
    cost = dict.fromkeys(starts, 0)
    heap = [(0, i) for i in starts]
    done: set[int] = set()
    while heap:
        value, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        plan.work += 1
        if node >= n:
            j = node - n
            if sinks[j] > recv[j, t]:
                return _trace(parent, node)
            for i in senders.get(j, ()):
                if i not in done and value < cost.get(i, UNREACHED):
                    cost[i] = value
                    parent[i] = node
                    heapq.heappush(heap, (value, i))
            continue
        skip = barred.get(node, ())
        mine = targets[node]
        plan.work += len(sinks)
        for j in sinks:
            target = n + j
            if target in done or j in skip:
                continue
            if j in mine or (free is not None and (node, j) in free):
                step = value
            elif allow_new:
                step = value + NEW_STEP + metres[node][j]
            else:
                continue
            if step < cost.get(target, UNREACHED):
                cost[target] = step
                parent[target] = node
                heapq.heappush(heap, (step, target))
    return None


def _batch_path(
    plan: Plan,
    t: int,
    amount: int,
    banned: Iterable[tuple[int, int]],
    allow_new: bool,
    free: set[tuple[int, int]] | None,
) -> list[int] | None:
    """A cheapest path able to carry exactly ``amount`` copies under the min_batch rule.

    Every line the path grows must end at N copies or more, or at its receiver's whole
    shortage; every line it shrinks must end at zero or at N or more; the first sender must
    have ``amount`` spare, the last receiver ``amount`` missing. Dijkstra as in
    ``_cheapest_path``.
    """
    problem = plan.problem
    batch = problem.min_batch
    sources, sinks, lines = problem.sup[t], problem.dem[t], plan.by_title[t]
    senders, targets = plan.senders[t], plan.targets
    n, metres = problem.n, problem.metres
    barred = set(banned)
    parent: dict[int, int] = {}
    cost: dict[int, int] = {}
    heap: list[tuple[int, int]] = []
    for i, spare in sources.items():
        if spare - plan.sent[i, t] >= amount:
            parent[i], cost[i] = -1, 0
            heap.append((0, i))
    done: set[int] = set()
    while heap:
        value, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        plan.work += 1
        if node >= n:
            j = node - n
            if sinks[j] - plan.recv[j, t] >= amount:
                return _trace(parent, node)
            for i in senders.get(j, ()):
                left = lines[i, j] - amount
                if i in done or not (left == 0 or left >= batch):
                    continue
                if value < cost.get(i, UNREACHED):
                    cost[i], parent[i] = value, node
                    heapq.heappush(heap, (value, i))
            continue
        plan.work += len(sinks)
        for j, need in sinks.items():
            target = n + j
            if target in done or (node, j) in barred:
                continue
            grown = lines.get((node, j), 0) + amount
            if grown < batch and grown != need:
                continue
            step = _step_cost(value, node, j, targets, free, allow_new, metres)
            if step is not None and step < cost.get(target, UNREACHED):
                cost[target], parent[target] = step, node
                heapq.heappush(heap, (step, target))
    return None


def _step_cost(
    value: int,
    node: int,
    j: int,
    targets: list[set[int]],
    free: set[tuple[int, int]] | None,
    allow_new: bool,
    metres,
) -> int | None:
    """The cost of reaching receiver j from sender `node`: nothing over an open (or free)
    shipment, one shipment plus its metres over a new one if allowed, else no step (None)."""
    if j in targets[node] or (free is not None and (node, j) in free):
        return value
    if allow_new:
        return value + NEW_STEP + metres[node][j]
    return None


def _trace(parent: dict[int, int], node: int) -> list[int]:
    path = [node]
    while parent[node] != -1:
        node = parent[node]
        path.append(node)
    return path[::-1]


def _push(plan: Plan, t: int, path: list[int], limit: int) -> int:
    """Push as much as the path allows (at most ``limit``) along it."""
    problem = plan.problem
    n = problem.n
    first, last = path[0], path[-1] - n
    amount = min(
        limit,
        problem.sup[t][first] - plan.sent[first, t],
        problem.dem[t][last] - plan.recv[last, t],
    )
    steps = []
    for a, b in pairwise(path):
        if a < n:  # sender a forward to receiver b
            steps.append((a, b - n, 1))
        else:  # receiver a backward to sender b: the line b -> a shrinks
            steps.append((b, a - n, -1))
            amount = min(amount, plan.by_title[t][b, a - n])
    for i, j, sign in steps:
        plan.add(i, j, t, sign * amount)
    return amount


def _remove_arc(plan: Plan, arc: tuple[int, int]) -> dict[int, int]:
    row = dict(plan.arcs.get(arc, {}))
    for t, copies in sorted(row.items()):
        plan.add(arc[0], arc[1], t, -copies)
    return row


def try_close(plan: Plan, arc: tuple[int, int]) -> bool:
    """Close one shipment by rerouting all its titles through shipments already open."""
    if arc not in plan.arcs:
        return True
    savepoint = plan.begin()
    banned = {arc}
    removed = _remove_arc(plan, arc)
    for t in sorted(removed, key=lambda t: (-removed[t], t)):  # the hardest title first
        copies = removed[t]
        if augment(plan, t, copies, banned) < copies:
            plan.rollback(savepoint)
            return False
    if not plan.batch_ok(plan.changes(savepoint)):
        plan.rollback(savepoint)
        return False
    plan.commit()
    return True


def _by_load(plan: Plan, arcs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lightest first, then longest (a long light shipment is the best one to lose)."""
    metres = plan.problem.metres
    ranked = sorted(arcs, key=lambda a: (sum(plan.arcs[a].values()), -metres[a[0]][a[1]], a))
    plan.work += len(ranked)
    return ranked


def close_pass(plan: Plan, should_stop: Callable[[], bool] | None = None) -> int:
    """Try to close every shipment once, lightest first; returns how many closed."""
    closed = 0
    if should_stop is not None and should_stop():
        return closed
    for arc in _by_load(plan, plan.arcs):
        if should_stop is not None and should_stop():
            break
        if arc in plan.arcs and try_close(plan, arc):
            closed += 1
    return closed


def try_swap(plan: Plan, arc: tuple[int, int], tries: int = SWAP_TRIES) -> bool:
    """Move a shipment's load, opening new shipments where needed, then close others.

    The shipment's titles are rerouted by the cheapest augmenting paths (fewest new shipments,
    then shortest); the new shipments give their two schools new partners, so the lightest
    shipments around those schools are tried for closing. Kept only if the plan got better
    (fewer shipments, or as many and fewer kilometres).
    """
    if arc not in plan.arcs:
        return False
    before = plan.key()
    savepoint = plan.begin()
    banned = {arc}
    old = set(plan.arcs)
    for t, copies in sorted(_remove_arc(plan, arc).items()):
        if augment(plan, t, copies, banned, allow_new=True) < copies:
            plan.rollback(savepoint)
            return False
    if not plan.batch_ok(plan.changes(savepoint)):
        plan.rollback(savepoint)
        return False
    new = set(plan.arcs) - old
    if new:
        ends = {school for a in new for school in a}
        around = {a for a in plan.arcs if a not in new and (a[0] in ends or a[1] in ends)}
        plan.work += len(plan.arcs)
        for other in _by_load(plan, around)[:tries]:
            if other in plan.arcs:
                try_close(plan, other)
    if plan.key() < before:
        plan.commit()
        return True
    plan.rollback(savepoint)
    return False


def drop_to(plan: Plan, limit: int, should_stop: Callable[[], bool] | None = None) -> None:
    """Drop the lightest shipments until at most ``limit`` remain, rerouting what can be.

    Each dropped shipment's copies are pushed through the remaining shipments where possible
    (with min_batch, only when every line so touched still obeys the rule) — until
    ``should_stop()`` says time is up: the shipments left to drop then go without rerouting
    (the plan keeps the cap, it just moves fewer copies).
    """
    stopped = False
    metres = plan.problem.metres

    def rank(a: tuple[int, int]) -> tuple[int, int, tuple[int, int]]:
        return (sum(plan.arcs[a].values()), -metres[a[0]][a[1]], a)

    heap = [rank(a) for a in plan.arcs]  # lightest first, as _by_load; stale entries re-ranked
    heapq.heapify(heap)
    plan.work += len(heap)
    while len(plan.arcs) > limit and heap:
        entry = heapq.heappop(heap)
        arc = entry[2]
        plan.work += 1
        if arc not in plan.arcs:
            continue
        if rank(arc) != entry:
            heapq.heappush(heap, rank(arc))
            continue
        row = _remove_arc(plan, arc)
        stopped = stopped or (should_stop is not None and should_stop())
        for t, copies in sorted(row.items()) if not stopped else ():
            savepoint = plan.begin()
            augment(plan, t, copies, {arc})
            if plan.batch_ok(plan.changes(savepoint)):
                plan.commit()
            else:
                plan.rollback(savepoint)

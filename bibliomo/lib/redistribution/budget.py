"""What one solve may spend (Budget): deterministic work for the search, and the time limit
as a wall-clock safety cap shared out between the phases.

The work is counted in *work units* (``Plan.work``): one unit is one step of an
augmenting-path search (a school taken from its queue or heap, or a shipment or receiver it
looks along), or one shipment looked at when the moves sort or scan the plan, or one line a
CP-SAT neighbourhood model is built with. The search stops when its units are spent, so the
same instance, options, seed and work give the same plan on any machine and under any load.
``work`` defaults to ``WORK_PER_SECOND × time_limit``: on the development machine (2 cores)
idle, the search spends about a third of its window at that rate on municipal instances
(realistic-1, time_limit=10: 3.0 s of search, 3.6 s in all); the rest is the margin for a
slower or busier machine (about 2.5× before the cap cuts in).

The wall clock only caps. Each phase ends by its share of the limit, counted from the call
(``Budget.until``): the greedy ranks pairs until ``GREEDY_SHARE`` (less ``linear``, the time the
linear steps of this instance take), the starting plan is ready by ``CONSTRUCTION_SHARE``, the
search by ``SEARCH_SHARE``; the lower bound takes at most ``BOUND_TIME`` of the limit, ending
by ``BOUND_SHARE`` less ``linear`` for writing the transfers. So when the work is done early,
solve() returns early. A phase cut by its cap still leaves a valid plan and sets
``capped`` (``stats["time_capped"]``) — then, and only then, the plan may depend on the
machine's speed.
"""

from __future__ import annotations

import time

WORK_PER_SECOND = 60_000  # work units per second of time_limit (measured, see the docstring)
GREEDY_SHARE = 0.4  # the pair-first greedy ranks pairs until this share of the limit…
CONSTRUCTION_SHARE = 0.6  # …and the starting plan is ready by this one
SEARCH_SHARE = 0.85  # the search (and the K-cap phase) ends by this share…
BOUND_SHARE = 0.98  # …and the lower bound by this one (its last CP-SAT models overrun a little)
BOUND_TIME = 0.25  # the lower bound takes at most this share of the limit
SECONDS_PER_ENTRY = 8e-6  # the linear steps (indexing the plan, writing the transfers), per
# surplus or shortage entry: the greedy and the bound stop this much earlier (``linear``)
TITLE_DTIME_PER_SECOND = 1.0  # CP-SAT deterministic time for the min_batch title models


class Budget:
    """The work and the wall-clock caps of one solve (``tradeoff`` makes one too)."""

    def __init__(self, time_limit: float, work: int | None = None, started: float | None = None):
        self.time_limit = max(0.1, float(time_limit))
        self.work = round(WORK_PER_SECOND * time_limit) if work is None else max(0, int(work))
        self.started = time.monotonic() if started is None else started
        self.deadline = self.started + self.time_limit
        self.capped = False
        self.linear = 0.0  # seconds the linear steps of this instance take (set by the solver)

    def size(self, entries: int) -> None:
        """Reserve time for the linear steps of an instance of ``entries`` surplus and
        shortage entries (at most a fifth of the limit)."""
        self.linear = min(0.2 * self.time_limit, SECONDS_PER_ENTRY * entries)

    def until(self, share: float) -> float:
        """The wall-clock moment (``time.monotonic()``) a phase given ``share`` of the limit,
        counted from the start, must end by."""
        return self.started + share * self.time_limit

    def left(self, share: float = 1.0) -> float:
        """Seconds left until ``until(share)`` (never below zero)."""
        return max(0.0, self.until(share) - time.monotonic())

    def over(self, share: float = 1.0) -> bool:
        """Whether the phase ending at ``share`` is past its cap (then ``capped`` says so)."""
        past = time.monotonic() >= self.until(share)
        self.capped |= past
        return past

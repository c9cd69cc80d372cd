"""The public entry points: the starting plan, the improvement schedule (``improve``),
``solve`` and ``tradeoff``."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from bibliomo.lib.redistribution.bounds import lower_bound
from bibliomo.lib.redistribution.budget import (
    BOUND_SHARE,
    BOUND_TIME,
    CONSTRUCTION_SHARE,
    GREEDY_SHARE,
    SEARCH_SHARE,
    TITLE_DTIME_PER_SECOND,
    WORK_PER_SECOND,
    Budget,
)
from bibliomo.lib.redistribution.cpsat import title_plan
from bibliomo.lib.redistribution.model import Instance, Solution, Transfer, validate_instance
from bibliomo.lib.redistribution.moves import close_pass, drop_to
from bibliomo.lib.redistribution.network import IndexedInstance, Plan
from bibliomo.lib.redistribution.search import Search
from bibliomo.lib.ru import plural

Progress = Callable[[float, str], None]


def _construct(
    problem: IndexedInstance, seed: int, budget: Budget
) -> tuple[Plan, dict[int, int], bool]:
    """The starting plan, the coverage per title, and whether those coverages are exact.

    The pair-first greedy; with min_batch, every title it covers below min(surplus, shortage)
    is re-planned by the exact per-title model (which prefers pairs already open). Both end by
    ``CONSTRUCTION_SHARE`` of the limit: the greedy then finishes with its linear sweep, the
    titles not yet modelled keep the greedy's lines (coverages no longer exact). The models
    share ``TITLE_DTIME_PER_SECOND × time_limit`` of deterministic time: the titles modelled
    are the first ones in order whose models fit in it, whatever the machine.
    """
    from bibliomo.lib.redistribution.greedy import pair_first_plan  # it imports this package

    # the greedy stops early enough to leave its linear end and the plan's indexing time
    greedy_cap = budget.until(GREEDY_SHARE) - budget.linear
    # with less than twice the linear steps' time left, ranking pairs would only be cut short
    lines, cut = pair_first_plan(problem, greedy_cap, 2 * budget.linear)
    budget.capped |= cut
    plan = Plan.from_lines(problem, lines)
    cover = {t: sum(plan.by_title[t].values()) for t in problem.active_titles}
    if problem.min_batch <= 1:
        return plan, cover, True
    short = [t for t in problem.active_titles if cover[t] < problem.upper_cover(t)]
    allowed = TITLE_DTIME_PER_SECOND * budget.work / WORK_PER_SECOND  # deterministic time
    spent, exact = 0.0, True
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs: deque[tuple[int, Future]] = deque()
        waiting = iter(short)
        while True:
            while len(jobs) < 2 and (t := next(waiting, None)) is not None:
                others = {arc for arc, row in plan.arcs.items() if set(row) != {t}}
                hint, seconds = dict(plan.by_title[t]), budget.left(CONSTRUCTION_SHARE)
                jobs.append((t, pool.submit(title_plan, problem, t, others, hint, seed, seconds)))
            if not jobs:
                break
            t, job = jobs.popleft()
            lines, best, proven, used = job.result()
            spent += used
            exact &= proven
            if best >= cover[t]:
                for (i, j), c in list(plan.by_title[t].items()):
                    plan.add(i, j, t, -c)
                for (i, j), c in sorted(lines.items()):
                    plan.add(i, j, t, c)
                cover[t] = best
            if spent >= allowed:  # the titles after this one keep the greedy's lines
                exact = exact and not jobs and next(waiting, None) is None
                break
    budget.over(CONSTRUCTION_SHARE)  # a model cut short says so (and proves nothing)
    return plan, cover, exact


class _Reporter:
    """Calls the progress callback with a fraction that never goes back."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        self.last = min(1.0, max(self.last, fraction))
        if self.progress is not None:
            self.progress(self.last, message)


WHOLE_MODEL_LINES = 1500  # up to this many possible lines the whole instance is one model
WHOLE_MODEL_DTIME = 0.05  # …given this deterministic time per second's worth of work (≥ 0.1)
# the search's schedule, as shares of its work: close (or add-drop) first, then swaps, then
# four rounds of kicks (each followed by add-drop when capped)
CLOSE_SHARE, SWAP_SHARE, ADD_DROP_SHARE = 0.15, 0.5, 0.1
# a small instance not proven optimal by the whole model: close and swap passes, then the
# random-schools models, then the usual schedule over the work left
SMALL_CLOSE_SHARE, SMALL_SWAP_SHARE, SHUFFLE_SHARE = 0.05, 0.15, 0.6
SMALL_MOVES_SHARE = SMALL_CLOSE_SHARE + SMALL_SWAP_SHARE


def _shipments(count: int) -> str:
    return plural(count, "перевозка", "перевозки", "перевозок")


def _improving(plan: Plan) -> str:
    return f"Улучшаю план: {_shipments(plan.shipments)}"


def _line_count(problem: IndexedInstance) -> int:
    return sum(len(problem.sup[t]) * len(problem.dem[t]) for t in problem.active_titles)


def improve(
    plan: Plan,
    *,
    seed: int,
    work: int,
    deadline: float,
    report: _Reporter,
    cover: dict[int, int],
    max_shipments: int | None = None,
    progress: tuple[float, float] = (0.1, 0.95),
    pool: ThreadPoolExecutor | None = None,
) -> Search:
    """The improvement phase on ``plan`` (in place); returns the search for its figures.

    ``work``: the work units it may spend (deterministic); ``deadline``: the wall-clock cap.
    A small instance is first given whole to CP-SAT (done if it proves the plan optimal),
    then, after a short close and swap, to the random-schools models (``SHUFFLE_SHARE``).
    Then the close pass, swap passes until they stop paying, then kicks — with CP-SAT
    neighbourhood models solved alongside. Each step ends at its share of ``work``.
    With ``max_shipments`` the plan is first cut to the cap and refilled, and add-drop moves
    raise coverage between the passes.
    """
    start, end = progress
    base = plan.work
    moves_from, moves_work = base, work  # the moves' schedule: where it starts, what it spans

    def at(share: float) -> int:
        return moves_from + round(share * moves_work)

    with Search(plan, seed, deadline, max_shipments, cover, pool) as search:

        def tick() -> None:
            report(
                start + min(1.0, (plan.work - base) / max(1, work)) * (end - start),
                _improving(plan),
            )

        search.tick = tick
        if max_shipments is not None:
            drop_to(plan, max_shipments, search.out_of_time)
            search.fill()
        if _line_count(plan.problem) <= WHOLE_MODEL_LINES:
            search.whole(max(0.1, WHOLE_MODEL_DTIME * work / WORK_PER_SECOND))
            if search.proven_optimal:
                return search
            # the moves first (cheap), then the random-schools models, then the moves again
            if max_shipments is None:
                close_pass(plan, lambda: search.spent(at(SMALL_CLOSE_SHARE)))
            search.descend(at(SMALL_CLOSE_SHARE + SMALL_SWAP_SHARE))
            search.random_schools(at(SMALL_MOVES_SHARE + SHUFFLE_SHARE))
            moves_from = at(SMALL_MOVES_SHARE + SHUFFLE_SHARE)
            moves_work = work - (moves_from - base)
        if max_shipments is None:
            close_pass(plan, lambda: search.spent(at(CLOSE_SHARE)))
        else:
            search.add_drop(at(CLOSE_SHARE))
        tick()
        search.descend(at(CLOSE_SHARE + SWAP_SHARE))
        kicks_from = CLOSE_SHARE + SWAP_SHARE
        for round_ in range(4):
            share = kicks_from + (1 - kicks_from) * (round_ + 1) / 4
            search.add_drop(at(share - ADD_DROP_SHARE / 4))
            search.iterate(at(share))
            tick()
        search.add_drop(at(1.0))
    return search


def solve(
    instance: Instance,
    *,
    time_limit: float = 10.0,
    min_batch: int = 0,
    max_shipments: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    work: int | None = None,
) -> Solution:
    """The best plan found: most copies, then fewest shipments, then fewest kilometres.

    ``work`` (work units, see ``budget``) is what the search may do; by default it follows
    from ``time_limit`` at ``WORK_PER_SECOND``. The result is the same for the same instance,
    options, seed and work on any machine and under any load — unless ``time_limit`` (seconds,
    a wall-clock safety cap every phase keeps) cut a phase short: ``stats["time_capped"]``.
    ``progress(fraction, message)`` is called now and then with a Russian message.
    """
    budget = Budget(time_limit, work)  # the clock starts before anything else
    validate_instance(instance)
    if max_shipments is not None and max_shipments < 0:
        raise ValueError("max_shipments не может быть отрицательным")
    report = _Reporter(progress)
    report(0.0, "Готовлю данные")
    problem = IndexedInstance(instance, min_batch)
    budget.size(sum(len(problem.sup[t]) + len(problem.dem[t]) for t in problem.active_titles))
    report(0.02, "Строю начальный план: сначала пары школ, которые могут перевезти больше")
    plan, cover, cover_exact = _construct(problem, seed, budget)
    coverable = sum(cover.values())
    greedy_shipments = plan.shipments
    report(0.08, f"Начальный план: {_shipments(plan.shipments)}; улучшаю")
    capped = max_shipments is not None
    search_cap = budget.until(SEARCH_SHARE)
    searching = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as background:
        first = search = improve(
            plan,
            seed=seed,
            work=round(budget.work * (0.6 if capped else 1.0)),
            deadline=budget.until(0.6 * SEARCH_SHARE) if capped else search_cap,
            report=report,
            cover=cover,
            progress=(0.1, 0.5 if capped else 0.9),
            pool=background,
        )
        if max_shipments is not None and plan.shipments > max_shipments:
            report(0.5, f"Оставляю не больше {_shipments(max_shipments)}")
            search = improve(
                plan,
                seed=seed + 1,
                work=round(budget.work * 0.4),
                deadline=search_cap,
                report=report,
                cover=cover,
                max_shipments=max_shipments,
                progress=(0.5, 0.9),
                pool=background,
            )
    bounding = time.monotonic()
    report(0.9, "Оцениваю, сколько перевозок нужно хотя бы")
    # the lower bound: the time left up to the limit (it never changes the plan)
    known = cover if cover_exact and plan.covered == coverable else None
    # at most BOUND_TIME of the limit, and done in time for the transfers to be written (the
    # bound's last models overrun their caps a little: it ends by BOUND_SHARE)
    bound_cap = min(budget.until(BOUND_SHARE) - budget.linear, bounding + BOUND_TIME * time_limit)
    lb, lb_parts, bound_capped = lower_bound(problem, known, plan.covered, seed, bound_cap)
    if first.model_bound > lb and plan.covered == coverable:
        lb = lb_parts["whole_model"] = first.model_bound
    lb = min(lb, plan.shipments)  # never above a plan in hand (a bound is a bound)
    report(
        1.0,
        f"Готово: {plural(plan.covered, 'экземпляр', 'экземпляра', 'экземпляров')}, "
        f"{_shipments(plan.shipments)}",
    )
    transfers = problem.transfers(plan.lines())
    stats = {
        "seed": seed,
        "work": budget.work,
        "work_done": plan.work,
        "greedy_shipments": greedy_shipments,
        "swap_attempts": first.moves + (search.moves if search is not first else 0),
        "kicks": first.kicks + (search.kicks if search is not first else 0),
        "models": search.models,
        "model_gains": search.model_gains,
        "shuffle_models": first.shuffles + (search.shuffles if search is not first else 0),
        "model_wait_seconds": round(search.waited, 2),
        "improvements": search.improvements,
        "proven_optimal": search.proven_optimal
        or (plan.covered == coverable and plan.shipments == lb),
        "coverable_exact": cover_exact,
        "lower_bound_parts": lb_parts,
        "time_capped": budget.capped or first.time_capped or search.time_capped,
        # the clock cut the bound's models short: the plan is the same, the bound may be weaker
        "bound_time_capped": bound_capped,
        "seconds": round(time.monotonic() - budget.started, 3),
        "phase_seconds": {  # wall-clock, for tuning: start, search, bound
            "start": round(searching - budget.started, 3),
            "search": round(bounding - searching, 3),
            "bound": round(time.monotonic() - bounding, 3),
        },
    }
    return Solution(
        transfers=transfers,
        covered=plan.covered,
        coverable=coverable,
        shipments=plan.shipments,
        km=plan.km(),
        lower_bound_shipments=lb,
        stats=stats,
    )


def _plan_of(problem: IndexedInstance, transfers: Iterable[Transfer]) -> Plan:
    school_at = {school_id: k for k, school_id in enumerate(problem.school_ids)}
    title_at = {title_id: k for k, title_id in enumerate(problem.title_ids)}
    return Plan.from_lines(
        problem,
        {
            (school_at[tr.source], school_at[tr.target], title_at[tr.title]): tr.copies
            for tr in transfers
        },
    )


def tradeoff(
    instance: Instance,
    budgets: list[int],
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    min_batch: int = 0,
    start: Solution | None = None,
) -> list[tuple[int, int]]:
    """(K, copies moved with at most K shipments) for each budget K, in the order given.

    A feasible estimate, not a proven optimum (exact only where K is at least the shipments
    of the full solution: then it is the coverable maximum). The full solution is ``start``
    when given (a solve() result for the same instance and min_batch, without a cap — pass
    it so the table agrees with the plan shown), else half the time goes to computing one.
    Then, from the largest budget down, the lightest shipments are dropped one by one with
    their copies rerouted through the remaining ones, and a short capped search (as in
    solve() with ``max_shipments``) improves each budget's plan. Every figure is moved by a
    valid plan with at most K shipments, and the figures never decrease as K grows (a plan for
    a smaller K also serves a larger one).
    """
    validate_instance(instance)
    started = time.monotonic()
    full = start
    if full is None or full.covered < full.coverable:
        full = solve(instance, time_limit=time_limit * 0.5, min_batch=min_batch, seed=seed)
    problem = IndexedInstance(instance, min_batch)
    plan = _plan_of(problem, full.transfers)
    cover = {t: sum(plan.by_title[t].values()) for t in problem.active_titles}
    wanted = sorted({k for k in budgets if 0 <= k < full.shipments}, reverse=True)
    figures: dict[int, int] = {}
    budget = Budget(time_limit, started=started)
    share = 0.5 * budget.work / max(1, len(wanted))  # the work each budget gets
    for k in wanted:
        drop_to(plan, k, lambda: budget.over())
        trial = plan.copy()
        improve(
            trial,
            seed=seed,
            work=round(share),
            deadline=budget.deadline,
            report=_Reporter(None),
            cover=cover,
            max_shipments=k,
        )
        figures[k] = max(trial.covered, plan.covered)
    result = []
    for k in budgets:
        if k >= full.shipments:
            value = full.covered
        else:
            value = max((v for budget, v in figures.items() if budget <= k), default=0)
        result.append((k, value))
    return result

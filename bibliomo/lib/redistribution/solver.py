"""The public entry points: the starting plan, the improvement schedule (``improve``),
``solve`` and ``tradeoff``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from bibliomo.lib.redistribution.bounds import LowerBound, lower_bound
from bibliomo.lib.redistribution.cpsat import title_plan
from bibliomo.lib.redistribution.model import Instance, Solution, Transfer, validate_instance
from bibliomo.lib.redistribution.moves import close_pass, drop_to
from bibliomo.lib.redistribution.network import IndexedInstance, Plan
from bibliomo.lib.redistribution.search import Search
from bibliomo.lib.ru import plural

Progress = Callable[[float, str], None]


def _construct(
    problem: IndexedInstance, seed: int, deadline: float
) -> tuple[Plan, dict[int, int], bool]:
    """The starting plan, the coverage per title, and whether those coverages are exact.

    The pair-first greedy; with min_batch, every title it covers below min(surplus, shortage)
    is re-planned by the exact per-title model (which prefers pairs already open).
    """
    from bibliomo.lib.redistribution.greedy import pair_first_lines  # it imports this package

    plan = Plan.from_lines(problem, pair_first_lines(problem))
    cover = {t: sum(plan.by_title[t].values()) for t in problem.active_titles}
    exact = True
    if problem.min_batch > 1:
        short = [t for t in problem.active_titles if cover[t] < problem.upper_cover(t)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = []
            for t in short:
                others = {arc for arc, row in plan.arcs.items() if set(row) != {t}}
                hint = dict(plan.by_title[t])
                seconds = max(0.05, deadline - time.monotonic())
                jobs.append((t, pool.submit(title_plan, problem, t, others, hint, seed, seconds)))
            for t, job in jobs:
                lines, best, proven = job.result()
                exact &= proven
                if best >= cover[t]:
                    for (i, j), c in list(plan.by_title[t].items()):
                        plan.add(i, j, t, -c)
                    for (i, j), c in sorted(lines.items()):
                        plan.add(i, j, t, c)
                    cover[t] = best
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
WHOLE_MODEL_SHARE = 0.1  # …given this share of time_limit as deterministic time
SWAPS_PER_SECOND = 300  # swap attempts allowed per second of time_limit (work, not time)
KICKS_PER_SECOND = 8  # kick steps per second of time_limit


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
    deadline: float,
    time_limit: float,
    report: _Reporter,
    cover: dict[int, int],
    max_shipments: int | None = None,
    progress: tuple[float, float] = (0.1, 0.95),
    pool: ThreadPoolExecutor | None = None,
    bound: LowerBound | None = None,
) -> Search:
    """The improvement phase on ``plan`` (in place); returns the search for its figures.

    A small instance is first given whole to CP-SAT (done if it proves the plan optimal).
    Then the close pass, swap passes until they stop paying, then kicks — with CP-SAT
    neighbourhood models solved alongside.
    With ``max_shipments`` the plan is first cut to the cap and refilled, and add-drop moves
    raise coverage between the passes.
    """
    start, end = progress
    swaps = int(SWAPS_PER_SECOND * time_limit)
    kicks = int(KICKS_PER_SECOND * time_limit)
    with Search(plan, seed, deadline, max_shipments, cover, pool, bound) as search:

        def tick() -> None:  # swaps fill 10–50% of the span, kicks 50–90%
            swapped = 1.0 if search.kicks else min(1.0, search.moves / max(1, swaps))
            done = 0.1 + 0.4 * swapped + 0.4 * min(1.0, search.kicks / max(1, kicks))
            report(start + done * (end - start), _improving(plan))

        search.tick = tick
        if max_shipments is not None:
            drop_to(plan, max_shipments)
            search.fill()
        if _line_count(plan.problem) <= WHOLE_MODEL_LINES:
            search.whole(max(0.5, time_limit * WHOLE_MODEL_SHARE))
            if search.proven_optimal:
                return search
        if max_shipments is None:
            close_pass(plan, search.out_of_time)
        else:
            search.add_drop(int(time_limit * 4))
        tick()
        search.descend(swaps)
        search.add_drop(int(time_limit * 4))
        tick()
        for _ in range(4):
            search.iterate(kicks // 4)
            search.add_drop(int(time_limit))
            tick()
    return search


def solve(
    instance: Instance,
    *,
    time_limit: float = 10.0,
    min_batch: int = 0,
    max_shipments: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> Solution:
    """The best plan found: most copies, then fewest shipments, then fewest kilometres.

    ``time_limit`` (seconds) sets the work budget and is also the wall-clock safety cap: the
    result is the same for the same instance, options, seed and time_limit unless the cap cuts
    the search short (``stats["time_capped"]``). ``progress(fraction, message)`` is called now
    and then with a Russian message.
    """
    validate_instance(instance)
    if max_shipments is not None and max_shipments < 0:
        raise ValueError("max_shipments не может быть отрицательным")
    started = time.monotonic()
    deadline = started + max(0.1, time_limit)
    report = _Reporter(progress)
    report(0.0, "Готовлю данные")
    problem = IndexedInstance(instance, min_batch)
    report(0.02, "Строю начальный план: сначала пары школ, которые могут перевезти больше")
    plan, cover, cover_exact = _construct(problem, seed, deadline)
    coverable = sum(cover.values())
    greedy_shipments = plan.shipments
    report(0.08, f"Начальный план: {_shipments(plan.shipments)}; улучшаю")
    with ThreadPoolExecutor(max_workers=1) as background:
        known = cover if cover_exact else None
        bound = LowerBound(problem, known, coverable, seed, deadline, background)
        capped = max_shipments is not None
        first = search = improve(
            plan,
            seed=seed,
            deadline=started + 0.6 * time_limit if capped else deadline,
            time_limit=time_limit * 0.6 if capped else time_limit,
            report=report,
            cover=cover,
            progress=(0.1, 0.6 if capped else 0.98),
            pool=background,
            bound=bound,
        )
        if max_shipments is not None and plan.shipments > max_shipments:
            report(0.6, f"Оставляю не больше {_shipments(max_shipments)}")
            search = improve(
                plan,
                seed=seed + 1,
                deadline=deadline,
                time_limit=time_limit * 0.4,
                report=report,
                cover=cover,
                max_shipments=max_shipments,
                progress=(0.6, 0.98),
                pool=background,
            )
        lb, lb_parts = bound.value(), bound.parts
    if plan.covered < coverable:  # capped below the maximum: a bound for these copies
        lb, lb_parts = lower_bound(problem, None, plan.covered, seed, deadline)
    elif first.model_bound > lb:
        lb = lb_parts["whole_model"] = first.model_bound
    lb = min(lb, plan.shipments)  # never above a plan in hand (a bound is a bound)
    report(
        1.0,
        f"Готово: {plural(plan.covered, 'экземпляр', 'экземпляра', 'экземпляров')}, "
        f"{_shipments(plan.shipments)}",
    )
    stats = {
        "seed": seed,
        "greedy_shipments": greedy_shipments,
        "swap_attempts": search.moves,
        "kicks": search.kicks,
        "models": search.models,
        "model_gains": search.model_gains,
        "model_wait_seconds": round(search.waited, 2),
        "improvements": search.improvements,
        "proven_optimal": search.proven_optimal
        or (plan.covered == coverable and plan.shipments == lb),
        "coverable_exact": cover_exact,
        "lower_bound_parts": lb_parts,
        "time_capped": first.time_capped or search.time_capped or time.monotonic() > deadline,
        "seconds": round(time.monotonic() - started, 3),
    }
    return Solution(
        transfers=problem.transfers(plan.lines()),
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
    deadline = started + time_limit
    share = 0.5 * time_limit / max(1, len(wanted))  # the work each budget gets
    for k in wanted:
        drop_to(plan, k)
        trial = plan.copy()
        improve(
            trial,
            seed=seed,
            deadline=min(deadline, time.monotonic() + 2 * share),
            time_limit=share,
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

"""Textbook exchange between schools: our solver against the two greedy baselines.

Targets (issue «Обмен учебниками»): on realistic municipalities of 40–60 schools
(bench/exchange_instances.py) the solver, given time_limit=10 on 2 cores, moves the coverable
maximum of copies with at least 5% fewer shipments than the pair-first greedy and no more
kilometres. Per instance the table shows the schools, titles, coverable copies, and for the
nearest-source greedy, the pair-first greedy and the solver: copies moved, shipments, km,
seconds, and the proven lower bound on shipments; then the solver's shipments, km, bound and gap
(plan − bound) / plan — the issue «The exchange plan, proven near-optimal» asks for a gap ≤ 15%
on every instance — and how many fewer shipments it needs than the pair-first greedy. Four
uniform random instances are shown too (not part of the 5% target; 40 × 60 is the issue's).

`--baselines` also gives every instance whole to HiGHS (highspy, one thread) and to CP-SAT
(2 workers), 60 s each (bench/exchange_baselines.py), as rows of the same table with their
proven bounds, and says whether the solver is at or under both. It is optional because it adds
about 18 minutes.

`--naive` also gives one realistic instance to the straightforward whole CP-SAT model (every
line a variable, every pair a boolean; 2 workers, 60 s) to show why the solver is built
differently.

Then the budget (issue «План обмена, доказанно близкий к оптимуму»): the wall time of solve()
for time limits 1, 2, 5 and 10 s on a 160-school municipality and on the regional exchange
(400 schools, 1000 titles; target: ≤ limit + 0.3 s); the same plan's hash from two runs, the
second with a CPU-burning process beside it (the plan follows from the work, not the clock,
unless the cap cut in — shown); and the regional exchange with time_limit=60 in a child process,
its seconds and peak RSS (target: ≤ 60 s, ≤ 1 GB). `uptime` is printed first: wall times on
a busy machine are longer.

Run: `make bench` or `.venv/bin/python bench/bench_exchange.py [--naive] [--time-limit S]
[--budget-only] [--baselines]` (no database, no Django; about five minutes, a minute more
with --naive, ~18 minutes more with --baselines).
"""

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.exchange_baselines import cpsat_whole, highs_whole
from bench.exchange_instances import random_instance, realistic, regional
from bibliomo.lib.redistribution import (
    check_solution,
    parse_instance,
    plan_figures,
    solve,
    solve_naive,
)
from bibliomo.lib.redistribution.budget import WORK_PER_SECOND
from bibliomo.lib.redistribution.greedy import (
    nearest_source_greedy,
    pair_first_greedy,
)

REALISTIC = [(1, 50), (2, 40), (3, 60), (4, 45), (5, 55)]  # (seed, schools)
RANDOM = [  # seed, schools, titles, density; 40 × 60 is the instance for the MILP claim
    (11, 30, 60, 0.15),
    (12, 45, 100, 0.1),
    (13, 60, 150, 0.08),
    (14, 40, 60, 0.2),
]
TARGET = 5.0  # % fewer shipments than the pair-first greedy
LIMITS = [1, 2, 5, 10]  # seconds: time_limit values whose wall time is measured
SLACK = 0.3  # seconds over the limit allowed
REGIONAL_LIMIT, REGIONAL_RSS_MB = 60, 1024
BURN = "import time\nend = time.time() + {seconds}\nwhile time.time() < end:\n    pass\n"
GAP_TARGET = 15.0  # % between the plan and the proven lower bound, (plan − bound) / plan
BASELINE_SECONDS = 60  # what HiGHS and CP-SAT get on the whole model (--baselines)
WIDTH = 96


def run_greedy(instance, baseline):
    started = time.perf_counter()
    transfers = baseline(instance)
    seconds = time.perf_counter() - started
    assert not check_solution(instance, transfers), baseline.__name__
    return (*plan_figures(instance, transfers), seconds)


def gap_percent(shipments, bound):
    """How far the plan may be from the best possible, as the issue measures it:
    (plan − bound) / plan, in per cent."""
    return 100 * (shipments - bound) / shipments if shipments else 0.0


def bench_instance(name, data, time_limit, baselines=False):
    instance = parse_instance(data)
    nearest = run_greedy(instance, nearest_source_greedy)
    pair_first = run_greedy(instance, pair_first_greedy)
    started = time.perf_counter()
    solution = solve(instance, time_limit=time_limit, seed=0)
    seconds = time.perf_counter() - started
    problems = check_solution(instance, solution.transfers)
    assert not problems, problems[:3]
    print(
        f"{name}: {len(instance.schools)} schools, {len(instance.titles)} titles, "
        f"coverable {solution.coverable} copies"
    )
    print(f"  {'method':<22}{'copies':>9}{'shipments':>11}{'km':>10}{'seconds':>9}{'bound':>7}")
    rows = [
        ("nearest-source greedy", *nearest, None),
        ("pair-first greedy", *pair_first, None),
        (
            "solver",
            solution.covered,
            solution.shipments,
            solution.km,
            seconds,
            solution.lower_bound_shipments,
        ),
    ]
    others = {}
    if baselines:
        for label, baseline in (
            ("HiGHS whole, 60 s", highs_whole),
            ("CP-SAT whole, 60 s", cpsat_whole),
        ):
            found = others[label] = baseline(instance, BASELINE_SECONDS)
            copies = solution.coverable if found.shipments is not None else None
            rows.append((label, copies, found.shipments, found.km, found.seconds, found.bound))
    for label, copies, shipments, km, spent, bound in rows:
        if shipments is None:
            print(f"  {label:<22}{'no plan':>20}{'':>10}{spent:>9.2f}{bound:>7}")
            continue
        shown = "" if bound is None else bound
        print(f"  {label:<22}{copies:>9}{shipments:>11}{km:>10.1f}{spent:>9.2f}{shown:>7}")
    fewer = 100 * (pair_first[1] - solution.shipments) / pair_first[1] if pair_first[1] else 0.0
    gap = gap_percent(solution.shipments, solution.lower_bound_shipments)
    stats = solution.stats
    print(
        f"  solver: {solution.shipments} shipments, {solution.km:.1f} km, lower bound "
        f"{solution.lower_bound_shipments}, gap {gap:.1f}% (target ≤ {GAP_TARGET:.0f}%); "
        f"{fewer:.1f}% fewer shipments than pair-first; "
        f"{stats['swap_attempts']} swaps, {stats['kicks']} kicks, {stats['models']} CP-SAT "
        f"models ({stats['shuffle_models']} of them on random schools)"
        f"{' (time cap hit)' if stats['time_capped'] else ''}"
        f"{' (the clock cut the bound short)' if stats['bound_time_capped'] else ''}"
    )
    beaten = [
        label
        for label, found in others.items()
        if found.shipments is not None and found.shipments < solution.shipments
    ]
    if others:
        verdict = "NO: " + ", ".join(beaten) if beaten else "yes"
        print(f"  at or under both whole-model baselines: {verdict}")
    return {
        "fewer": fewer,
        "gap": gap,
        "beaten": beaten,
        "full": solution.covered == solution.coverable,
        "km_ok": solution.km <= pair_first[2] + 1e-6,
        "seconds": seconds,
        "instance": instance,
    }


def bench_naive(instance):
    print("naive whole CP-SAT model (2 workers, 60 s) on realistic-1:")
    solution = solve_naive(instance, time_limit=60, workers=2)
    print(
        f"  status {solution.stats['status']}, copies {solution.covered}, "
        f"shipments {solution.shipments}, km {solution.km:.1f}, "
        f"{solution.stats['seconds']:.1f} s"
    )


def plan_hash(solution) -> str:
    lines = sorted((t.source, t.target, t.title, t.copies) for t in solution.transfers)
    return hashlib.sha256(json.dumps(lines).encode()).hexdigest()[:12]


def timed_solve(instance, time_limit, work=None):
    started = time.perf_counter()
    solution = solve(instance, time_limit=time_limit, seed=0, work=work)
    seconds = time.perf_counter() - started
    problems = check_solution(instance, solution.transfers)
    assert not problems, problems[:3]
    return solution, seconds


def describe(solution) -> str:
    stats = solution.stats
    phases = stats["phase_seconds"]
    return (
        f"{solution.shipments} shipments (greedy {stats['greedy_shipments']}), work "
        f"{stats['work_done']}/{stats['work']}, phases {phases['start']:.2f}+"
        f"{phases['search']:.2f}+{phases['bound']:.2f} s"
        f"{', CAP HIT' if stats['time_capped'] else ''}"
        f"{', bound cut by the clock' if stats['bound_time_capped'] else ''}"
    )


def bench_limits(name, instance) -> bool:
    """The wall time of solve() for each limit; returns whether every one kept its limit."""
    print(f"time limits on {name} (wall time of solve(), target ≤ limit + {SLACK} s):")
    kept = True
    for limit in LIMITS:
        solution, seconds = timed_solve(instance, limit)
        ok = seconds <= limit + SLACK
        kept &= ok
        print(
            f"  limit {limit:>2} s: {seconds:6.2f} s {'ok' if ok else 'OVER'}; {describe(solution)}"
        )
    return kept


def bench_determinism(name, instance, time_limit) -> bool:
    """The same plan twice, the second time beside a CPU-burning process: first with the work
    ``time_limit`` gives and a cap three times as wide (what determinism promises), then with
    the default cap (where a busy machine may hit it: shown)."""
    work = WORK_PER_SECOND * time_limit
    same = True
    for label, cap in (("work of", 3 * time_limit), ("default,", time_limit)):
        print(f"determinism on {name}, {label} time_limit {time_limit} s (cap {cap} s), seed 0:")
        quiet, quiet_seconds = timed_solve(instance, cap, work)
        burner = subprocess.Popen([sys.executable, "-c", BURN.format(seconds=cap + 10)])
        try:
            busy, busy_seconds = timed_solve(instance, cap, work)
        finally:
            burner.kill()
            burner.wait()
        for who, solution, seconds in (
            ("quiet", quiet, quiet_seconds),
            ("burner", busy, busy_seconds),
        ):
            print(f"  {who:<7} hash {plan_hash(solution)} {seconds:6.2f} s; {describe(solution)}")
        equal = plan_hash(quiet) == plan_hash(busy)
        capped = quiet.stats["time_capped"] or busy.stats["time_capped"]
        print(f"  same plan: {'yes' if equal else 'NO'}{' (the cap cut in)' if capped else ''}")
        if cap > time_limit:
            same &= equal
    return same


def regional_child(time_limit: float) -> None:
    """Run in a child process: solve the regional exchange, print its figures as JSON."""
    instance = parse_instance(regional(1))
    solution, seconds = timed_solve(instance, time_limit)
    figures = {
        "schools": len(instance.schools),
        "titles": len(instance.titles),
        "seconds": round(seconds, 2),
        "covered": solution.covered,
        "coverable": solution.coverable,
        "summary": describe(solution),
        "lower_bound": solution.lower_bound_shipments,
    }
    print(json.dumps(figures))


def bench_regional() -> bool:
    """The regional exchange at time_limit=60 in a child process: seconds and peak RSS."""
    command = [sys.executable, __file__, "--regional-child", str(REGIONAL_LIMIT)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    met = figures["seconds"] <= REGIONAL_LIMIT + SLACK and peak_mb <= REGIONAL_RSS_MB
    print(
        f"regional exchange: {figures['schools']} schools, {figures['titles']} titles, "
        f"time_limit {REGIONAL_LIMIT} s: solve() {figures['seconds']:.1f} s (process "
        f"{wall:.1f} s with start-up and generation), peak RSS {peak_mb:.0f} MB; "
        f"copies {figures['covered']} of {figures['coverable']}, {figures['summary']}, "
        f"lower bound {figures['lower_bound']} — "
        f"{'TARGET MET' if met else 'TARGET NOT MET'} (≤ {REGIONAL_LIMIT} s, "
        f"≤ {REGIONAL_RSS_MB} MB)"
    )
    return met


def bench_budget() -> None:
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"budget and scale; machine load: {load}")
    bench_regional()  # first: the peak RSS of the children is the largest so far
    print("-" * WIDTH, flush=True)
    municipality = parse_instance(realistic(1, 160))
    region = parse_instance(regional(1))
    kept = bench_limits("realistic-1 (160 schools)", municipality)
    kept &= bench_limits("regional-1 (400 schools, 1000 titles)", region)
    print("-" * WIDTH, flush=True)
    same = bench_determinism("realistic-1 (160 schools)", municipality, 5)
    same &= bench_determinism("regional-1 (400 schools, 1000 titles)", region, 10)
    print("-" * WIDTH)
    print(
        f"every limit kept (≤ limit + {SLACK} s): {'yes' if kept else 'NO'}; "
        f"the same work gives the same plan beside a CPU burner: {'yes' if same else 'NO'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--naive", action="store_true", help="also run the whole CP-SAT model")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--budget-only", action="store_true", help="only the budget sections")
    parser.add_argument("--regional-child", type=float, help=argparse.SUPPRESS)
    parser.add_argument(
        "--baselines", action="store_true", help="HiGHS and CP-SAT on the whole model, 60 s each"
    )
    args = parser.parse_args()
    if args.regional_child is not None:
        regional_child(args.regional_child)
        return
    if args.budget_only:
        bench_budget()
        return

    results, others = [], []
    for seed, schools in REALISTIC:
        name = f"realistic-{seed}"
        data = realistic(seed, schools)
        results.append(bench_instance(name, data, args.time_limit, args.baselines))
        print("-" * WIDTH, flush=True)
    for seed, schools, titles, density in RANDOM:
        name = f"random-{seed} ({schools}×{titles}, density {density})"
        data = random_instance(seed, schools, titles, density)
        others.append(bench_instance(name, data, args.time_limit, args.baselines))
        print("-" * WIDTH, flush=True)
    if args.naive:
        bench_naive(results[0]["instance"])
        print("-" * WIDTH)

    widest = max(r["gap"] for r in results + others)
    beaten = sum(bool(r["beaten"]) for r in results + others)
    print(
        f"every instance: widest gap to the lower bound {widest:.1f}% (target ≤ {GAP_TARGET:.0f}%)"
        + (f"; instances where a 60 s baseline beat the solver: {beaten}" if args.baselines else "")
    )
    worst = min(r["fewer"] for r in results)
    slowest = max(r["seconds"] for r in results)
    met = (
        worst >= TARGET
        and all(r["full"] and r["km_ok"] for r in results)
        and slowest <= args.time_limit + 0.5
    )
    print(
        f"realistic instances: at least {worst:.1f}% fewer shipments than pair-first "
        f"(target ≥ {TARGET:.0f}%), coverable maximum moved: "
        f"{'yes' if all(r['full'] for r in results) else 'NO'}, km no worse than pair-first: "
        f"{'yes' if all(r['km_ok'] for r in results) else 'NO'}, slowest {slowest:.1f} s "
        f"(limit {args.time_limit:.0f} s) — {'TARGET MET' if met else 'TARGET NOT MET'}"
    )
    print("=" * WIDTH, flush=True)
    bench_budget()


if __name__ == "__main__":
    main()

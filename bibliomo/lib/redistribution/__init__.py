"""Redistribution of spare textbooks between the schools of a municipality (обмен учебниками).

Schools report per title the copies they can give (surplus) and the copies they lack (shortage).
A plan is a list of transfer lines «from school, to school, title, copies». The priorities are
lexicographic:

1. move as many copies as possible (the coverable maximum);
2. use the fewest shipments — a shipment is one ordered pair of schools with anything to carry,
   one trip carries any number of titles;
3. drive the fewest kilometres, each shipment counting its pair's distance once (great-circle
   distance, or the road-distance table when one is given).

A school sends at most its surplus of a title, receives at most its shortage, never ships to
itself. Options: ``min_batch`` N forbids lines below N copies unless the line alone fills the
receiver's whole shortage of the title; ``max_shipments`` K allows at most K shipments (then the
plan moves as many copies as K shipments can carry).

How the solver works, in plain words:

* Titles never interact except through shipments, so the coverable maximum is a per-title figure:
  min(total surplus, total shortage) without ``min_batch``; with it, a tiny per-title CP-SAT
  model (one integer per line, domain {0} ∪ [N, cap] ∪ {whole shortage}) finds it exactly.
* Construction: the pair-first greedy (the pair of schools that can carry the most copies goes
  first and carries everything it can; pair capacities in a numpy array, updated by row and
  column, found by a heap with lazy entries). With ``min_batch`` the greedy only makes lines
  the rule allows, and the titles it under-covers are re-planned by the per-title model, which
  prefers pairs already open.
* Moves on the flows (cheap, pure Python). Each title is a small flow network: senders with
  spare copies, receivers with needs, the open shipments as arcs. Copies are rerouted along
  augmenting paths — forward over a shipment, backward along an existing line (which shrinks,
  freeing its sender), so one reroute may shift several lines of the title.
  - close: remove a shipment and reroute its copies over the open shipments only;
  - swap: remove a shipment, reroute its copies by the cheapest paths (fewest new shipments,
    then shortest), then try to close the light shipments around the new ones — kept only if
    the plan got better;
  - kick (iterated local search): force one or two light shipments out whatever it costs,
    swap around the schools touched, keep only an overall gain.
* Large-neighbourhood search with CP-SAT, on the second core while the moves run: the lines of
  a few titles (those of light shipments and their neighbours) or all lines among a few related
  schools are freed and re-optimised — fewest shipments, then kilometres — with every other line
  fixed and each title's coverage kept. Results are merged at fixed points of the work count
  and kept only if still valid and better. A small instance (up to ``WHOLE_MODEL_LINES``
  possible lines) is first given whole to CP-SAT, which often proves its answer optimal; if
  not, after the close and swap passes, most of its work goes to CP-SAT models of all lines
  among a random set of about half the schools (two at a time, one per core, merged in a
  fixed order; each counts its building and its deterministic time as work) — on the bench's
  40 × 60 random instance 147 shipments (was 150; HiGHS on the whole model finds 146–147 in
  60 s, depending on the run).
* ``max_shipments``: after the normal search, the lightest shipments are dropped (their copies
  rerouted where possible) until K remain; then add-drop moves (open the pair that adds the most
  copies, drop the lightest) and the capped neighbourhood models raise coverage.
* A lower bound on shipments: a school that must send (or receive) copies needs at least as
  many partners as the smallest set of schools able to take (or give) them all — a small
  set-cover model per school; shipments ≥ the sum of the outgoing
  bounds and ≥ the sum of the incoming ones; computed after the search, with the time left.
  When the whole instance was one CP-SAT model, its proven bound counts too.
  The bound holds in every mode (with ``min_batch`` a relaxation; below
  the coverable maximum only the pair-capacity part is used) and is what the plan page turns
  into «не больше чем на N% хуже наилучшего возможного», N = ⌈100 · (plan − bound) / bound⌉.
  Measured and not used (2026-12): the LP relaxation of the whole model with disaggregated
  linking (line ≤ min(surplus, shortage) · pair) gives 220 on realistic-1 where this bound gives
  249, and takes minutes; the pair-only integer model with the forced-partner rows and the
  per-title max-flow cuts, solved by HiGHS, proves ~239 in 20 s. The gap between the bound and
  the plan (about a quarter on the realistic instances) is therefore not yet closed, and it is
  not known which side is weak (2026-12-03, realistic-1): HiGHS on the whole model for 15 min
  with the solver's plan (348) as its start found nothing better and proved 222; the solver
  with 30 times the work finds 337; combining the outgoing and incoming bounds as a b-edge-cover
  (shipments ≥ Σ outgoing + Σ incoming − the most shipments that can count for both, a max
  flow) gives nothing, since that flow saturates the smaller sum; the pair-only integer model
  with both sides' per-title knapsack rows and the per-school bounds stays at 249 in CP-SAT.

Budget and determinism (``budget``): the search's work is counted, not timed. A work unit is
one step of an augmenting-path search or one shipment looked at when the moves sort or scan
the plan; ``solve(work=…)`` sets the units, by default ``WORK_PER_SECOND × time_limit`` (a rate
measured on the development machine, 2 cores, so that the search leaves a margin for a slower
or busier one). The search's steps end at fixed shares of the work; every CP-SAT model has one
worker and a deterministic time; the background models are merged at fixed points of the work
count; the min_batch title models share a deterministic-time allowance. So the same instance,
options, seed and work give the same plan on any machine and under any load.

``time_limit`` is a wall-clock safety cap that every phase keeps, counted from the call
(``Budget.until(share)``): the pair-first greedy ranks pairs until ``GREEDY_SHARE`` of it and then
finishes with a linear sweep (a valid plan, more shipments); the title models end by
``CONSTRUCTION_SHARE``; the search, the background models and the K-cap phase by
``SEARCH_SHARE`` (dropping shipments down to K without rerouting if need be); the lower bound
takes at most ``BOUND_TIME`` of it and ends by ``BOUND_SHARE``, less the time for writing the
transfers (``linear``). The bound
phase's API: ``lower_bound(problem, cover, covered, seed, deadline)`` with ``deadline`` the
``time.monotonic()`` moment it must end by; the bound never changes the plan. When a cap cuts
a phase short, ``stats["time_capped"]`` is true and only then may the plan depend on the
machine; when it cuts the bound's models short, ``stats["bound_time_capped"]`` is, and only
then may the bound (and the gap the plan page states) depend on it; ``stats["work"]``,
``stats["work_done"]`` and ``stats["phase_seconds"]`` show the rest.

The package's modules: ``model`` (the public data, reading and checking), ``network`` (the
indexed instance and the mutable plan), ``budget`` (the work and the caps), ``moves`` (the
flow moves), ``cpsat`` (the CP-SAT
models), ``search`` (the improvement phase), ``bounds`` (the lower bound) and ``solver`` (the
entry points ``solve`` and ``tradeoff``). The names used elsewhere are re-exported here.
"""

from bibliomo.lib.redistribution.bounds import lower_bound
from bibliomo.lib.redistribution.cpsat import solve_naive
from bibliomo.lib.redistribution.model import (
    Instance,
    InstanceError,
    School,
    Solution,
    Title,
    Transfer,
    check_solution,
    haversine_km,
    parse_instance,
    plan_figures,
    solution_to_json,
    validate_instance,
)
from bibliomo.lib.redistribution.network import IndexedInstance
from bibliomo.lib.redistribution.solver import solve, tradeoff

__all__ = [
    "IndexedInstance",
    "Instance",
    "InstanceError",
    "School",
    "Solution",
    "Title",
    "Transfer",
    "check_solution",
    "haversine_km",
    "lower_bound",
    "parse_instance",
    "plan_figures",
    "solution_to_json",
    "solve",
    "solve_naive",
    "tradeoff",
    "validate_instance",
]

"""Who may do what with work plans (predicates shared with the directory)."""

import rules

from bibliomo.directory.models import Role
from bibliomo.directory.rules import has_role, is_manager, is_member

is_director = has_role(Role.DIRECTOR)


@rules.predicate
def plan_is_editable(user, plan) -> bool:
    return plan is not None and plan.is_editable


@rules.predicate
def plan_is_submitted(user, plan) -> bool:
    return plan is not None and plan.status == plan.Status.SUBMITTED


@rules.predicate
def plan_is_approved(user, plan) -> bool:
    return plan is not None and plan.status == plan.Status.APPROVED


@rules.predicate
def plan_is_draft(user, plan) -> bool:
    return plan is not None and plan.status == plan.Status.DRAFT


# On the association: seeing and creating plans.
rules.add_perm("plans.view_plans", is_member)
rules.add_perm("plans.add_plan", is_manager)
# On a plan.
rules.add_perm("plans.view_plan", is_member)
rules.add_perm("plans.change_plan", is_manager & plan_is_editable)
rules.add_perm("plans.track_plan", is_manager)
rules.add_perm("plans.submit_plan", is_manager & plan_is_editable)
rules.add_perm("plans.approve_plan", is_director & plan_is_submitted)
rules.add_perm("plans.revise_plan", is_manager & plan_is_approved)
rules.add_perm("plans.rollover_plan", is_manager)
# Ideas for the draft of a plan (frequent consultation topics of the year that ends).
rules.add_perm("plans.see_plan_ideas", is_manager & plan_is_draft)

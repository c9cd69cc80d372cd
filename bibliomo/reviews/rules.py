"""Who may do what with the year's analysis: the same hands as the plan's."""

import rules

from bibliomo.directory.models import Role
from bibliomo.directory.rules import has_role, is_manager, is_reader


@rules.predicate
def review_is_editable(user, review) -> bool:
    return review is not None and review.is_editable


@rules.predicate
def review_is_submitted(user, review) -> bool:
    return review is not None and review.status == review.Status.SUBMITTED


@rules.predicate
def review_is_approved(user, review) -> bool:
    return review is not None and review.is_approved


is_director = has_role(Role.DIRECTOR)

# On the association. The analysis names each librarian's hours: not for other librarians.
rules.add_perm("reviews.view_reviews", is_reader)
rules.add_perm("reviews.add_review", is_manager)
# On an analysis.
rules.add_perm("reviews.view_review", is_reader)
rules.add_perm("reviews.change_review", is_manager & review_is_editable)
rules.add_perm("reviews.submit_review", is_manager & review_is_editable)
rules.add_perm("reviews.approve_review", is_director & review_is_submitted)
rules.add_perm("reviews.renew_review", is_manager & review_is_approved)

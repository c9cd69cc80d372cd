"""Who may do what with a professional growth record: she edits only her own; the methodist
confirms courses and plans the route with her; the methodist, head and director read."""

import rules

from bibliomo.directory.rules import is_methodist, is_reader, is_self
from bibliomo.growth.models import Learning


@rules.predicate
def owns_learning(user, learning) -> bool:
    return (
        isinstance(learning, Learning) and user.is_authenticated and learning.person_id == user.pk
    )


@rules.predicate
def methodist_of_learning(user, learning) -> bool:
    return isinstance(learning, Learning) and is_methodist(user, learning.association)


@rules.predicate
def reads_learning(user, learning) -> bool:
    return isinstance(learning, Learning) and is_reader(user, learning.association)


rules.add_perm("growth.view_overview", is_reader)
rules.add_perm("growth.view_record", is_self | is_reader)
rules.add_perm("growth.edit_record", is_self)
rules.add_perm("growth.edit_route", is_self | is_methodist)
rules.add_perm("growth.view_learning", owns_learning | reads_learning)
rules.add_perm("growth.change_learning", owns_learning)
rules.add_perm("growth.confirm_learning", methodist_of_learning)
rules.add_perm("growth.confirm_courses", is_methodist)

"""Who may do what with contests. Jurors are not a role of the association: a juror's seat is
scoped to one contest (`Juror`) and checked in `is_juror`."""

import rules

from bibliomo.directory.models import Role
from bibliomo.directory.rules import (
    association_id_of,
    has_role,
    is_manager,
    is_member,
    is_reader,
)

is_invited_juror = has_role(Role.JUROR)


@rules.predicate
def is_juror(user, contest) -> bool:
    if not getattr(user, "is_authenticated", False) or contest is None:
        return False
    return user.is_active and contest.jurors.filter(person=user).exists()


@rules.predicate
def is_school_librarian(user, obj=None) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.school_id is not None
        and Role.LIBRARIAN in user.roles_in(association_id_of(obj))
    )


rules.add_perm("contests.view_contests", is_member | is_invited_juror)
# Members see every announced contest; an invited juror only those she judges.
rules.add_perm("contests.view_every_contest", is_member)
rules.add_perm("contests.manage_contest", is_manager)
rules.add_perm("contests.view_all_entries", is_reader)
rules.add_perm("contests.submit_entry", is_school_librarian)
rules.add_perm("contests.judge", is_juror)

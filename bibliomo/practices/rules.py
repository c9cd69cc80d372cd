"""Who may do what in the bank of practices.

Members see the bank; a member adds her own practice; its author and the association's
managers change it; only the methodist puts a card on the public portal; a librarian of
another school marks it «Внедрили у нас».
"""

import rules

from bibliomo.directory.models import Role
from bibliomo.directory.rules import is_manager, is_member, is_methodist


@rules.predicate
def is_author(user, practice) -> bool:
    return getattr(user, "is_authenticated", False) and practice.author_id == user.pk


@rules.predicate
def is_librarian_elsewhere(user, practice) -> bool:
    """A librarian of a school of the practice's association, other than the author's school."""
    if not getattr(user, "is_authenticated", False) or user.school_id is None:
        return False
    return (
        user.school_id != practice.school_id
        and Role.LIBRARIAN in user.roles_in(practice.association_id)
        and user.school.association_id == practice.association_id
    )


rules.add_perm("practices.view_bank", is_member)
rules.add_perm("practices.add_practice", is_member)
rules.add_perm("practices.view_practice", is_member)
rules.add_perm("practices.change_practice", is_member & (is_author | is_manager))
rules.add_perm("practices.publish_practice", is_methodist)
rules.add_perm("practices.mark_implemented", is_librarian_elsewhere)

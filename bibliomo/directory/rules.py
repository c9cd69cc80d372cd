"""Who may do what: every permission of the directory, object-level, in one place.

Predicates take (person, object). An object is mapped to its association; a person's roles
are looked up there, so rights never leak from one association to another.
"""

from __future__ import annotations

import rules

from bibliomo.directory.models import Association, Building, Person, Role, School


def association_id_of(obj) -> int | None:
    if isinstance(obj, Association):
        return obj.pk
    if isinstance(obj, School):
        return obj.association_id
    if isinstance(obj, Building):
        return obj.school.association_id
    return getattr(obj, "association_id", None)


def _roles(user, obj) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if isinstance(obj, Person):
        # Roles shared with the other person's associations count.
        shared = set(user.grants) & set(obj.grants)
        return frozenset().union(*(user.roles_in(a) for a in shared)) if shared else frozenset()
    return user.roles_in(association_id_of(obj))


def has_role(*wanted: str):
    name = "has_" + "_or_".join(wanted)

    @rules.predicate(name=name)
    def predicate(user, obj=None) -> bool:
        return bool(_roles(user, obj) & set(wanted))

    return predicate


is_methodist = has_role(Role.METHODIST)
is_manager = has_role(Role.METHODIST, Role.HEAD)  # runs the association's work
is_reader = has_role(Role.METHODIST, Role.HEAD, Role.DIRECTOR)  # reads everything
is_member = has_role(Role.METHODIST, Role.HEAD, Role.DIRECTOR, Role.LIBRARIAN)


@rules.predicate
def is_librarian_of_school(user, school) -> bool:
    if not isinstance(school, School) or not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_active
        and user.school_id == school.pk
        and Role.LIBRARIAN in user.roles_in(school.association_id)
    )


@rules.predicate
def is_platform_operator(user, obj=None) -> bool:
    """Above every association: the administrator or a regional operator (shared data)."""
    return getattr(user, "is_authenticated", False) and user.is_platform_operator


@rules.predicate
def is_self(user, person) -> bool:
    return isinstance(person, Person) and user.is_authenticated and user.pk == person.pk


@rules.predicate
def can_view_job(user, job) -> bool:
    return user.is_authenticated and job is not None and job.owner_id == user.pk


# The association and its directory
rules.add_perm("directory.view_association", is_member)
rules.add_perm("directory.view_school", is_member)
rules.add_perm("directory.add_school", is_manager)
rules.add_perm("directory.change_school", is_manager | is_librarian_of_school)
rules.add_perm("directory.view_school_private", is_reader | is_librarian_of_school)
rules.add_perm("directory.export_directory", is_reader)

# People: the methodist administers them; members see one another's work contacts.
rules.add_perm("directory.view_person", is_member | is_self)
rules.add_perm("directory.view_person_private", is_methodist | is_self)
rules.add_perm("directory.manage_people", is_methodist)

rules.add_perm("core.view_job", can_view_job)

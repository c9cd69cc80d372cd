"""Reads of the directory that are more than a filter."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from bibliomo.directory.models import (
    Association,
    Building,
    Invitation,
    Person,
    Position,
    Role,
    School,
)


def schools_for_list(association: Association, query: str = "") -> QuerySet[School]:
    librarians = Person.objects.filter(
        is_active=True, role_grants__association=association, role_grants__role=Role.LIBRARIAN
    ).only("id", "last_name", "first_name", "patronymic", "school_id")
    schools = (
        School.objects.filter(association=association)
        .annotate(building_count=Count("buildings", distinct=True))
        .prefetch_related(
            Prefetch("staff", queryset=librarians, to_attr="librarians"),
            Prefetch("buildings", queryset=Building.objects.order_by("-is_main", "name")),
        )
    )
    if query:
        schools = schools.filter(
            Q(short_name__icontains=query)
            | Q(full_name__icontains=query)
            | Q(address__icontains=query)
            | Q(buildings__address__icontains=query)
        ).distinct()
    return schools.order_by("sort_name", "short_name")


def people_for_list(
    association: Association,
    query: str = "",
    role: str = "",
    school_id: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    people = (
        Person.objects.filter(role_grants__association=association)
        .select_related("school")
        .prefetch_related("role_grants")
        .distinct()
    )
    if not include_inactive:
        people = people.filter(is_active=True)
    if role:
        people = people.filter(role_grants__role=role, role_grants__association=association)
    if school_id:
        people = people.filter(school_id=school_id)
    if query:
        for word in query.split():
            people = people.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(patronymic__icontains=word)
                | Q(email__icontains=word)
                | Q(school__short_name__icontains=word)
            )
    return people.order_by("last_name", "first_name", "patronymic")


def association_members(association: Association) -> QuerySet[Person]:
    return Person.objects.filter(role_grants__association=association).distinct()


def people_with_roles(association: Association, roles: list[str]) -> QuerySet[Person]:
    """The active people holding any of these roles in the association."""
    return Person.objects.filter(
        is_active=True, role_grants__association=association, role_grants__role__in=roles
    ).distinct()


def approval_recipients(
    association: Association, actor: Person, submitted_by: Person | None, *, directors: bool
) -> set[str]:
    """Who hears of a paper on its way to approval (a plan, the year's analysis): a submitted
    one goes to the directors; a decision to its authors — whoever submitted it and the
    association's methodists and heads — never to the one who acted."""
    if directors:
        people = list(people_with_roles(association, [Role.DIRECTOR]))
    else:
        people = list(people_with_roles(association, [Role.METHODIST, Role.HEAD]))
        if submitted_by is not None and submitted_by.is_active:
            people.append(submitted_by)
    return {person.email for person in people if person.pk != actor.pk}


def school_librarians(school: School) -> QuerySet[Person]:
    """The active people who are librarians of this school in its association."""
    return Person.objects.filter(
        school=school,
        is_active=True,
        role_grants__role=Role.LIBRARIAN,
        role_grants__association_id=school.association_id,
    ).distinct()


def open_invitations(association: Association) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        association=association, accepted_at=None, revoked_at=None
    ).select_related("school", "invited_by")


def attention_for_managers(association: Association) -> dict[str, list]:
    """What the methodist and head should look at on their home page."""
    schools_without_librarian = list(
        School.objects.filter(association=association, is_active=True)
        .exclude(
            staff__role_grants__role=Role.LIBRARIAN,
            staff__role_grants__association=association,
            staff__is_active=True,
        )
        .order_by("sort_name", "short_name")
    )
    buildings_without_coordinates = list(
        Building.objects.filter(school__association=association)
        .filter(Q(latitude=None) | Q(longitude=None))
        .select_related("school")
    )
    from django.utils import timezone

    invitations = list(open_invitations(association).order_by("expires_at"))
    now = timezone.now()
    expired = [i for i in invitations if i.expires_at <= now]
    pending = [i for i in invitations if i.expires_at > now]
    return {
        "schools_without_librarian": schools_without_librarian,
        "buildings_without_coordinates": buildings_without_coordinates,
        "expired_invitations": expired,
        "pending_invitations": pending,
    }


def association_signatories(association: Association) -> list[tuple[str, Person]]:
    """Who signs the association's papers: (position, person), the head first."""
    found = []
    for role, title in ((Role.HEAD, "Руководитель ММО"), (Role.METHODIST, "Методист-куратор")):
        grant = (
            association.role_grants.filter(role=role, person__is_active=True)
            .select_related("person")
            .order_by("pk")
            .first()
        )
        if grant is not None:
            found.append((title, grant.person))
    return found


def school_library_signatories(school: School) -> list[tuple[str, Person]]:
    """The school's librarians as they sign its papers: (position, person), the head first."""
    people = sorted(
        school_librarians(school),
        key=lambda p: (p.position != Position.LIBRARY_HEAD, p.last_name, p.first_name),
    )
    found = []
    for person in people:
        label = person.get_position_display() if person.position else ""
        if person.position in ("", Position.OTHER, Position.TEACHER):
            label = Position.LIBRARIAN.label
        found.append((label[:1].upper() + label[1:], person))
    return found

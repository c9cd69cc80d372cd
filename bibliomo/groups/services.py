"""Every write of working groups: the group, its members, meetings, tasks and products."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person
from bibliomo.documents.models import Document
from bibliomo.events import services as events
from bibliomo.events.models import Event
from bibliomo.groups.models import Task, WorkingGroup
from bibliomo.portal.models import Post


def _check_people(association: Association, head: Person, members: Iterable[Person]) -> list:
    members = list(members)
    for person in [head, *members]:
        if association.pk not in person.grants:
            raise DomainError("В группу входят участники объединения.", field="members")
    return members


@transaction.atomic
def group_create(
    actor: Person,
    association: Association,
    *,
    name: str,
    goal: str,
    head: Person,
    members: Iterable[Person],
) -> WorkingGroup:
    name, goal = name.strip(), goal.strip()
    if not name:
        raise DomainError("Назовите группу.", field="name")
    if not goal:
        raise DomainError("Напишите цель группы.", field="goal")
    members = _check_people(association, head, members)
    group = WorkingGroup.objects.create(association=association, name=name, goal=goal, head=head)
    group.members.set({head, *members})
    audit.record(actor, group, AuditEntry.Action.CREATED)
    return group


@transaction.atomic
def group_update(
    actor: Person,
    group: WorkingGroup,
    *,
    name: str,
    goal: str,
    head: Person,
    members: Iterable[Person],
) -> WorkingGroup:
    name, goal = name.strip(), goal.strip()
    if not name:
        raise DomainError("Назовите группу.", field="name")
    if not goal:
        raise DomainError("Напишите цель группы.", field="goal")
    members = _check_people(group.association, head, members)
    group.name, group.goal, group.head = name, goal, head
    group.save()
    group.members.set({head, *members})
    audit.record(actor, group, AuditEntry.Action.UPDATED)
    return group


@transaction.atomic
def meeting_schedule(
    actor: Person,
    group: WorkingGroup,
    *,
    starts_at: datetime,
    topic: str,
    address: str = "",
    online_url: str = "",
    hours: int = 2,
) -> Event:
    """A meeting of the group: an event of kind «заседание творческой группы» (announced,
    with registration and minutes like any meeting), linked to the group. For a meeting still
    ahead the group's active members are registered at once: each gets the invitation letter
    with the calendar file."""
    topic = topic.strip()
    if not topic:
        raise DomainError("Напишите тему заседания.", field="topic")
    event = events.event_create(
        actor,
        group.association,
        organisers=[group.head],
        title=f"Заседание творческой группы «{group.name}»: {topic}",
        kind=Event.Kind.GROUP_MEETING,
        description=f"Цель группы: {group.goal}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        format=Event.Format.ONLINE if online_url and not address else Event.Format.IN_PERSON,
        address=address.strip(),
        online_url=online_url.strip(),
        hours=hours,
    )
    events.event_announce(actor, event)
    group.meetings.add(event)
    if not event.is_past:  # a meeting recorded afterwards has its attendance marked instead
        for member in group.members.filter(is_active=True).order_by("last_name", "first_name"):
            events.registration_create(actor, event, member)
    return event


@transaction.atomic
def task_add(
    actor: Person, group: WorkingGroup, *, title: str, owner: Person, due_on: date
) -> Task:
    title = title.strip()
    if not title:
        raise DomainError("Напишите задачу.", field="title")
    if owner.pk != group.head_id and not group.members.filter(pk=owner.pk).exists():
        raise DomainError("Ответственный — участник группы.", field="owner")
    return Task.objects.create(group=group, title=title, owner=owner, due_on=due_on)


@transaction.atomic
def task_mark(actor: Person, task: Task, *, done: bool) -> Task:
    task.done_on = timezone.localdate() if done else None
    task.save(update_fields=["done_on"])
    return task


@transaction.atomic
def products_set(
    actor: Person,
    group: WorkingGroup,
    *,
    documents: Iterable[Document],
    posts: Iterable[Post],
) -> WorkingGroup:
    """What the group made: documents of the library and portal posts."""
    documents, posts = list(documents), list(posts)
    if any(d.association_id != group.association_id for d in documents) or any(
        p.association_id != group.association_id for p in posts
    ):
        raise DomainError("Выберите документы и публикации этого объединения.")
    group.documents.set(documents)
    group.posts.set(posts)
    audit.record(actor, group, AuditEntry.Action.UPDATED, comment="Изменены продукты группы")
    return group

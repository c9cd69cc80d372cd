"""Builders for working-group tests: the group «Мы за них в ответе», headed by the head."""

from __future__ import annotations

from bibliomo.groups import services


def make_group(cast, name: str = "Мы за них в ответе", members=None):
    return services.group_create(
        cast.methodist,
        cast.association,
        name=name,
        goal="Сопровождение молодых специалистов.",
        head=cast.head,
        members=[cast.librarian_a] if members is None else members,
    )

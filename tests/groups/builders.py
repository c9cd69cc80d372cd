"""Builders for working-group tests: the group «Мы за них в ответе», headed by the head."""

from __future__ import annotations

from bibliomo.groups import services


def make_group(cast):
    return services.group_create(
        cast.methodist,
        cast.association,
        name="Мы за них в ответе",
        goal="Сопровождение молодых специалистов.",
        head=cast.head,
        members=[cast.librarian_a],
    )

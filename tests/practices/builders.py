"""Builders for the bank of practices' tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bibliomo.events import services as events
from bibliomo.events.models import Event
from bibliomo.practices import services


def make_fair(cast) -> Event:
    start = timezone.now() - timedelta(days=30)
    return events.event_create(
        cast.methodist,
        cast.association,
        title="Ярмарка библиотечных идей",
        kind=Event.Kind.IDEAS_FAIR,
        address="г. Серпухов, ул. Советская, д. 1",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )


def make_practice(cast, **fields):
    data = {
        "title": "Квест «Тайна старой библиотеки»",
        "grades": "5–6 классы",
        "form": "quest",
        "goal": "Познакомить пятиклассников с библиотекой.",
        "description": "Команды проходят станции по библиотеке.",
        "tags": ["популяризация чтения"],
        "fair": None,
    }
    data.update(fields)
    return services.practice_create(cast.librarian_a, cast.association, **data)

"""Builders for the professional growth tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bibliomo.growth import services
from tests.factories import png_bytes


def add_course(person, *, starts_on=None, days=30, hours=72, certificate=True, **changes):
    starts_on = starts_on or timezone.localdate() - timedelta(days=10)
    fields = {
        "kind": "course",
        "title": "Современная школьная библиотека: цифровые сервисы",
        "organiser": "АСОУ",
        "hours": Decimal(hours),
        "starts_on": starts_on,
        "ends_on": starts_on + timedelta(days=days),
        "link": "",
        "certificate_number": "502412345678",
        **changes,
    }
    return services.learning_add(
        person,
        person,
        certificate=(png_bytes(), "удостоверение.png") if certificate else None,
        **fields,
    )


def this_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1

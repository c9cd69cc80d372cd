"""Builders for the analysis tests: the user's 2024/2025 plan, approved, and events held for it."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from bibliomo.events import services as event_services
from bibliomo.events.models import Certificate, Feedback, Registration
from bibliomo.plans import services as plan_services
from bibliomo.plans.models import PlanActivity, WorkPlan
from bibliomo.plans.reading import read_plan

SAMPLE = Path(__file__).resolve().parents[2] / "bibliomo/demo/samples/plan-2024-2025.docx"


def approved_plan(cast) -> WorkPlan:
    document = read_plan(SAMPLE.read_bytes(), SAMPLE.name)
    plan = plan_services.plan_import(cast.methodist, cast.association, document)
    plan_services.plan_submit(cast.methodist, plan)
    return plan_services.plan_approve(cast.director, plan)


def line(plan: WorkPlan, words: str) -> PlanActivity:
    return PlanActivity.objects.get(section__plan=plan, content__contains=words)


def held_event(cast, when: tuple, *, title: str, kind: str = "seminar", activities=(), people=()):
    """An event of the test association held on a fixed date; `people` attended it."""
    start = timezone.make_aware(datetime(*when, 10))
    event = event_services.event_create(
        cast.methodist,
        cast.association,
        title=title,
        kind=kind,
        description="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format="in_person",
        building=None,
        room="",
        address="МОУ ДПО УМЦ",
        online_url="",
        audience="members",
        audience_school=None,
        capacity=None,
        registration_opens_at=None,
        registration_closes_at=None,
        hours=Decimal(2),
        activities=list(activities),
    )
    event_services.event_announce(cast.methodist, event)
    for index, person in enumerate(people):
        registration = Registration.objects.create(
            event=event, person=person, status="registered", attendance="attended"
        )
        Feedback.objects.create(
            registration=registration, ratings={"use": 5, "content": 4, "form": 4 + index % 2}
        )
        Certificate.objects.create(
            number=f"T-{event.pk}-{person.pk}",
            event=event,
            person=person,
            role="participant",
            recipient_full_name=person.full_name,
            recipient_dative=person.full_name,
            hours=Decimal(2),
        )
    event_services.event_mark_held(cast.methodist, event)
    event.refresh_from_db()
    return event

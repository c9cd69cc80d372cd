"""The demo library: ~40 documents with generated files, the 2024/2025 package, news posts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from bibliomo.demo.directory import DemoCast
from bibliomo.demo.documents_data import DOCUMENTS, PACKAGE_2024, USES_SAMPLE_PLAN, render_file
from bibliomo.demo.plans import SAMPLE
from bibliomo.demo.timeline import MOSCOW, SEED_YEAR, Stamps, Timeline, at
from bibliomo.documents import services
from bibliomo.documents.models import Document, DocumentLink, DocumentVersion
from bibliomo.events.models import Event, Registration
from bibliomo.lib import ru
from bibliomo.plans import services as plan_services
from bibliomo.portal import services as portal
from bibliomo.portal.models import Post

NEWS = [
    (
        "Итоги Ярмарки библиотечных идей",
        "18 декабря педагоги-библиотекари представили 10 идей.",
        "## Что показали\n\n- квест по книгам-юбилярам;\n- читательский марафон для 5–6 классов;\n"
        "- буккроссинг в рекреации.\n\nИдеи уже внедряют в школах округа. "
        "Материалы ярмарки — в [разделе документов](/documents/).",
        datetime(2024, 12, 20, 12),
    ),
    (
        "Новый федеральный перечень учебников: что важно знать",
        "Разбор изменений 2024 года.",
        "Приказ Минпросвещения России от 21.05.2024 № 347 внёс изменения в федеральный перечень. "
        "Проверьте, нет ли в вашем фонде учебников, исключённых из перечня, и когда истекает "
        "их **предельный срок использования**.",
        datetime(2024, 6, 3, 10),
    ),
    (
        "Муниципальный семинар в Гимназии № 1",
        "«Школьная библиотека: моё счастливое место».",
        "24 апреля педагоги-библиотекари округа обсудили, как сделать библиотеку местом "
        "творчества.\n\n"
        "Спасибо коллегам из Гимназии № 1 за тёплый приём!",
        datetime(2025, 4, 25, 9),
    ),
]


# The events after which the association writes a news post, from the year after the seed.
REPORTED_KINDS = ("seminar", "round_table", "master_class", "ideas_fair")


def _news_of_held_events(cast: DemoCast, timeline: Timeline) -> None:
    """A post two days after each seminar, round table, master class or ideas fair held
    after the user's year, linked to the plan lines the event carried out."""
    held = Event.objects.filter(
        association=cast.association,
        kind__in=REPORTED_KINDS,
        status=Event.Status.HELD,
        starts_at__gte=at(timeline.start(SEED_YEAR + 1)),
    ).annotate(
        attended=Count(
            "registrations", filter=Q(registrations__attendance=Registration.Attendance.ATTENDED)
        )
    )
    for event in held.order_by("starts_at").prefetch_related("activities"):
        when = at(timezone.localdate(event.starts_at) + timedelta(days=2), 12)
        if when >= timezone.now():
            continue
        stamps = Stamps()
        people = ru.plural(event.attended, "участник", "участника", "участников")
        post = portal.post_create(
            cast.head,
            cast.association,
            title=f"{ru.capfirst(event.named)}: итоги",
            lead=f"{event.dates_text}, {people}.",
            body="Спасибо всем, кто пришёл и выступил. Материалы мероприятия — на его странице "
            "в Bibliomo.",
            publish_at=None,
        )
        portal.post_submit(cast.head, post)
        portal.post_publish(cast.methodist, post)
        Post.objects.filter(pk=post.pk).update(published_at=when, created_at=when)
        for activity in event.activities.all():
            plan_services.activity_set_links(
                cast.methodist,
                activity,
                events=[e.pk for e in activity.events.all()],
                posts=[*activity.posts.values_list("pk", flat=True), post.pk],
            )
        stamps.done(when)


@transaction.atomic
def build(cast: DemoCast, today: date | None = None) -> int:
    timeline = Timeline.of(today)
    association = cast.association
    if Document.objects.filter(association=association).exists():
        return Document.objects.filter(association=association).count()
    by_key: dict[str, Document] = {}
    for item in DOCUMENTS:
        if item.key in USES_SAMPLE_PLAN:
            name, data = SAMPLE.name, SAMPLE.read_bytes()
        else:
            name, data = render_file(item, 1)
        document = services.document_create(
            cast.methodist,
            association,
            title=item.title,
            kind=item.kind,
            category=item.category,
            issuer=item.issuer,
            number=item.number,
            date=item.date,
            audience=item.audience,
            summary=item.summary,
            tags=list(item.tags),
            file_data=data,
            filename=name,
        )
        for version in range(2, item.versions + 1):
            name, data = render_file(item, version)
            services.version_add(
                cast.methodist,
                document,
                data,
                name,
                "Уточнены формулировки по итогам обсуждения на заседании ММО",
            )
        by_key[item.key] = document
    for item in DOCUMENTS:
        document = by_key[item.key]
        for target in item.amends:
            services.document_link(
                cast.methodist, document, by_key[target], DocumentLink.Kind.AMENDS
            )
        for target in item.replaces:
            services.document_link(
                cast.methodist, document, by_key[target], DocumentLink.Kind.REPLACES
            )
        if item.status == "repealed":
            assert item.repealed_on is not None  # every repealed act of the seed has its date
            services.document_repeal(
                cast.methodist, document, item.repealed_on, by_key.get(item.repealed_by)
            )
        elif item.status == "draft":
            document.status = Document.Status.DRAFT
            document.save(update_fields=["status"])
        if item.audience == "public" and item.category in ("federal", "association"):
            services.document_propose(cast.methodist, document)
            services.document_publish(cast.methodist, document)
    for title, key in PACKAGE_2024:
        services.package_item_add(
            cast.methodist, association, 2024, title, by_key.get(key) if key else None
        )
    for year in range(SEED_YEAR + 1, timeline.current + 1):
        # Each September the methodist starts the year's package from the one before.
        stamps = Stamps()
        services.package_copy(cast.methodist, association, year)
        stamps.done(at(timeline.day(2, year), 11))
    for title, lead, body, when in NEWS:
        post = portal.post_create(
            cast.head, association, title=title, lead=lead, body=body, publish_at=None
        )
        portal.post_submit(cast.head, post)
        portal.post_publish(cast.methodist, post)
        # The news happened then: date them as they were published.
        Post.objects.filter(pk=post.pk).update(published_at=when.replace(tzinfo=MOSCOW))
    _news_of_held_events(cast, timeline)
    # The demo's search works at once, without waiting for the worker.
    for version_id in DocumentVersion.objects.filter(
        document__association=association, text_state=DocumentVersion.TextState.PENDING
    ).values_list("pk", flat=True):
        services.version_extract_text(version_id)
    draft = portal.post_create(
        cast.head,
        association,
        title=f"Анонс: ярмарка библиотечных идей — {timeline.current}",
        lead="",
        body="Приглашаем коллег поделиться идеями.",
        publish_at=None,
    )
    portal.post_submit(cast.head, draft)
    return len(by_key)

"""The demo lives today: built with the clock on 1 September, 1 December and 15 May, every
step of the README tour shows what it promises, and no date contradicts today.

The demo is built once per date for the whole session (tests/demo_snapshot.py) and loaded by a
module fixture inside a transaction rolled back at the end; the clock stays at that date for the
views too.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bibliomo.core.models import AuditEntry
from bibliomo.demo.events import CERTIFICATES_WITHIN
from bibliomo.directory.models import Association, Person
from bibliomo.events.models import Certificate, Event, Feedback, Registration
from bibliomo.exchange import acts
from bibliomo.exchange.models import ExchangePlan, Order, SchoolOrder, Shipment
from bibliomo.lib import ru
from bibliomo.plans.models import PlanActivity, WorkPlan
from bibliomo.plans.reading import read_plan
from bibliomo.reviews.models import Review
from bibliomo.textbooks.models import Campaign, Submission
from tests.conftest import consented
from tests.demo_snapshot import fast_settings, load

MOSCOW = ZoneInfo("Europe/Moscow")
MOMENTS = [
    datetime(2026, 9, 1, 12, 0, tzinfo=MOSCOW),
    datetime(2026, 12, 1, 12, 0, tzinfo=MOSCOW),
    datetime(2027, 5, 15, 12, 0, tzinfo=MOSCOW),
]


@pytest.fixture(scope="module", params=MOMENTS, ids=lambda m: f"{m:%Y-%m-%d}")
def demo(request, demo_snapshots, django_db_blocker, tmp_path_factory):
    """The demo built with the clock at one moment; the clock stays there for the tests."""
    snapshot = demo_snapshots.get(request.param)  # `bibliomo demo` at that moment
    traveller = time_machine.travel(request.param, tick=False)
    traveller.start()
    settings = override_settings(**fast_settings(tmp_path_factory.mktemp("demo")))
    settings.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load(snapshot)
            # The loaded rows' foreign keys are checked now, once. On PostgreSQL they are
            # deferred: left pending, every test's closing check (inside its savepoint, so the
            # queue comes back) would go through the whole demo again (0.4 s a test).
            connection.check_constraints()
            yield {"today": timezone.localdate(), "now": timezone.now()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            ContentType.objects.clear_cache()
    settings.disable()
    traveller.stop()


@pytest.fixture
def as_(client, demo):
    def _as(email: str):
        client.force_login(consented(Person.objects.get(email=email)))
        return client

    return _as


def _current(demo) -> int:
    today = demo["today"]
    return today.year if today.month >= 9 else today.year - 1


pytestmark = pytest.mark.django_db


# --- the clock --------------------------------------------------------------------------------


def test_the_views_see_the_demo_clock(demo):
    assert timezone.now() == demo["now"]
    assert _current(demo) == 2026


def test_nothing_in_the_demo_happened_after_today(demo):
    now = demo["now"]
    assert not AuditEntry.objects.filter(at__gt=now).exists()
    assert not Certificate.objects.filter(issued_at__gt=now).exists()
    assert not Feedback.objects.filter(submitted_at__gt=now).exists()
    assert not Submission.objects.filter(submitted_at__gt=now).exists()
    assert not Submission.objects.filter(decided_at__gt=now).exists()
    assert not Event.objects.filter(status=Event.Status.HELD, ends_at__gt=now).exists()
    assert not WorkPlan.objects.filter(approved_at__gt=now).exists()
    assert not PlanActivity.objects.filter(status_changed_at__gt=now).exists()
    assert not SchoolOrder.objects.filter(submitted_at__gt=now).exists()
    assert not ExchangePlan.objects.filter(published_at__gt=now).exists()
    assert not Order.objects.filter(created_at__gt=now).exists()
    assert not Review.objects.filter(created_at__gt=now).exists()
    assert not Review.objects.filter(approved_at__gt=now).exists()
    today = demo["today"]
    for field in ("shipped_on", "received_on", "return_shipped_on", "returned_on"):
        assert not Shipment.objects.filter(**{f"{field}__gt": today}).exists(), field


def test_the_directory_was_entered_before_the_first_plan_was_approved(demo):
    """A school card's history starts before its 2024/2025 reports, not on the build day."""
    from bibliomo.directory.models import School

    approved = WorkPlan.objects.get(academic_year=2024).approved_at
    schools = ContentType.objects.get_for_model(School)
    created = AuditEntry.objects.filter(
        content_type=schools, action=AuditEntry.Action.CREATED
    ).values_list("at", flat=True)
    assert created and max(created) < approved
    late = Person.objects.filter(date_joined__gte=approved, email__endswith="@bibliomo.test")
    assert not late, [(p.email, p.date_joined) for p in late]


def test_the_creative_groups_meetings_are_facts_of_its_plan_line(demo):
    held = Event.objects.filter(kind=Event.Kind.GROUP_MEETING, status=Event.Status.HELD)
    assert held.exists()
    for meeting in held:
        years = set(meeting.activities.values_list("section__plan__academic_year", flat=True))
        lines = meeting.activities.values_list("content", flat=True)
        assert len(years) == 1 and all("творческой группе" in line for line in lines)


def test_rebuilding_on_the_same_day_adds_nothing(demo):
    counts = lambda: (  # noqa: E731
        WorkPlan.objects.count(),
        Event.objects.count(),
        Registration.objects.count(),
        Campaign.objects.count(),
        Submission.objects.exclude(status=Submission.Status.NOT_STARTED).count(),
        Shipment.objects.count(),
        Order.objects.count(),
        Review.objects.count(),
    )
    before = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == before


# --- 2024/2025: the user's plan, executed ------------------------------------------------------


def test_the_users_plan_is_kept_exactly_and_carried_out(demo):
    from bibliomo.demo.plans import SAMPLE

    plan = WorkPlan.objects.get(academic_year=2024)
    assert plan.status == WorkPlan.Status.APPROVED
    assert timezone.localdate(plan.approved_at) == date(2024, 9, 2)
    document = read_plan(SAMPLE.read_bytes(), SAMPLE.name)
    stored = [a.content for s in plan.sections.order_by("position") for a in s.activities.all()]
    assert stored == [a.content for s in document.sections for a in s.activities]
    assert plan.theme == document.theme
    statuses = set(PlanActivity.objects.filter(section__plan=plan).values_list("status", flat=True))
    assert statuses <= {"done", "moved", "cancelled"}
    for activity in PlanActivity.objects.filter(section__plan=plan):
        assert date(2024, 8, 1) <= timezone.localdate(activity.status_changed_at) < date(2025, 9, 1)


def test_2024_events_attendance_and_certificates_lie_in_2024_2025(demo):
    events = Event.objects.filter(starts_at__lt=datetime(2025, 9, 1, tzinfo=MOSCOW))
    assert events.filter(status=Event.Status.HELD).count() >= 9
    assert events.filter(status=Event.Status.CANCELLED, kind="round_table").exists()
    for certificate in Certificate.objects.filter(event__in=events).select_related("event"):
        assert (
            certificate.event.ends_at <= certificate.issued_at < datetime(2025, 9, 1, tzinfo=MOSCOW)
        )
    linked = PlanActivity.objects.filter(section__plan__academic_year=2024, events__in=events)
    assert linked.exists()


def test_2024_monitoring_exchange_and_order_are_over_and_consistent(demo):
    campaign = Campaign.objects.get(academic_year=2024)
    assert campaign.deadline == date(2024, 9, 30)
    statuses = set(campaign.submissions.values_list("status", flat=True))
    assert statuses == {Submission.Status.ACCEPTED}
    for submission in campaign.submissions.all():
        assert timezone.localdate(submission.submitted_at) <= campaign.deadline
        assert submission.decided_at >= submission.submitted_at
    plan = ExchangePlan.objects.get(academic_year=2024)
    assert plan.return_date == date(2025, 5, 31)
    for shipment in plan.shipments.all():
        _assert_dates_in_order(shipment)
        for day in (shipment.shipped_on, shipment.returned_on):
            assert day is None or date(2024, 9, 1) <= day <= date(2025, 5, 31)
        assert shipment.status in {"returned", "received", "declined"}
    order = Order.objects.get(academic_year=2025)
    assert order.status == Order.Status.CONSOLIDATED
    assert timezone.localdate(order.consolidated_at) == date(2025, 3, 3)


def test_every_finished_year_has_its_analysis_approved_and_frozen(demo):
    current = _current(demo)
    for year in range(2024, current):
        review = Review.objects.get(academic_year=year)
        assert review.status == Review.Status.APPROVED
        assert timezone.localdate(review.approved_at) == date(year + 1, 6, 2)
        assert timezone.localdate(review.submitted_at) == date(year + 1, 5, 28)
        keys = [section["key"] for section in review.sections]
        assert keys[:4] == ["tasks", "plan", "events", "growth"]
        assert "provision" in keys
        if year == 2024:
            assert {"exchange", "order"} <= set(keys)
        assert review.next_tasks and review.conclusions["plan"]
    this_year = Review.objects.filter(academic_year=current)
    if demo["today"] >= date(current + 1, 5, 12):
        assert this_year.get().status == Review.Status.DRAFT  # being written in May
    else:
        assert not this_year.exists()


def test_the_creative_group_met_in_every_year_and_the_analysis_counts_it(demo):
    """The plan's line «Участие в творческой группе "Мы за них в ответе"» runs through every
    year: each finished year holds the group's meetings, minuted, within that year."""
    from bibliomo.groups.models import WorkingGroup
    from bibliomo.groups.selectors import year_figures

    group = WorkingGroup.objects.get(name="Мы за них в ответе")
    assert timezone.localdate(group.created_at) < date(2024, 10, 1)
    for year in range(2024, _current(demo)):
        start = datetime(year, 9, 1, tzinfo=MOSCOW)
        held = group.meetings.filter(
            starts_at__gte=start,
            starts_at__lt=start.replace(year=year + 1),
            status=Event.Status.HELD,
        )
        assert held.count() == 2, year
        assert all(hasattr(event, "minutes") for event in held), year
        assert year_figures(group.association, year)["meetings_held"] == 2, year


def test_next_years_plan_took_its_tasks_from_the_analysis(demo):
    review = Review.objects.get(academic_year=2024)
    plan = WorkPlan.objects.get(academic_year=2025)
    assert plan.tasks == review.next_tasks
    texts = [*plan.title_lines, plan.theme, plan.goal, *plan.tasks]
    texts += list(PlanActivity.objects.filter(section__plan=plan).values_list("content", flat=True))
    assert not [t for t in texts if "2024/2025" in t or "2024-2025" in t]


# --- the years in between and the current year -------------------------------------------------


def test_every_year_up_to_today_has_an_approved_plan_and_an_accepted_monitoring(demo):
    current = _current(demo)
    for year in range(2024, current + 1):
        plan = WorkPlan.objects.get(academic_year=year)
        assert plan.status == WorkPlan.Status.APPROVED
        assert plan.approved_at < demo["now"]
        campaign = Campaign.objects.get(academic_year=year)
        assert campaign.submissions.filter(status=Submission.Status.ACCEPTED).exists()
    plan = WorkPlan.objects.get(academic_year=current)
    assert plan.rolled_over_from.academic_year == current - 1
    assert plan.approved_by.email == "venkova@bibliomo.test"


def test_the_current_plan_is_executed_up_to_today_and_nothing_is_overdue(demo):
    today = demo["today"]
    for plan in WorkPlan.objects.filter(academic_year__gt=2024):
        for activity in PlanActivity.objects.filter(section__plan=plan):
            assert not activity.is_overdue(today, plan), activity.content
    current = WorkPlan.objects.get(academic_year=_current(demo))
    done = PlanActivity.objects.filter(section__plan=current, status="done")
    if today >= date(2026, 11, 1):
        assert done.exists()
    for activity in done:
        assert activity.status_changed_at <= demo["now"]


def test_organisers_have_nothing_old_left_to_finish(demo):
    """Attendance of every past event is marked; only a recent one may wait for certificates."""
    from bibliomo.site.selectors import organised_events

    for email in ("leonteva@bibliomo.test", "nikitenko@bibliomo.test"):
        person = Person.objects.get(email=email)
        association = Association.objects.get(pk=person.primary_association_id)
        unfinished = organised_events(person, association)["unfinished"]
        assert unfinished.total == len(unfinished.rows), email  # nothing older hidden below
        for event in unfinished.rows:
            assert event.ends_at >= demo["now"] - CERTIFICATES_WITHIN, (email, event.title)
            assert not event.needs_attendance, (email, event.title)


def test_nobody_is_expected_in_two_places_at_once(demo):
    kept = [Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
    rows = (
        Registration.objects.filter(status__in=kept)
        .exclude(event__status=Event.Status.CANCELLED)
        .order_by("person_id", "event__starts_at")
        .values_list("person_id", "event__title", "event__starts_at", "event__ends_at")
    )
    previous = None
    for row in rows:
        if previous is not None and previous[0] == row[0]:
            assert previous[3] <= row[2], (previous[1], row[1], row[2])
        previous = row


def test_the_current_year_has_held_and_upcoming_events(demo):
    now = demo["now"]
    current = Event.objects.filter(starts_at__gte=datetime(_current(demo), 8, 1, tzinfo=MOSCOW))
    held = current.filter(status=Event.Status.HELD)
    assert held.exists()  # at least the planning meeting of late August
    for event in held:
        assert event.ends_at <= now
        assert event.registrations.filter(attendance=Registration.Attendance.ATTENDED).exists()
        if event.expects_certificates and event.ends_at <= now - CERTIFICATES_WITHIN:
            assert event.certificates.exists()
        elif not event.expects_certificates:  # a meeting: minutes, no certificates
            assert not event.certificates.exists()
    upcoming = current.filter(status=Event.Status.ANNOUNCED, starts_at__gt=now)
    assert upcoming.count() >= 3
    nearly_full = [
        e
        for e in upcoming.filter(capacity__isnull=False)
        if e.capacity - e.registrations.filter(status=Registration.Status.REGISTERED).count() <= 2
    ]
    assert nearly_full
    assert not current.filter(status=Event.Status.ANNOUNCED, ends_at__lt=now).exists()


def test_the_current_monitoring_is_open_with_schools_in_every_state(demo):
    campaign = Campaign.objects.get(academic_year=_current(demo))
    statuses = set(campaign.submissions.values_list("status", flat=True))
    assert statuses == set(Submission.Status.values)
    assert campaign.as_of <= demo["today"]
    for submission in campaign.submissions.exclude(submitted_at=None):
        # The page shows no «late» mark: a report handed in is dated by the deadline.
        assert timezone.localdate(submission.submitted_at) <= campaign.deadline
        assert submission.decided_at is None or submission.decided_at >= submission.submitted_at


def test_every_act_and_shipment_is_consistent_with_today(demo):
    today = demo["today"]
    current = ExchangePlan.objects.get(academic_year=_current(demo))
    assert current.return_date > today
    statuses = set(current.shipments.values_list("status", flat=True))
    assert {"proposed", "agreed", "shipped", "received", "declined"} <= statuses
    if today.month == 5:
        assert {"return_shipped", "returned"} <= statuses
    accepted = current.campaign.submissions.filter(status=Submission.Status.ACCEPTED)
    assert all(s.decided_at <= current.published_at for s in accepted)
    for shipment in Shipment.objects.all():
        _assert_dates_in_order(shipment)
        if shipment.status in ("draft", "declined"):
            continue  # no act for these (the page offers none)
        act = acts.build(shipment)
        assert act.day is None or act.day <= act.return_date, shipment  # unsent: dated by hand
        if shipment.received_on and shipment.received_on >= today - timedelta(days=14):
            assert not shipment.is_overdue(today), shipment
        if shipment.plan_id == current.pk:
            assert not shipment.is_overdue(today)


def test_the_order_for_next_year_is_due(demo):
    order = Order.objects.get(academic_year=_current(demo) + 1)
    assert order.status == Order.Status.DRAFT
    assert order.deadline > demo["today"]
    assert order.schools.filter(status="submitted").exists()


# --- the README tour, page by page ------------------------------------------------------------


def test_tour_methodist_home_shows_the_current_plan(demo, as_):
    page = as_("leonteva@bibliomo.test").get(reverse("home")).content.decode()
    assert "Плана на текущий учебный год ещё нет" not in page
    assert "Просрочено:" not in page  # no plan line is overdue
    # The only overdue return is the 2024/2025 one that was never sent back.
    assert "Просрочен возврат учебников по обмену: 1 перевозка" in page


def test_tour_plans_show_every_year(demo, as_):
    client = as_("leonteva@bibliomo.test")
    page = client.get(reverse("plans:index")).content.decode()
    for year in range(2024, _current(demo) + 1):
        assert f"{year}/{year + 1}" in page
    current = WorkPlan.objects.get(academic_year=_current(demo))
    page = client.get(reverse("plans:detail", args=[current.pk])).content.decode()
    assert "УТВЕРЖДАЮ" in page and "просрочено" not in page
    seed = WorkPlan.objects.get(academic_year=2024)
    page = client.get(reverse("plans:detail", args=[seed.pk])).content.decode()
    assert "Ярмарка библиотечных идей" in page


def test_tour_events_list_upcoming(demo, as_):
    page = as_("leonteva@bibliomo.test").get(reverse("events:index")).content.decode()
    for event in Event.objects.filter(starts_at__gt=demo["now"], status="announced")[:3]:
        assert event.title in page


def test_tour_librarian_sees_her_registration_and_her_school(demo, as_):
    page = as_("bib01@bibliomo.test").get(reverse("home")).content.decode()
    assert "Вы пока никуда не записаны" not in page
    assert "МБОУ «СОШ № 1»" in page


def test_tour_director_home(demo, as_):
    page = as_("venkova@bibliomo.test").get(reverse("home")).content.decode()
    assert "На утверждении" in page
    label = ru.format_academic_year(_current(demo))
    assert f"{label} учебный год на {ru.format_date(demo['today'])}" in page
    assert "План работы</a></th>" in page and "посещений —" in page
    assert "Консультации</a></th><td>" in page


def test_tour_monitoring_page_shows_every_state(demo, as_):
    campaign = Campaign.objects.get(academic_year=_current(demo))
    page = as_("leonteva@bibliomo.test").get(reverse("textbooks:campaign", args=[campaign.pk]))
    text = page.content.decode()
    for label in Submission.Status.labels:
        assert label in text
    assert ("(прошёл)" in text) == (campaign.deadline < demo["today"])


def test_tour_returns_and_exchange_pages(demo, as_):
    client = as_("leonteva@bibliomo.test")
    assert client.get(reverse("exchange:returns")).status_code == 200
    current = ExchangePlan.objects.get(academic_year=_current(demo))
    page = client.get(reverse("exchange:plan", args=[current.pk])).content.decode()
    assert current.name in page
    # thousands are grouped wherever the plans' copies are shown
    index = client.get(reverse("exchange:index")).content.decode()
    large = list(ExchangePlan.objects.filter(covered__gte=1000))
    assert large  # the 2024/2025 plan moves thousands of copies
    for plan in large:
        copies = f"{plan.covered // 1000}\N{NO-BREAK SPACE}{plan.covered % 1000:03d}"
        assert f"{copies} экз." in index
        assert (
            f"<strong>{copies}</strong>экз. перевозится"
            in client.get(reverse("exchange:plan", args=[plan.pk])).content.decode()
        )
    librarian = as_("bib01@bibliomo.test")
    mine = Shipment.objects.filter(plan=current, source__short_name="МБОУ «СОШ № 1»").first()
    mine = (
        mine or Shipment.objects.filter(plan=current, target__short_name="МБОУ «СОШ № 1»").first()
    )
    assert mine is not None  # the demo login's school takes part in the exchange
    assert librarian.get(reverse("exchange:shipment", args=[mine.pk])).status_code == 200


def test_tour_order_page(demo, as_):
    order = Order.objects.get(academic_year=_current(demo) + 1)
    page = as_("leonteva@bibliomo.test").get(reverse("exchange:order", args=[order.pk]))
    assert page.status_code == 200


def _assert_dates_in_order(shipment: Shipment) -> None:
    days = [
        shipment.shipped_on,
        shipment.received_on,
        shipment.return_shipped_on,
        shipment.returned_on,
    ]
    present = [d for d in days if d is not None]
    assert present == sorted(present), shipment
    if shipment.received_on:
        assert shipment.received_on <= shipment.return_date or shipment.is_overdue()


def test_tour_analysis_of_2024_2025_reads_and_exports(demo, as_):
    client = as_("leonteva@bibliomo.test")
    page = client.get(reverse("reviews:index")).content.decode()
    assert "2024/2025" in page and "утверждён 02.06.2025" in page
    review = Review.objects.get(academic_year=2024)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Анализ работы ММО за 2024/2025 учебный год" in page
    assert "Выводы:" in page and "Задачи на следующий учебный год" in page
    plan = WorkPlan.objects.get(academic_year=2024)
    assert reverse("plans:report", args=[plan.pk]) in page
    word = client.get(reverse("reviews:export", args=[review.pk, "docx"]))
    assert word.status_code == 200
    director = as_("venkova@bibliomo.test")
    assert director.get(reverse("reviews:detail", args=[review.pk])).status_code == 200
    assert as_("bib01@bibliomo.test").get(reverse("reviews:index")).status_code == 403


def test_tour_public_page_names_this_years_theme(demo, client):
    current = _current(demo)
    page = client.get("/").content.decode()
    assert f"Методическая тема {current}/{current + 1} учебного года" in page


@pytest.mark.parametrize("today", [date(2026, 12, 3), date(2026, 12, 10), date(2027, 4, 2)])
def test_upcoming_events_keep_off_the_plans_days_and_weekends(today):
    from bibliomo.demo import events as demo_events

    planned = demo_events._moved(ru.academic_year_start(today))
    days = {row[2].date() for row in planned}
    upcoming = [row[2] for row in demo_events._upcoming(today, planned)]
    assert len(upcoming) == 3
    assert not days & {start.date() for start in upcoming}
    assert all(start.weekday() < 5 for start in upcoming)
    assert len({start.date() for start in upcoming}) == 3

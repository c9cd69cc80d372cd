from datetime import date

import pytest

from bibliomo.core.errors import DomainError
from bibliomo.plans import selectors, services
from bibliomo.plans.models import PlanActivity, PlanRevision, PlanSection, WorkPlan
from bibliomo.plans.reading import read_plan
from bibliomo.plans.writing import write_plan_docx
from tests.plans.user_plan import TEXT_SAMPLE

pytestmark = pytest.mark.django_db


def _activity(plan, phrase) -> PlanActivity:
    return PlanActivity.objects.get(section__plan=plan, content__contains=phrase)


def test_import_keeps_the_whole_user_plan(plan):
    assert plan.academic_year == 2024
    assert len(plan.tasks) == 5
    assert plan.sections.count() == 4
    assert PlanActivity.objects.filter(section__plan=plan).count() == 17
    assert plan.approval_position == "директор МОУ ДПО УМЦ"
    assert plan.approval_name == "Г.В. Венкова"
    assert plan.signatories == [
        ["Руководитель ММО", "Никитенко Т.Г."],
        ["Методист-куратор", "Леонтьева Э.В."],
    ]
    first = _activity(plan, "Формирование пакета документов")
    assert first.timing_text == "Сентябрь, в течение года"
    assert first.timing.months == [9] and first.timing.throughout_year


def test_stored_plan_gives_back_the_document_it_came_from(plan, user_document):
    fresh = selectors.plans_with_content().get(pk=plan.pk)
    assert selectors.plan_to_document(fresh) == user_document


def test_export_and_reimport_round_trip(cast, plan, user_document):
    fresh = selectors.plans_with_content().get(pk=plan.pk)
    exported = write_plan_docx(selectors.plan_to_document(fresh))
    assert read_plan(exported, "export.docx") == user_document


def test_text_and_word_imports_give_the_same_plan(cast, plan):
    text_document = read_plan(TEXT_SAMPLE.read_bytes(), TEXT_SAMPLE.name)
    fresh = selectors.plans_with_content().get(pk=plan.pk)
    assert selectors.plan_to_document(fresh) == text_document


def test_second_import_of_the_same_year_is_refused_and_changes_nothing(cast, plan, user_document):
    with pytest.raises(DomainError, match="уже есть"):
        services.plan_import(cast.methodist, cast.association, user_document)
    assert WorkPlan.objects.get() == plan


def test_import_replaces_a_draft_but_never_an_approved_plan(cast, plan, user_document):
    replaced = services.plan_import(cast.methodist, cast.association, user_document, replace=True)
    assert WorkPlan.objects.get().pk == replaced.pk != plan.pk
    services.plan_submit(cast.methodist, replaced)
    services.plan_approve(cast.director, replaced)
    with pytest.raises(DomainError, match="уже утверждался"):
        services.plan_import(cast.methodist, cast.association, user_document, replace=True)
    assert WorkPlan.objects.get().pk == replaced.pk


def test_crash_midway_through_import_leaves_nothing(cast, user_document, monkeypatch):
    original = PlanActivity.objects.bulk_create
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("диск переполнен")
        return original(*args, **kwargs)

    monkeypatch.setattr(PlanActivity.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        services.plan_import(cast.methodist, cast.association, user_document)
    assert not WorkPlan.objects.exists()
    assert not PlanSection.objects.exists()


def test_editing_an_activity_reparses_its_timing(cast, plan):
    activity = _activity(plan, "Ярмарка")
    services.activity_update(
        cast.head,
        activity,
        content=activity.content,
        timing_text="ноябрь–декабрь",
        responsible_text="Методист, руководитель ММО",
    )
    activity.refresh_from_db()
    assert activity.timing.months == [11, 12]
    assert activity.responsible.ordered_roles == ["methodist", "head"]


def test_unparseable_timing_is_kept_and_flagged(cast, plan):
    activity = _activity(plan, "Ярмарка")
    services.activity_update(
        cast.head,
        activity,
        content=activity.content,
        timing_text="по согласованию с ОО",
        responsible_text="Методист",
    )
    activity.refresh_from_db()
    assert activity.timing_text == "по согласованию с ОО"
    assert activity.timing_data.get("flagged") or activity.responsible_data.get("flagged")


def test_empty_content_is_refused(cast, plan):
    activity = _activity(plan, "Ярмарка")
    with pytest.raises(DomainError, match="содержание"):
        services.activity_update(
            cast.head, activity, content="  ", timing_text="май", responsible_text=""
        )


def test_moving_an_activity_past_its_section_edge_enters_the_next_section(cast, plan):
    sections = list(plan.sections.order_by("position"))
    only = sections[0].activities.get()  # the first section holds one activity
    services.activity_move(cast.methodist, only, +1)
    only.refresh_from_db()
    assert only.section_id == sections[1].pk and only.position == 1
    assert list(
        sections[1].activities.order_by("position").values_list("position", flat=True)
    ) == list(range(1, 11))
    services.activity_move(cast.methodist, only, -1)
    only.refresh_from_db()
    assert only.section_id == sections[0].pk


def test_sections_reorder_and_empty_ones_delete(cast, plan):
    first, second = list(plan.sections.order_by("position"))[:2]
    services.section_move(cast.methodist, second, -1)
    assert list(plan.sections.order_by("position"))[:2] == [second, first]
    with pytest.raises(DomainError, match="есть мероприятия"):
        services.section_delete(cast.methodist, second)
    new = services.section_create(cast.methodist, plan, "Работа с молодыми специалистами")
    services.section_delete(cast.methodist, new)
    assert plan.sections.count() == 4


def test_approval_freezes_the_plan_and_keeps_the_revision(cast, approved_plan):
    assert approved_plan.status == WorkPlan.Status.APPROVED
    assert approved_plan.approved_by == cast.director
    revision = PlanRevision.objects.get(plan=approved_plan)
    assert revision.number == 1 and len(revision.snapshot["sections"]) == 4
    activity = _activity(approved_plan, "Ярмарка")
    with pytest.raises(DomainError, match="утверждён"):
        services.activity_update(
            cast.methodist, activity, content="x", timing_text="май", responsible_text=""
        )


def test_execution_is_tracked_on_an_approved_plan(cast, approved_plan):
    activity = _activity(approved_plan, "Ярмарка")
    services.activity_mark(
        cast.methodist,
        activity,
        "done",
        report="11 идей",
        evidence=[{"title": "Фотоотчёт", "url": "https://example.ru/a"}],
    )
    activity.refresh_from_db()
    assert activity.status == "done" and activity.evidence[0]["title"] == "Фотоотчёт"


@pytest.mark.parametrize(
    ("status", "fields", "message"),
    [
        ("done", {}, "что сделано"),
        ("moved", {"reason": "карантин"}, "новый срок"),
        ("moved", {"moved_to_text": "май"}, "причину переноса"),
        ("moved", {"moved_to_text": "когда-нибудь", "reason": "x"}, "не распознан"),
        ("cancelled", {}, "причину отмены"),
    ],
)
def test_status_needs_its_explanation(cast, plan, status, fields, message):
    activity = _activity(plan, "Ярмарка")
    with pytest.raises(DomainError, match=message):
        services.activity_mark(cast.methodist, activity, status, **fields)
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_new_revision_after_approval_shows_what_changed(cast, approved_plan):
    services.plan_start_revision(cast.methodist, approved_plan)
    approved_plan.refresh_from_db()
    assert approved_plan.revision == 2 and approved_plan.is_editable
    activity = _activity(approved_plan, "Ярмарка")
    services.activity_update(
        cast.methodist,
        activity,
        content=activity.content,
        timing_text="ноябрь",
        responsible_text=activity.responsible_text,
    )
    services.plan_submit(cast.methodist, approved_plan)
    services.plan_approve(cast.director, approved_plan)
    first, second = PlanRevision.objects.filter(plan=approved_plan).order_by("number")
    changes = selectors.revision_diff(first.snapshot, second.snapshot)
    assert len(changes) == 1
    assert changes[0].kind == "changed" and "— декабрь —" in changes[0].old
    assert "— ноябрь —" in changes[0].new
    # The first approved revision stays as it was.
    assert "декабрь" in str(first.snapshot)


def test_director_returns_with_a_comment(cast, plan):
    services.plan_submit(cast.methodist, plan)
    with pytest.raises(DomainError, match="доработать"):
        services.plan_return(cast.director, plan, "  ")
    services.plan_return(cast.director, plan, "Добавьте семинар для молодых специалистов")
    plan.refresh_from_db()
    assert plan.status == WorkPlan.Status.RETURNED and plan.is_editable


def test_cannot_approve_a_draft(cast, plan):
    with pytest.raises(DomainError, match="переданный на утверждение"):
        services.plan_approve(cast.director, plan)


def test_rollover_copies_content_and_moves_the_year(cast, approved_plan):
    activity = _activity(approved_plan, "Ярмарка")
    services.activity_mark(cast.methodist, activity, "done", report="Проведена")
    new = services.plan_rollover(cast.methodist, approved_plan)
    assert new.academic_year == 2025 and new.status == WorkPlan.Status.DRAFT
    assert new.title_lines[-1] == "2025-2026 учебный год"
    assert new.tasks == approved_plan.tasks
    copied = PlanActivity.objects.filter(section__plan=new)
    assert copied.count() == 17
    assert set(copied.values_list("status", flat=True)) == {"planned"}
    fair = copied.get(content__contains="Ярмарка")
    assert fair.timing.months == [12] and fair.report == ""
    with pytest.raises(DomainError, match="уже есть"):
        services.plan_rollover(cast.methodist, approved_plan)


def test_rollover_moves_exact_dates_by_a_year(cast, plan):
    activity = _activity(plan, "Ярмарка")
    services.activity_update(
        cast.methodist,
        activity,
        content=activity.content,
        timing_text="до 20.12.2024",
        responsible_text="Методист",
    )
    new = services.plan_rollover(cast.methodist, plan)
    copied = PlanActivity.objects.get(section__plan=new, content__contains="Ярмарка")
    assert copied.timing.deadline == date(2025, 12, 20)
    assert copied.timing_text == "до 20.12.2025"


def test_overdue_and_this_month(cast, approved_plan):
    fair = _activity(approved_plan, "Ярмарка")  # декабрь
    due = selectors.due_activities(cast.association, date(2024, 12, 10))
    assert fair in due.this_month
    assert fair not in [a for _, a in due.overdue]
    due = selectors.due_activities(cast.association, date(2025, 1, 10))
    assert fair in [a for _, a in due.overdue]
    services.activity_mark(cast.methodist, fair, "done", report="Проведена")
    due = selectors.due_activities(cast.association, date(2025, 1, 10))
    assert fair not in [a.pk for _, a in due.overdue]


def test_plan_by_month_puts_year_long_activities_apart(plan):
    fresh = selectors.plans_with_content().get(pk=plan.pk)
    months, throughout, unplaced = selectors.plan_by_month(fresh)
    assert [m.label for m in months][:2] == ["Сентябрь", "Октябрь"]
    december = next(m for m in months if m.month == 12)
    assert len(december.activities) == 3
    assert len(throughout) == 8
    assert unplaced == []


def test_execution_report_counts_by_section(cast, approved_plan):
    services.activity_mark(cast.methodist, _activity(approved_plan, "Ярмарка"), "done", report="ok")
    services.activity_mark(
        cast.methodist, _activity(approved_plan, "Круглый стол"), "cancelled", reason="объединён"
    )
    fresh = selectors.plans_with_content().get(pk=approved_plan.pk)
    rows = selectors.execution_report(fresh, date(2025, 1, 15))
    organisation = rows[1]
    assert (organisation.done, organisation.cancelled) == (1, 1)
    # Overdue: the September planning, the October celebration, the December seminar.
    assert organisation.overdue == 3
    assert organisation.planned == 4  # two in April, two year-long


def test_a_draft_has_nothing_overdue(cast, plan):
    fresh = selectors.plans_with_content().get(pk=plan.pk)
    rows = selectors.execution_report(fresh, date(2026, 1, 1))
    assert sum(row.overdue for row in rows) == 0
    assert selectors.due_activities(cast.association, date(2025, 1, 10)).overdue == []

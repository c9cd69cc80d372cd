"""The exchange pool computed from an accepted campaign, hand adjustments, solving, publishing."""

from datetime import date

import pytest
from django.core import mail

from bibliomo.core.errors import DomainError
from bibliomo.directory.models import Building
from bibliomo.exchange import services
from bibliomo.exchange.models import ExchangePlan, Participant, PoolLine, Shipment, ShipmentLine
from bibliomo.lib import redistribution
from bibliomo.textbooks import services as textbooks
from bibliomo.textbooks.models import CatalogEntry
from tests.factories import A_DATA, fill_and_accept, make_plan

pytestmark = pytest.mark.django_db

OFFER, REQUEST = PoolLine.Kind.OFFER, PoolLine.Kind.REQUEST


def pool_of(plan) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(school, code, kind) → (computed, copies)."""
    return {
        (line.school.short_name, line.entry.code, line.kind): (line.computed, line.copies)
        for line in PoolLine.objects.filter(plan=plan).select_related("school", "entry")
    }


def line_of(plan, school, entry, kind) -> PoolLine:
    return PoolLine.objects.get(plan=plan, school=school, entry=entry, kind=kind)


def instance_from_pool(plan) -> redistribution.Instance:
    """The solver's input rebuilt independently of the service: pool lines and buildings."""
    schools = []
    for building in Building.objects.filter(
        school__in=plan.participants.values("school"), latitude__isnull=False
    ):
        schools.append(
            {
                "id": f"S{building.school_id}",
                "name": building.school.short_name,
                "lat": float(building.latitude),
                "lon": float(building.longitude),
            }
        )
    lines = PoolLine.objects.filter(plan=plan, copies__gt=0)
    return redistribution.parse_instance(
        {
            "schools": schools,
            "titles": [
                {"id": f"T{pk}", "name": str(pk)}
                for pk in sorted(set(lines.values_list("entry_id", flat=True)))
            ],
            "surplus": [
                {"school": f"S{x.school_id}", "title": f"T{x.entry_id}", "copies": x.copies}
                for x in lines.filter(kind=OFFER)
            ],
            "shortage": [
                {"school": f"S{x.school_id}", "title": f"T{x.entry_id}", "copies": x.copies}
                for x in lines.filter(kind=REQUEST)
            ],
        }
    )


def transfers_of(plan) -> list[redistribution.Transfer]:
    return [
        redistribution.Transfer(f"S{s}", f"S{t}", f"T{e}", c)
        for s, t, e, c in ShipmentLine.objects.filter(shipment__plan=plan).values_list(
            "shipment__source_id", "shipment__target_id", "entry_id", "copies"
        )
    ]


def shipped_lines(plan) -> dict[tuple[str, str, str], int]:
    return {
        (line.shipment.source.short_name, line.shipment.target.short_name, line.entry.code): (
            line.copies
        )
        for line in ShipmentLine.objects.filter(shipment__plan=plan).select_related(
            "shipment__source", "shipment__target", "entry"
        )
    }


A, B = "МБОУ «СОШ № 1»", "МБОУ «Гимназия № 5»"


# ---------------------------------------------------------------- the pool


def test_pool_is_computed_from_the_accepted_campaign(plan, entries):
    assert pool_of(plan) == {
        # 140 usable − ⌈100 × 1.03⌉ = 37 offered; 100 pupils − 70 usable = 30 asked.
        (A, entries.russian.code, OFFER): (37, 37),
        (A, entries.maths.code, REQUEST): (30, 30),
        # Physics is shared by two grades: 50 + 30 pupils − 64 usable.
        (A, entries.physics.code, REQUEST): (16, 16),
        # 120 usable − ⌈80 × 1.03⌉ = ⌈82.4⌉ = 83 → 37 (not 38: the reserve rounds up).
        (B, entries.maths.code, OFFER): (37, 37),
        # 80 pupils − (50 − 5 lost) usable.
        (B, entries.russian.code, REQUEST): (35, 35),
        # No line of school B uses physics any more: all 12 copies are offered.
        (B, entries.physics.code, OFFER): (12, 12),
    }
    assert plan.status == ExchangePlan.Status.DRAFT
    assert set(plan.participants.values_list("school__short_name", "reserve_percent")) == {
        (A, 3),
        (B, 3),
    }


def test_a_textbook_no_longer_taught_is_offered_whole_whatever_the_reserve(cast, accepted, entries):
    plan = make_plan(cast, accepted, reserve_percent=50)
    found = pool_of(plan)
    assert found[B, entries.physics.code, OFFER] == (12, 12)
    # 140 − ⌈150⌉ < 0 and 120 − ⌈120⌉ = 0: nothing else is spare with a 50 % reserve.
    assert (A, entries.russian.code, OFFER) not in found
    assert (B, entries.maths.code, OFFER) not in found


def test_excluded_textbook_past_its_limit_date_is_not_counted(cast, accepted, entries):
    CatalogEntry.objects.filter(pk=entries.physics.pk).update(
        status=CatalogEntry.Status.EXCLUDED, limit_date=date(2024, 6, 1)
    )
    found = pool_of(make_plan(cast, accepted))
    # Nobody may use those copies on 15.09.2024: school B offers none, school A counts none.
    assert (B, entries.physics.code, OFFER) not in found
    assert found[A, entries.physics.code, REQUEST] == (80, 80)


def test_excluded_textbook_still_within_its_limit_date_is_counted(cast, accepted, entries):
    CatalogEntry.objects.filter(pk=entries.physics.pk).update(
        status=CatalogEntry.Status.EXCLUDED, limit_date=date(2024, 9, 15)
    )
    found = pool_of(make_plan(cast, accepted))
    assert found[B, entries.physics.code, OFFER] == (12, 12)
    assert found[A, entries.physics.code, REQUEST] == (16, 16)


def test_a_plan_needs_two_accepted_schools(cast, campaign, entries):
    fill_and_accept(cast, campaign, cast.school_a, cast.librarian_a, A_DATA)
    submission = campaign.submissions.get(school=cast.school_b)
    textbooks.submission_save(cast.librarian_b, submission, **A_DATA)
    textbooks.submission_submit(cast.librarian_b, submission)  # submitted, not accepted
    with pytest.raises(DomainError) as error:
        make_plan(cast, campaign)
    assert "принятые отчёты хотя бы двух школ" in error.value.message
    assert not ExchangePlan.objects.exists()


def test_a_plan_from_another_associations_campaign_is_refused(cast, accepted):
    with pytest.raises(DomainError) as error:
        services.plan_create(
            cast.outsider,
            cast.other_association,
            campaign=accepted,
            name="Чужой",
            reserve_percent=3,
            return_date=date(2025, 5, 31),
        )
    assert error.value.message == "Мониторинг другого объединения."
    assert not ExchangePlan.objects.exists()


# ---------------------------------------------------------------- adjusting the pool


def test_librarian_lowers_her_offer_with_a_reason(cast, plan, entries):
    line = line_of(plan, cast.school_a, entries.russian, OFFER)
    services.pool_line_set(cast.librarian_a, line, 30, "  Оставляем на новый класс  ")
    line.refresh_from_db()
    assert (line.computed, line.copies, line.reason) == (37, 30, "Оставляем на новый класс")
    assert line.adjusted and line.changed_by == cast.librarian_a and line.changed_at


def test_an_offer_different_from_the_computed_needs_a_reason(cast, plan, entries):
    line = line_of(plan, cast.school_a, entries.russian, OFFER)
    with pytest.raises(DomainError) as error:
        services.pool_line_set(cast.librarian_a, line, 30, "   ")
    assert error.value.message == (
        "Укажите причину: число отличается от рассчитанного по мониторингу (37)."
    )
    line.refresh_from_db()
    assert (line.copies, line.reason, line.changed_by) == (37, "", None)


def test_back_to_the_computed_figure_needs_no_reason_and_clears_it(cast, plan, entries):
    line = line_of(plan, cast.school_a, entries.russian, OFFER)
    services.pool_line_set(cast.librarian_a, line, 30, "Оставляем на новый класс")
    services.pool_line_set(cast.librarian_a, line, 37, "")
    line.refresh_from_db()
    assert (line.copies, line.reason, line.adjusted) == (37, "", False)


def test_librarian_cannot_offer_below_her_own_need(cast, plan, entries):
    line = line_of(plan, cast.school_a, entries.russian, OFFER)
    with pytest.raises(DomainError) as error:
        # 140 usable copies for 100 pupils: at most 40 may go.
        services.pool_line_set(cast.librarian_a, line, 41, "Отдадим всё лишнее")
    assert error.value.message == (
        "Школа может отдать не больше 40 экз.: остальные нужны её ученикам."
    )
    line.refresh_from_db()
    assert line.copies == 37
    # Up to her own need (the reserve given up) is allowed, with a reason.
    services.pool_line_set(cast.librarian_a, line, 40, "Резерв не нужен")
    line.refresh_from_db()
    assert line.copies == 40


def test_negative_copies_are_refused(cast, plan, entries):
    line = line_of(plan, cast.school_b, entries.russian, REQUEST)
    with pytest.raises(DomainError) as error:
        services.pool_line_set(cast.librarian_b, line, -1, "ошибка")
    assert error.value.message == "Число экземпляров не может быть отрицательным."
    line.refresh_from_db()
    assert line.copies == 35


def test_a_request_may_be_raised_with_a_reason(cast, plan, entries):
    line = line_of(plan, cast.school_b, entries.russian, REQUEST)
    services.pool_line_set(cast.librarian_b, line, 40, "Придут ещё пять учеников")
    line.refresh_from_db()
    assert (line.copies, line.computed) == (40, 35)


def test_pool_line_add_checks_the_school_the_duplicate_and_the_offer(cast, plan, entries):
    with pytest.raises(DomainError) as error:
        services.pool_line_add(
            cast.librarian_a,
            plan,
            school=cast.school_a,
            entry=entries.russian,
            kind=OFFER,
            copies=5,
            reason="ещё",
        )
    assert error.value.message == "Такая позиция уже есть — измените число в ней."
    with pytest.raises(DomainError) as error:
        services.pool_line_add(
            cast.outsider,
            plan,
            school=cast.other_school,
            entry=entries.maths_other,
            kind=REQUEST,
            copies=5,
            reason="нужно",
        )
    assert error.value.message == "Школа не участвует в этом обмене."
    with pytest.raises(DomainError) as error:
        # School A holds no copies of the other maths line: nothing to give.
        services.pool_line_add(
            cast.librarian_a,
            plan,
            school=cast.school_a,
            entry=entries.maths_other,
            kind=OFFER,
            copies=5,
            reason="есть на складе",
        )
    assert (
        error.value.message == "Школа может отдать не больше 0 экз.: остальные нужны её ученикам."
    )
    line = services.pool_line_add(
        cast.librarian_a,
        plan,
        school=cast.school_a,
        entry=entries.maths_other,
        kind=REQUEST,
        copies=5,
        reason="Переходим на другую линию",
    )
    assert (line.computed, line.copies, line.reason) == (0, 5, "Переходим на другую линию")
    assert PoolLine.objects.filter(plan=plan).count() == 7


def test_reserve_change_recomputes_the_offer_but_keeps_hand_adjustments(cast, plan, entries):
    russian = line_of(plan, cast.school_a, entries.russian, OFFER)
    services.pool_line_set(cast.librarian_a, russian, 25, "Часть книг в ремонте")
    participant = Participant.objects.get(plan=plan, school=cast.school_a)

    services.reserve_set(cast.librarian_a, participant, 10)

    russian.refresh_from_db()
    # 140 − ⌈110⌉ = 30 by the new reserve; the librarian's 25 and her reason stay.
    assert (russian.computed, russian.copies, russian.reason) == (30, 25, "Часть книг в ремонте")
    participant.refresh_from_db()
    assert participant.reserve_percent == 10
    found = pool_of(plan)
    assert found[A, entries.maths.code, REQUEST] == (30, 30)
    assert found[B, entries.maths.code, OFFER] == (37, 37)  # the other school is untouched

    # A reserve that leaves nothing spare: the adjusted line stays (computed 0) …
    services.reserve_set(cast.librarian_a, participant, 40)
    russian.refresh_from_db()
    assert (russian.computed, russian.copies) == (0, 25)
    # … and a line nobody touched goes.
    services.reserve_set(
        cast.librarian_b, Participant.objects.get(plan=plan, school=cast.school_b), 50
    )
    assert (B, entries.maths.code, OFFER) not in pool_of(plan)
    # Back to no reserve: the untouched line is computed afresh.
    services.reserve_set(
        cast.librarian_b, Participant.objects.get(plan=plan, school=cast.school_b), 0
    )
    assert pool_of(plan)[B, entries.maths.code, OFFER] == (40, 40)


def test_reserve_outside_0_to_50_is_refused(cast, plan):
    participant = Participant.objects.get(plan=plan, school=cast.school_a)
    with pytest.raises(DomainError) as error:
        services.reserve_set(cast.librarian_a, participant, 51)
    assert error.value.message == "Резерв — от 0 до 50 %."
    participant.refresh_from_db()
    assert participant.reserve_percent == 3


# ---------------------------------------------------------------- solving


def test_solve_creates_draft_shipments_that_satisfy_the_pool(cast, solved_plan, entries):
    plan = solved_plan
    assert shipped_lines(plan) == {
        (A, B, entries.russian.code): 35,
        (B, A, entries.maths.code): 30,
        (B, A, entries.physics.code): 12,
    }
    instance = instance_from_pool(plan)
    assert redistribution.check_solution(instance, transfers_of(plan)) == []
    shipments = Shipment.objects.filter(plan=plan)
    assert shipments.count() == 2
    for shipment in shipments:
        assert shipment.status == Shipment.Status.DRAFT
        assert shipment.number == 0
        assert shipment.return_date == date(2025, 5, 31)
        assert shipment.km == pytest.approx(
            instance.distance(f"S{shipment.source_id}", f"S{shipment.target_id}"), abs=0.05
        )
        assert shipment.km > 0
    assert plan.solved_at is not None
    assert (plan.covered, plan.coverable, plan.shortage_total) == (77, 77, 81)
    assert plan.lower_bound == 2
    assert plan.warnings == []


def test_solve_stores_the_tradeoff_and_the_baselines(solved_plan):
    plan = solved_plan
    assert plan.tradeoff, "the trade-off must be stored"
    last = plan.tradeoff[-1]
    assert last == {"budget": 2, "copies": 77, "percent": round(100 * 77 / 81, 1)}
    copies = [row["copies"] for row in plan.tradeoff]
    assert copies == sorted(copies)
    assert set(plan.baselines) == {"nearest", "pair"}
    for figures in plan.baselines.values():
        assert figures["covered"] <= 77
        assert figures["shipments"] >= 2
        assert figures["km"] > 0


def test_solve_with_a_minimum_batch_keeps_it_and_skips_the_baselines(cast, accepted, entries):
    plan = make_plan(cast, accepted, min_batch=20)
    services.solve(plan)
    plan.refresh_from_db()
    # 12 physics copies are below the batch and do not cover school A's whole 16: not carried.
    assert shipped_lines(plan) == {(A, B, entries.russian.code): 35, (B, A, entries.maths.code): 30}
    assert (
        redistribution.check_solution(instance_from_pool(plan), transfers_of(plan), min_batch=20)
        == []
    )
    assert plan.baselines == {}
    assert plan.covered == 65


def test_solving_again_replaces_the_draft_shipments(cast, solved_plan, entries):
    line = line_of(solved_plan, cast.school_b, entries.russian, REQUEST)
    services.pool_line_set(cast.librarian_b, line, 20, "Часть получим от другой школы")
    services.solve(solved_plan)
    assert shipped_lines(solved_plan)[A, B, entries.russian.code] == 20
    assert Shipment.objects.filter(plan=solved_plan).count() == 2


def test_a_school_without_coordinates_is_left_out_with_a_warning(cast, plan):
    Building.objects.filter(school=cast.school_b).update(latitude=None, longitude=None)
    services.solve(plan)
    plan.refresh_from_db()
    assert plan.warnings == [
        "У школы «МБОУ «Гимназия № 5»» нет координат здания — она не участвует в расчёте."
    ]
    assert not Shipment.objects.filter(plan=plan).exists()
    assert plan.covered == 0


# ---------------------------------------------------------------- editing the plan by hand


def test_plan_line_edit_within_the_pool_is_saved(cast, solved_plan, entries):
    services.plan_line_set(
        cast.methodist,
        solved_plan,
        source=cast.school_a,
        target=cast.school_b,
        entry=entries.russian,
        copies=30,
    )
    solved_plan.refresh_from_db()
    assert shipped_lines(solved_plan)[A, B, entries.russian.code] == 30
    assert solved_plan.covered == 72


def test_plan_line_edit_that_breaks_the_pool_is_refused_and_changes_nothing(
    cast, solved_plan, entries
):
    before = shipped_lines(solved_plan)
    with pytest.raises(DomainError) as error:
        services.plan_line_set(
            cast.methodist,
            solved_plan,
            source=cast.school_a,
            target=cast.school_b,
            entry=entries.russian,
            copies=36,
        )
    # The checker's message names the school, not its key.
    assert "«МБОУ «Гимназия № 5»»" in error.value.message
    assert "получает 36 экз." in error.value.message
    assert f"«S{cast.school_b.pk}»" not in error.value.message
    assert shipped_lines(solved_plan) == before
    solved_plan.refresh_from_db()
    assert solved_plan.covered == 77


def test_plan_line_edit_opening_a_new_pair_is_rolled_back_whole(cast, solved_plan, entries):
    # School B has no spare Russian: a new line B → A of Russian breaks the pool.
    with pytest.raises(DomainError):
        services.plan_line_set(
            cast.methodist,
            solved_plan,
            source=cast.school_b,
            target=cast.school_a,
            entry=entries.russian,
            copies=5,
        )
    assert ShipmentLine.objects.filter(shipment__plan=solved_plan).count() == 3
    assert not ShipmentLine.objects.filter(
        shipment__plan=solved_plan, shipment__source=cast.school_b, entry=entries.russian
    ).exists()


def test_removing_the_last_line_removes_the_shipment(cast, solved_plan, entries):
    services.plan_line_set(
        cast.methodist,
        solved_plan,
        source=cast.school_a,
        target=cast.school_b,
        entry=entries.russian,
        copies=0,
    )
    assert not Shipment.objects.filter(
        plan=solved_plan, source=cast.school_a, target=cast.school_b
    ).exists()
    solved_plan.refresh_from_db()
    assert solved_plan.covered == 42


def test_a_school_cannot_ship_to_itself(cast, solved_plan, entries):
    with pytest.raises(DomainError) as error:
        services.plan_line_set(
            cast.methodist,
            solved_plan,
            source=cast.school_a,
            target=cast.school_a,
            entry=entries.russian,
            copies=1,
        )
    assert error.value.message == "Школа не может передавать учебники самой себе."


# ---------------------------------------------------------------- publishing


def test_publish_numbers_the_shipments_proposes_them_and_tells_the_schools(
    cast, published_plan, entries
):
    plan = published_plan
    assert plan.status == ExchangePlan.Status.PUBLISHED and plan.published_at
    numbered = {
        (s.source.short_name, s.target.short_name): (s.number, s.status)
        for s in Shipment.objects.filter(plan=plan).select_related("source", "target")
    }
    # Numbered by the sending school's name, then the receiving one's.
    assert numbered == {(B, A): (1, "proposed"), (A, B): (2, "proposed")}
    assert sorted(m.to[0] for m in mail.outbox) == ["lib.a@test.ru", "lib.b@test.ru"]
    letter = next(m for m in mail.outbox if m.to == ["lib.a@test.ru"])
    assert letter.subject == "Обмен учебниками: Обмен 2024/2025"
    assert f"№ 1: {B} → {A} (вы получаете)" in letter.body
    assert f"№ 2: {A} → {B} (вы передаёте)" in letter.body
    assert "до 31.05.2025" in letter.body


def test_publish_without_shipments_is_refused(cast, plan):
    with pytest.raises(DomainError) as error:
        services.plan_publish(cast.methodist, plan)
    assert error.value.message == "В плане нет ни одной перевозки: сначала рассчитайте план."
    plan.refresh_from_db()
    assert plan.status == ExchangePlan.Status.DRAFT


def test_after_publishing_the_pool_and_the_plan_are_frozen(cast, published_plan, entries):
    plan = published_plan
    frozen = "План уже опубликован: обменный фонд и перевозки в нём не меняются."
    pool_before, lines_before = pool_of(plan), shipped_lines(plan)
    line = line_of(plan, cast.school_a, entries.russian, OFFER)
    attempts = [
        lambda: services.pool_line_set(cast.librarian_a, line, 30, "поздно"),
        lambda: services.pool_line_add(
            cast.librarian_a,
            plan,
            school=cast.school_a,
            entry=entries.maths_other,
            kind=REQUEST,
            copies=3,
            reason="поздно",
        ),
        lambda: services.reserve_set(
            cast.librarian_a, Participant.objects.get(plan=plan, school=cast.school_a), 10
        ),
        lambda: services.plan_line_set(
            cast.methodist,
            plan,
            source=cast.school_a,
            target=cast.school_b,
            entry=entries.russian,
            copies=30,
        ),
        lambda: services.solve(plan),
        lambda: services.plan_publish(cast.methodist, plan),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.message == frozen
    assert pool_of(plan) == pool_before
    assert shipped_lines(plan) == lines_before
    assert set(Shipment.objects.filter(plan=plan).values_list("status", flat=True)) == {"proposed"}
    assert Participant.objects.get(plan=plan, school=cast.school_a).reserve_percent == 3

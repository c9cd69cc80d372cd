"""The apps' sections of the year's analysis: each `review.section` is None without data and
turns the app's `year_figures` into sentences with links (data built through the services)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bibliomo.consultations import review as consultations_review
from bibliomo.consultations import services as consultations
from bibliomo.contests import review as contests_review
from bibliomo.contests import services as contests
from bibliomo.directory import services as directory
from bibliomo.groups import review as groups_review
from bibliomo.groups import services as groups
from bibliomo.growth import review as growth_review
from bibliomo.growth import services as growth
from bibliomo.lib import ru
from bibliomo.mentoring import review as mentoring_review
from bibliomo.mentoring import services as mentoring
from bibliomo.practices import review as practices_review
from bibliomo.practices import services as practices
from bibliomo.reviews.sections import BUILDERS, Section
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db

BUILDERS_OF_APPS = [
    consultations_review.section,
    growth_review.section,
    mentoring_review.section,
    groups_review.section,
    practices_review.section,
    contests_review.section,
]


def _year() -> int:
    return ru.academic_year_start(timezone.localdate())


def _text(section: Section) -> str:
    return "\n".join("".join(cell.text for cell in line) for line in section.lines)


def _urls(section: Section) -> set[str]:
    return {cell.url for line in section.lines for cell in line if cell.url}


def test_every_app_builder_is_registered():
    for app in ("consultations", "growth", "mentoring", "groups", "practices", "contests"):
        assert f"bibliomo.{app}.review.section" in BUILDERS


@pytest.mark.parametrize("build", BUILDERS_OF_APPS)
def test_no_data_no_section(cast, build):
    assert build(cast.association, _year()) is None


def test_consultations(cast):
    for topic in ("exchange", "exchange", "write_off"):
        consultations.question_ask(
            cast.librarian_a,
            cast.association,
            topic=topic,
            subject="Как оформить акт?",
            text="В школе 40 учебников, исключённых из перечня.",
        )
    section = consultations_review.section(cast.association, _year())
    assert section is not None and section.title == "Консультации"
    text = _text(section)
    assert "задали 3 вопроса: с ответом — 0, решено — 0, без ответа — 3." in text
    assert "Чаще всего спрашивали о темах: обмен, списание" in text
    assert f"{reverse('consultations:figures')}?year={_year()}" in _urls(section)
    assert [[c.text for c in row] for row in section.tables[0].rows] == [
        ["обмен", "2"],
        ["списание", "1"],
    ]
    assert consultations_review.section(cast.association, _year() - 1) is None


def test_growth(cast):
    starts_on = timezone.localdate() - timedelta(days=10)
    course = growth.learning_add(
        cast.librarian_a,
        cast.librarian_a,
        certificate=(png_bytes(), "удостоверение.png"),
        kind="course",
        title="Современная школьная библиотека",
        organiser="АСОУ",
        hours=Decimal(36),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=5),
        link="",
        certificate_number="502412345678",
    )
    growth.learning_confirm(cast.methodist, course)
    section = growth_review.section(cast.association, _year())
    assert section is not None
    assert section.title == "Профессиональный рост педагогов-библиотекарей"
    text = _text(section)
    assert "повышали квалификацию 1 из 2 педагогов-библиотекарей, всего 36 ак. ч" in text
    assert "курсы — 36" in text and "Курсы повышения квалификации: 1 курс." in text
    assert f"{reverse('growth:index')}?year={_year()}" in _urls(section)
    assert section.key != "growth"  # the events' section keeps its own conclusions


def test_mentoring(cast):
    today = timezone.localdate()
    directory.person_update(None, cast.librarian_b, librarian_since=today - timedelta(days=400))
    directory.person_update(None, cast.librarian_a, librarian_since=today - timedelta(days=4000))
    pair = mentoring.pair_create(
        cast.methodist,
        cast.association,
        mentor=cast.librarian_a,
        mentee=cast.librarian_b,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=230),
    )
    mentoring.meeting_add(cast.librarian_a, pair, held_on=today, topic="Старт", agreed="План")
    section = mentoring_review.section(cast.association, _year())
    assert section is not None and section.title == "Наставничество"
    text = _text(section)
    assert "— 1 пара «наставник — молодой специалист»; начали работу — 1" in text
    assert "За год проведено встреч: 1" in text
    assert reverse("mentoring:index") in _urls(section)
    assert section.tables[0].rows[0][1].text == cast.librarian_b.short_name


def test_groups(cast):
    groups.group_create(
        cast.methodist,
        cast.association,
        name="Мы за них в ответе",
        goal="Сопровождение молодых специалистов.",
        head=cast.head,
        members=[cast.librarian_a],
    )
    section = groups_review.section(cast.association, _year())
    assert section is not None and section.title == "Творческие группы"
    text = _text(section)
    assert "В объединении — 1 творческая группа" in text
    assert "— 0 заседаний, итог работы — 0 продуктов" in text
    row = section.tables[0].rows[0]
    assert row[0].text == "Мы за них в ответе" and row[2].text == "2"
    assert reverse("groups:index") in _urls(section)


def test_practices(cast):
    practice = practices.practice_create(
        cast.librarian_a,
        cast.association,
        title="Квест «Тайна старой библиотеки»",
        grades="5–6 классы",
        form="quest",
        goal="Познакомить пятиклассников с библиотекой.",
        description="Команды проходят станции по библиотеке.",
        tags=["популяризация чтения"],
        fair=None,
    )
    practices.implementation_mark(
        cast.librarian_b, practice, implemented_on=timezone.localdate(), note="Провели"
    )
    section = practices_review.section(cast.association, _year())
    assert section is not None and section.title == "Банк практик (ярмарка идей)"
    text = _text(section)
    assert "в банк добавлено: 1 практика из 1 школы" in text
    assert "«Внедрили у нас»: 1 отметка из 1 школы." in text
    assert "популяризация чтения (1)" in text
    assert section.tables[0].rows[0][0].text == practice.title


def test_contests(cast):
    today = timezone.localdate()
    contest = contests.contest_create(
        cast.methodist,
        cast.association,
        categories=["Урок"],
        criteria=[{"title": "Раскрытие темы", "max_points": 10, "weight": Decimal(1)}],
        rounds=[{"name": "Заочный этап", "form": "correspondence", "passes": None}],
        title="Лучший библиотечный урок",
        goals="Распространение опыта.",
        audience="librarians",
        age_groups="",
        entry_terms="Конспект урока.",
        applications_open=today - timedelta(days=5),
        applications_close=today + timedelta(days=10),
        judging_until=today + timedelta(days=20),
        results_on=today + timedelta(days=25),
        blind=False,
        aggregation="mean",
        scores_after_own=True,
    )
    contests.contest_announce(cast.methodist, contest)
    for librarian in (cast.librarian_a, cast.librarian_b):
        contests.entry_submit(
            librarian,
            contest,
            file=SimpleUploadedFile("урок.pdf", b"%PDF-1.4 contest entry"),
            category=contest.categories.get(),
            title="Урок о книге",
            description="",
            authors=librarian.full_name,
            age_group="",
            is_pupils=False,
            parent_consent=False,
            publish_names=False,
        )
    contests.external_event_create(
        cast.methodist,
        cast.association,
        title="Форум школьных библиотекарей Подмосковья",
        kind="форум",
        level="regional",
        held_on=today,
        participants=6,
        results="Выступление с опытом",
    )
    section = contests_review.section(cast.association, contest.academic_year)
    assert section is not None and section.title == "Конкурсы и внешние мероприятия"
    text = _text(section)
    assert "объединение провело 1 конкурс: 2 работы из 2 школ." in text
    assert "1 мероприятие, 6 участников." in text
    assert {reverse("contests:index"), reverse("contests:external")} <= _urls(section)
    assert [t.title for t in section.tables] == ["Конкурсы объединения", "Внешние мероприятия"]

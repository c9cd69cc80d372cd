"""The demo association: городской округ Серпухов, its ММО, ~19 school complexes, ~45 librarians.

Built through the services with a fixed seed, so running it twice changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from bibliomo.demo.timeline import SEED_YEAR, Stamps, at
from bibliomo.directory import services
from bibliomo.directory.models import (
    Association,
    AssociationTheme,
    Municipality,
    Person,
    Position,
    Role,
    School,
)

DEMO_PASSWORD = "bibliomo"
DOMAIN = "bibliomo.test"

THEME_2024 = (
    "Развитие творческой инициативы библиотечных работников и формирование их "
    "профессионализма через освоение современных библиотечных и педагогических технологий."
)

# Towns of the okrug and a point near their centre; buildings are scattered around it.
TOWNS = {
    "Серпухов": (54.9133, 37.4161),
    "Протвино": (54.8703, 37.2181),
    "Пущино": (54.8331, 37.6210),
}

# (short name, full name, town, [(building name, street address)])
COMPLEXES = [
    (
        "МБОУ «СОШ № 1»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»",
        "Серпухов",
        [("Основное здание", "ул. Чехова, д. 16"), ("Корпус 2", "ул. Советская, д. 41")],
    ),
    (
        "МБОУ «Гимназия № 1»",
        "Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 1»",
        "Серпухов",
        [
            ("Основное здание", "ул. Ворошилова, д. 79"),
            ("Корпус 2", "ул. Ворошилова, д. 127"),
            ("Корпус начальной школы", "ул. Подольская, д. 98"),
        ],
    ),
    (
        "МБОУ «СОШ № 2»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 2»",
        "Серпухов",
        [("Основное здание", "ул. Красноармейская, д. 3"), ("Корпус 2", "ул. Калужская, д. 12")],
    ),
    (
        "МБОУ «СОШ № 3»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 3»",
        "Серпухов",
        [("Основное здание", "ул. Джона Рида, д. 2"), ("Корпус 2", "ул. Весенняя, д. 10")],
    ),
    (
        "МБОУ «Лицей „Серпухов“»",
        "Муниципальное бюджетное общеобразовательное учреждение «Лицей „Серпухов“»",
        "Серпухов",
        [
            ("Основное здание", "ул. Центральная, д. 154"),
            ("Корпус 2", "ул. Физкультурная, д. 6"),
            ("Корпус 3", "ул. Осенняя, д. 3"),
        ],
    ),
    (
        "МБОУ «СОШ № 5»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 5»",
        "Серпухов",
        [("Основное здание", "ул. Ворошилова, д. 154"), ("Корпус 2", "Московское шоссе, д. 47")],
    ),
    (
        "МБОУ «СОШ № 6»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 6»",
        "Серпухов",
        [("Основное здание", "ул. 1-я Московская, д. 38"), ("Корпус 2", "ул. Луначарского, д. 20")],
    ),
    (
        "МБОУ «Образовательный комплекс „Заря“»",
        "Муниципальное бюджетное общеобразовательное учреждение «Образовательный комплекс „Заря“»",
        "Серпухов",
        [
            ("Основное здание", "ул. Фрунзе, д. 1"),
            ("Корпус 2", "ул. Пушкина, д. 27"),
            ("Корпус 3", "ул. Володарского, д. 4"),
        ],
    ),
    (
        "МБОУ «СОШ № 7»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7»",
        "Серпухов",
        [("Основное здание", "ул. Широкая, д. 18"), ("Корпус 2", "ул. Российская, д. 9")],
    ),
    (
        "МБОУ «СОШ № 9»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 9»",
        "Серпухов",
        [("Основное здание", "ул. Октябрьская, д. 17"), ("Корпус 2", "ул. Победы, д. 5")],
    ),
    (
        "МБОУ «СОШ № 10 с углублённым изучением отдельных предметов»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 10 с углублённым изучением отдельных предметов»",
        "Серпухов",
        [("Основное здание", "ул. Космонавтов, д. 5"), ("Корпус 2", "ул. Береговая, д. 8")],
    ),
    (
        "МБОУ «СОШ № 12»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 12»",
        "Серпухов",
        [("Основное здание", "ул. Захаркина, д. 11"), ("Корпус 2", "ул. Дзержинского, д. 44")],
    ),
    (
        "МБОУ «СОШ № 13»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 13»",
        "Серпухов",
        [("Основное здание", "ул. Юбилейная, д. 6"), ("Корпус 2", "ул. Северная, д. 14")],
    ),
    (
        "МБОУ «Гимназия № 5»",
        "Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 5»",
        "Серпухов",
        [("Основное здание", "ул. Ракетной Дивизии, д. 2"), ("Корпус 2", "ул. Химиков, д. 8")],
    ),
    (
        "МБОУ «СОШ № 17»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 17»",
        "Серпухов",
        [("Основное здание", "ул. Горького, д. 23"), ("Корпус 2", "ул. Химиков, д. 33")],
    ),
    (
        "МБОУ «Гимназия „Протвино“»",
        "Муниципальное бюджетное общеобразовательное учреждение «Гимназия „Протвино“»",
        "Протвино",
        [
            ("Основное здание", "ул. Победы, д. 12"),
            ("Корпус 2", "ул. Ленина, д. 9"),
            ("Корпус 3", "ул. Школьная, д. 4"),
        ],
    ),
    (
        "МБОУ «Лицей г. Протвино»",
        "Муниципальное бюджетное общеобразовательное учреждение «Лицей города Протвино»",
        "Протвино",
        [
            ("Основное здание", "ул. Лесной бульвар, д. 15"),
            ("Корпус 2", "ул. Заводской проезд, д. 3"),
        ],
    ),
    (
        "МБОУ «Пущинская СОШ № 1»",
        "Муниципальное бюджетное общеобразовательное учреждение «Пущинская средняя общеобразовательная школа № 1»",
        "Пущино",
        [("Основное здание", "мкр. АБ, д. 24"), ("Корпус 2", "мкр. В, д. 7")],
    ),
    (
        "МБОУ «Гимназия г. Пущино»",
        "Муниципальное бюджетное общеобразовательное учреждение «Гимназия города Пущино»",
        "Пущино",
        [("Основное здание", "мкр. Г, д. 2"), ("Корпус 2", "мкр. Д, д. 11")],
    ),
]

SURNAMES = [
    "Иванова",
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Васильева",
    "Петрова",
    "Соколова",
    "Михайлова",
    "Новикова",
    "Фёдорова",
    "Морозова",
    "Волкова",
    "Алексеева",
    "Лебедева",
    "Семёнова",
    "Егорова",
    "Павлова",
    "Козлова",
    "Степанова",
    "Николаева",
    "Орлова",
    "Андреева",
    "Макарова",
    "Никитина",
    "Захарова",
    "Зайцева",
    "Соловьёва",
    "Борисова",
    "Яковлева",
    "Григорьева",
    "Романова",
    "Воробьёва",
    "Сергеева",
    "Кузьмина",
    "Фролова",
    "Александрова",
    "Дмитриева",
    "Королёва",
    "Гусева",
    "Киселёва",
    "Ильина",
    "Максимова",
    "Полякова",
    "Сорокина",
    "Виноградова",
    "Ковалёва",
    "Белова",
    "Медведева",
]
FIRST_NAMES = [
    "Анна",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Марина",
    "Людмила",
    "Галина",
    "Валентина",
    "Надежда",
    "Екатерина",
    "Юлия",
    "Оксана",
    "Вера",
]
PATRONYMICS = [
    "Александровна",
    "Сергеевна",
    "Владимировна",
    "Николаевна",
    "Викторовна",
    "Ивановна",
    "Петровна",
    "Михайловна",
    "Юрьевна",
    "Анатольевна",
    "Васильевна",
    "Геннадьевна",
]
DIRECTOR_MEN = ["Андрей", "Алексей", "Сергей", "Игорь", "Олег", "Дмитрий"]


@dataclass
class DemoCast:
    association: Association
    methodist: Person
    head: Person
    director: Person
    librarians: list[Person] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (who, e-mail, password)


def _coordinates(rng: random.Random, town: str) -> tuple[Decimal, Decimal]:
    lat, lon = TOWNS[town]
    return (
        Decimal(f"{lat + rng.uniform(-0.018, 0.018):.6f}"),
        Decimal(f"{lon + rng.uniform(-0.03, 0.03):.6f}"),
    )


def _person(association, email, last, first, patronymic, position, roles, school=None, phone=""):
    existing = Person.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    return services.person_create(
        None,
        association,
        email=email,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        position=position,
        school=school,
        phone=phone,
        roles=roles,
        password=DEMO_PASSWORD,
    )


@transaction.atomic
def build() -> DemoCast:
    stamps = Stamps()
    rng = random.Random(2024)
    municipality, _ = Municipality.objects.get_or_create(
        name="городской округ Серпухов", defaults={"region": "Московская область"}
    )
    association, _ = Association.objects.get_or_create(
        municipality=municipality,
        short_name="ММО школьных библиотекарей",
        defaults={
            "name": "Муниципальное методическое объединение школьных библиотекарей "
            "городского округа Серпухов",
            "email": "mmo-bib@bibliomo.test",
            "phone": "+7 (4967) 35-00-00",
            "address": "142203, Московская область, г. Серпухов, ул. Советская, д. 88",
            "methodological_centre": "МОУ ДПО УМЦ",
        },
    )
    AssociationTheme.objects.get_or_create(
        association=association, academic_year=2024, defaults={"theme": THEME_2024}
    )

    methodist = _person(
        association,
        f"leonteva@{DOMAIN}",
        "Леонтьева",
        "Элла",
        "Владимировна",
        Position.METHODIST,
        [Role.METHODIST],
        phone="+7 (4967) 35-12-40",
    )
    director = _person(
        association,
        f"venkova@{DOMAIN}",
        "Венкова",
        "Галина",
        "Викторовна",
        Position.DIRECTOR,
        [Role.DIRECTOR],
        phone="+7 (4967) 35-10-01",
    )
    librarians: list[Person] = []
    head = None

    used_names: set[tuple[str, str]] = {("Никитенко", "Татьяна")}
    librarian_number = 0
    for index, (short, full, town, buildings) in enumerate(COMPLEXES):
        school = School.objects.filter(association=association, short_name=short).first()
        school_rng = random.Random(f"school-{index}")
        if school is None:
            school = services.school_create(
                None,
                association,
                short_name=short,
                full_name=full,
                address=f"Московская область, г. {town}, {buildings[0][1]}",
                director=(
                    f"{school_rng.choice(SURNAMES)[:-1]} {school_rng.choice(DIRECTOR_MEN)[0]}."
                    f"{school_rng.choice(PATRONYMICS)[0]}."
                ),
                email=f"school{index + 1}@bibliomo.test",
                phone=f"+7 (4967) {school_rng.randint(30, 79)}-{school_rng.randint(10, 99)}-"
                f"{school_rng.randint(10, 99)}",
                website="",
            )
            for building_name, street in buildings:
                lat, lon = _coordinates(school_rng, town)
                services.building_create(
                    None,
                    school,
                    name=building_name,
                    address=f"г. {town}, {street}",
                    latitude=lat,
                    longitude=lon,
                    is_main=building_name == "Основное здание",
                )
        # The head of the association heads the library of Гимназия № 1.
        if index == 1:
            head = _person(
                association,
                f"nikitenko@{DOMAIN}",
                "Никитенко",
                "Татьяна",
                "Геннадьевна",
                Position.LIBRARY_HEAD,
                [Role.HEAD, Role.LIBRARIAN],
                school=school,
                phone="+7 (916) 501-22-31",
            )
        # One complex has just merged and has no librarian in the system yet.
        if index == len(COMPLEXES) - 1:
            continue
        # Large complexes keep a second librarian in the main building.
        staff_count = len(buildings) + (1 if index % 4 == 0 else 0) - (1 if index == 1 else 0)
        for position_index in range(staff_count):
            librarian_number += 1
            while True:
                last, first = rng.choice(SURNAMES), rng.choice(FIRST_NAMES)
                if (last, first) not in used_names:
                    used_names.add((last, first))
                    break
            patronymic = rng.choice(PATRONYMICS)
            position = Position.LIBRARY_HEAD if position_index == 0 else Position.LIBRARIAN
            email = f"bib{librarian_number:02d}@{DOMAIN}"
            phone = (
                f"+7 (9{rng.randint(10, 99)}) {rng.randint(100, 999)}-{rng.randint(10, 99)}-"
                f"{rng.randint(10, 99)}"
            )
            librarians.append(
                _person(
                    association,
                    email,
                    last,
                    first,
                    patronymic,
                    position,
                    [Role.LIBRARIAN],
                    school=school,
                    phone=phone,
                )
            )

    assert head is not None  # the seed has a head of the association
    cast = DemoCast(association, methodist, head, director, librarians)
    first_school = cast.librarians[0].school
    assert first_school is not None
    cast.logins = [
        ("методист (Леонтьева Э.В.)", methodist.email, DEMO_PASSWORD),
        ("руководитель ММО (Никитенко Т.Г.)", head.email, DEMO_PASSWORD),
        ("директор УМЦ (Венкова Г.В.)", director.email, DEMO_PASSWORD),
        (
            f"педагог-библиотекарь ({cast.librarians[0].short_name}, {first_school.short_name})",
            cast.librarians[0].email,
            DEMO_PASSWORD,
        ),
    ]
    admin = Person.objects.filter(email=f"admin@{DOMAIN}").first()
    if admin is None:
        Person.objects.create_superuser(
            f"admin@{DOMAIN}", DEMO_PASSWORD, last_name="Администратор", first_name="Системный"
        )
    cast.logins.append(("администратор (панель /admin/)", f"admin@{DOMAIN}", DEMO_PASSWORD))
    if not Person.objects.filter(email=f"operator@{DOMAIN}").exists():
        # Keeps the federal list that every association shares.
        Person.objects.create_user(
            f"operator@{DOMAIN}",
            DEMO_PASSWORD,
            last_name="Соколова",
            first_name="Ирина",
            patronymic="Павловна",
            position=Position.OTHER,
            is_regional_operator=True,
        )
    cast.logins.append(
        ("региональный оператор перечня учебников", f"operator@{DOMAIN}", DEMO_PASSWORD)
    )
    # The association, its schools and people were entered before the 2024/2025 plan was
    # approved (02.09.2024), not on the day the demo is built: their history starts there.
    entered = at(date(SEED_YEAR, 8, 26), 10)
    stamps.done(entered)
    Person.objects.filter(date_joined__gt=entered).update(date_joined=entered)
    for person in (cast.methodist, cast.head, cast.director, *cast.librarians):
        person.date_joined = min(person.date_joined, entered)  # later steps save() them
    return cast

"""Generated instances for the textbook-exchange solver (the JSON contract of
bibliomo.lib.redistribution.parse_instance).

* ``realistic(seed, schools=50)`` — a municipality shaped like reality: schools around a town
  centre (54.9 N, 37.4 E; most within 10 km, a few villages up to 40 km out), 14 subjects over
  their grades, 2–4 competing textbook lines per subject with one or two popular ones, each
  school keeping its line per subject (a few switched lines lately and still hold the old one).
  Stock was bought for last year's cohort; this year's enrolment (20–120 per grade) drifted, so
  every school has spare copies of some titles and lacks others, a few to a few dozen copies.
* ``random_instance(seed, schools, titles, density)`` — uniform random: each school × title is
  non-zero with probability ``density``, half surplus, half shortage, 1–30 copies.
"""

from __future__ import annotations

import math
import random

CENTRE = (54.9, 37.4)

# subject, first grade, last grade
SUBJECTS = [
    ("Русский язык", 1, 11),
    ("Литературное чтение", 1, 4),
    ("Литература", 5, 11),
    ("Математика", 1, 6),
    ("Алгебра", 7, 11),
    ("Геометрия", 7, 11),
    ("Окружающий мир", 1, 4),
    ("Английский язык", 2, 11),
    ("История", 5, 11),
    ("Обществознание", 6, 11),
    ("География", 5, 11),
    ("Биология", 5, 11),
    ("Физика", 7, 11),
    ("Химия", 8, 11),
]
PUBLISHERS = ["Просвещение", "Дрофа", "Русское слово", "Вентана-Граф", "Бином"]
TOWN_NAMES = ["СОШ № {}", "Гимназия № {}", "Лицей № {}"]


def _offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """A point ``km`` away from (lat, lon) in direction ``bearing`` (radians)."""
    dlat = km * math.cos(bearing) / 111.2
    dlon = km * math.sin(bearing) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _schools(rng: random.Random, count: int, centre: tuple[float, float] = CENTRE) -> list[dict]:
    schools = []
    for number in range(1, count + 1):
        village = rng.random() < 0.22
        km = rng.uniform(10, 40) if village else 10 * math.sqrt(rng.random())
        lat, lon = _offset(*centre, km, rng.uniform(0, 2 * math.pi))
        if village:
            name = f"СОШ с. {rng.choice(['Ивановское', 'Петровское', 'Заречье', 'Лесное'])}"
            name += f" ({number})"
        else:
            name = rng.choice(TOWN_NAMES).format(number)
        schools.append(
            {"id": f"S{number}", "name": name, "lat": lat, "lon": lon, "village": village}
        )
    return schools


def realistic(seed: int, schools: int = 50) -> dict:
    rng = random.Random(seed)
    places = _schools(rng, schools)
    titles: list[dict] = []
    title_of: dict[tuple[int, int, int], str] = {}  # (subject, line, grade) -> title id
    popularity: list[list[float]] = []
    for s, (subject, first, last) in enumerate(SUBJECTS):
        lines = rng.randint(2, 4)
        weights = sorted((rng.random() ** 2 for _ in range(lines)), reverse=True)
        weights[0] += 0.8  # one line most schools use
        if lines > 2 and rng.random() < 0.5:
            weights[1] += 0.4  # sometimes a second popular one
        popularity.append(weights)
        publishers = rng.sample(PUBLISHERS, lines)
        for line in range(lines):
            for grade in range(first, last + 1):
                title_id = f"T{len(titles) + 1}"
                title_of[s, line, grade] = title_id
                titles.append(
                    {"id": title_id, "name": f"{subject}, {grade} класс ({publishers[line]})"}
                )
    surplus: dict[tuple[str, str], int] = {}
    shortage: dict[tuple[str, str], int] = {}
    for place in places:
        _stock(rng, place, SUBJECTS, popularity, title_of, surplus, shortage)
    return _contract(places, titles, surplus, shortage)


def _stock(rng, place, subjects, popularity, title_of, surplus, shortage) -> None:
    """One school's spare and missing copies: per subject the line it keeps (by
    ``popularity``), perhaps an old line it switched from, last year's cohort against this
    year's enrolment."""
    size = rng.uniform(20, 45) if place["village"] else rng.uniform(40, 120)
    enrolment = {g: max(20, min(120, round(size * rng.uniform(0.8, 1.2)))) for g in range(12)}
    for s, (_, first, last) in enumerate(subjects):
        line = rng.choices(range(len(popularity[s])), popularity[s])[0]
        switched_from = None
        if rng.random() < 0.12:
            others = [k for k in range(len(popularity[s])) if k != line]
            switched_from = rng.choice(others)
            switch_grade = rng.randint(first, last)
        for grade in range(first, last + 1):
            if (s, line, grade) not in title_of:
                continue  # a line not out for this grade yet
            now = enrolment[grade]
            before = max(15, round(now * rng.uniform(0.72, 1.28)))  # last year's cohort
            stock = round(before * rng.uniform(0.92, 1.05))
            if switched_from is not None and grade >= switch_grade:
                old = round(stock * rng.uniform(0.2, 0.6))
                if (s, switched_from, grade) in title_of:
                    _add(surplus, place["id"], title_of[s, switched_from, grade], old)
                stock = round(stock * rng.uniform(0.0, 0.5))
            difference = stock - now
            title_id = title_of[s, line, grade]
            if difference >= 2:
                _add(surplus, place["id"], title_id, difference - 1)  # one kept in reserve
            elif difference < 0:
                _add(shortage, place["id"], title_id, -difference)


# the regional exchange: subjects a region's catalogue adds to the municipal ones
REGIONAL_SUBJECTS = [
    *SUBJECTS,
    ("Информатика", 7, 11),
    ("Немецкий язык", 2, 11),
    ("Французский язык", 5, 11),
    ("Музыка", 1, 8),
    ("Изобразительное искусство", 1, 7),
    ("Технология", 1, 8),
    ("Основы безопасности и защиты Родины", 8, 11),
    ("Родная литература", 1, 9),
]
REGIONAL_PUBLISHERS = [*PUBLISHERS, "Мнемозина", "Академкнига", "Экзамен", "Владос"]


def regional(seed: int, schools: int = 400, titles: int = 1000) -> dict:
    """A regional exchange between municipalities: ``schools`` schools in 6–10 municipalities
    (each a town with its villages, as in ``realistic``, the towns 15–70 km from the region's
    centre), and a catalogue of exactly ``titles`` titles — 22 subjects, 4–8 competing lines
    each across the region (the last line only out for the lower grades yet). Each municipality
    prefers its own lines, so a title is popular in one municipality and rare in the next."""
    rng = random.Random(seed)
    subjects = REGIONAL_SUBJECTS
    counts = [rng.randint(4, 8) for _ in subjects]  # lines per subject
    spans = [last - first + 1 for _, first, last in subjects]
    while sum(c * span for c, span in zip(counts, spans, strict=True)) > titles:
        counts[max(range(len(counts)), key=lambda k: (counts[k], k))] -= 1
    keys = [
        (s, line, grade)
        for s, (_, first, last) in enumerate(subjects)
        for line in range(counts[s])
        for grade in range(first, last + 1)
    ]
    s = 0
    while len(keys) < titles:  # more lines; the last one only out for the first grades yet
        _, first, last = subjects[s]
        keys += [(s, counts[s], grade) for grade in range(first, last + 1)][: titles - len(keys)]
        counts[s] += 1
        s = (s + 1) % len(subjects)
    publishers = [rng.sample(REGIONAL_PUBLISHERS, len(REGIONAL_PUBLISHERS)) for _ in subjects]
    catalogue: list[dict] = []
    title_of: dict[tuple[int, int, int], str] = {}
    for s, line, grade in keys:
        title_of[s, line, grade] = title_id = f"T{len(catalogue) + 1}"
        publisher = publishers[s][line % len(REGIONAL_PUBLISHERS)]
        edition = f", {line // len(REGIONAL_PUBLISHERS) + 1}-я линия" if line >= 9 else ""
        catalogue.append(
            {"id": title_id, "name": f"{subjects[s][0]}, {grade} класс ({publisher}{edition})"}
        )
    places: list[dict] = []
    surplus: dict[tuple[str, str], int] = {}
    shortage: dict[tuple[str, str], int] = {}
    municipalities = rng.randint(6, 10)
    sizes = _split(rng, schools, municipalities)
    for m, size in enumerate(sizes):
        centre = _offset(
            *CENTRE, rng.uniform(15, 70), 2 * math.pi * (m + rng.random()) / len(sizes)
        )
        popularity = []
        for s in range(len(subjects)):
            weights = [rng.random() ** 3 for _ in range(counts[s])]
            weights[rng.randrange(counts[s])] += 1.0  # the municipality's own line
            popularity.append(weights)
        for place in _schools(rng, size, centre):
            place["id"] = f"S{len(places) + 1}"
            places.append(place)
            _stock(rng, place, subjects, popularity, title_of, surplus, shortage)
    return _contract(places, catalogue, surplus, shortage)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` sizes of at least a fifth of the mean each."""
    weights = [0.2 + rng.random() for _ in range(parts)]
    sizes = [max(1, int(total * w / sum(weights))) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def _add(counts: dict[tuple[str, str], int], school: str, title: str, copies: int) -> None:
    if copies > 0:
        counts[school, title] = counts.get((school, title), 0) + copies


def _contract(places, titles, surplus, shortage) -> dict:
    # a school never both gives and asks for one title: net the two out
    for key in sorted(surplus.keys() & shortage.keys()):
        net = surplus.pop(key) - shortage.pop(key)
        if net > 0:
            surplus[key] = net
        elif net < 0:
            shortage[key] = -net
    return {
        "schools": [
            {"id": p["id"], "name": p["name"], "lat": p["lat"], "lon": p["lon"]} for p in places
        ],
        "titles": titles,
        "surplus": [
            {"school": school, "title": title, "copies": copies}
            for (school, title), copies in sorted(surplus.items())
        ],
        "shortage": [
            {"school": school, "title": title, "copies": copies}
            for (school, title), copies in sorted(shortage.items())
        ],
    }


def random_instance(seed: int, schools: int, titles: int, density: float) -> dict:
    rng = random.Random(seed)
    places = [
        {
            "id": f"S{k}",
            "name": f"Школа № {k}",
            "lat": round(CENTRE[0] + rng.uniform(-0.25, 0.25), 5),
            "lon": round(CENTRE[1] + rng.uniform(-0.4, 0.4), 5),
        }
        for k in range(1, schools + 1)
    ]
    catalogue = [{"id": f"T{k}", "name": f"Учебник {k}"} for k in range(1, titles + 1)]
    surplus: dict[tuple[str, str], int] = {}
    shortage: dict[tuple[str, str], int] = {}
    for place in places:
        for title in catalogue:
            if rng.random() < density:
                target = surplus if rng.random() < 0.5 else shortage
                target[place["id"], title["id"]] = rng.randint(1, 30)
    return _contract(places, catalogue, surplus, shortage)

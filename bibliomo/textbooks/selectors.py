"""Reads of textbook data: a school's current data, alerts, the campaign dashboard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from bibliomo.lib import ru
from bibliomo.lib.provision_workbook import (
    CatalogueRef,
    EnrolmentRow,
    HoldingRow,
    LineRow,
    SchoolWorkbook,
    WriteOffRow,
)
from bibliomo.textbooks.models import (
    Campaign,
    CatalogEntry,
    Enrolment,
    Holding,
    Submission,
    TextbookLine,
    WriteOff,
)


def catalogue_refs() -> list[CatalogueRef]:
    return [
        CatalogueRef(code, subject, title, grade_from, grade_to)
        for code, subject, title, grade_from, grade_to in CatalogEntry.objects.exclude(
            status=CatalogEntry.Status.EXCLUDED, limit_date=None
        ).values_list("code", "subject", "title", "grade_from", "grade_to")
    ]


def school_rows(school, year: int):
    enrolment = tuple(
        EnrolmentRow(e.grade, e.pupils, e.classes, e.building.name if e.building else "")
        for e in Enrolment.objects.filter(school=school, academic_year=year).select_related(
            "building"
        )
    )
    lines = tuple(
        LineRow(line.grade, line.entry.code, line.pupils)
        for line in TextbookLine.objects.filter(school=school, academic_year=year).select_related(
            "entry"
        )
    )
    holdings = tuple(
        HoldingRow(h.entry.code, h.purchase_year, h.copies, h.damaged, h.lost)
        for h in Holding.objects.filter(school=school).select_related("entry")
    )
    write_offs = tuple(
        WriteOffRow(w.entry.code, w.copies, w.reason, w.act_number, w.act_date)
        for w in WriteOff.objects.filter(school=school).select_related("entry")
    )
    return enrolment, lines, holdings, write_offs


def report_figures(submission: Submission) -> dict:
    """What the report page says of the school's data: an accepted report what it said on its
    campaign date (its snapshot), another the school's data now. The fund is counted as of the
    campaign date, and the copies written off by acts dated on or before it apart."""
    campaign = submission.campaign
    if submission.frozen_at:
        data = submission.snapshot
        enrolment = data.get("enrolment", [])
        holdings = data.get("holdings", [])
        write_offs = data.get("write_offs", [])
        return {
            "pupils": sum(row[1] for row in enrolment),
            "lines": len(data.get("lines", [])),
            "copies": sum(h[2] - h[3] - h[4] for h in holdings),
            "write_offs": len(write_offs),
            "written_off": sum(w[1] for w in write_offs),
            "usable": max(
                0, sum(h[2] - h[3] - h[4] for h in holdings) - sum(w[1] for w in write_offs)
            ),
            "frozen": True,
        }
    enrolment, lines, holdings, write_offs = school_rows(submission.school, campaign.academic_year)
    dated = [w for w in write_offs if w.act_date <= campaign.as_of]
    copies = sum(
        h.copies - h.damaged - h.lost for h in holdings if h.purchase_year <= campaign.as_of.year
    )
    return {
        "pupils": sum(r.pupils for r in enrolment),
        "lines": len(lines),
        "copies": copies,
        "usable": max(0, copies - sum(w.copies for w in dated)),
        "write_offs": len(write_offs),
        "written_off": sum(w.copies for w in dated),
        "frozen": False,
    }


def workbook_for(submission: Submission) -> SchoolWorkbook:
    school, campaign = submission.school, submission.campaign
    enrolment, lines, holdings, write_offs = school_rows(school, campaign.academic_year)
    return SchoolWorkbook(
        campaign_id=campaign.pk,
        campaign_name=campaign.name,
        academic_year=campaign.academic_year,
        school_id=school.pk,
        school_name=school.short_name,
        buildings=tuple(b.name for b in school.buildings.all())
        if school.buildings.count() > 1
        else (),
        enrolment=enrolment,
        lines=lines,
        holdings=holdings,
        write_offs=write_offs,
    )


@dataclass
class Alert:
    kind: str  # "limit_date" or "old"
    text: str


def alerts(school, year: int, as_of: date) -> list[Alert]:
    result = []
    soon = as_of + timedelta(days=365)
    in_use = (
        TextbookLine.objects.filter(
            school=school, academic_year=year, entry__status=CatalogEntry.Status.EXCLUDED
        )
        .select_related("entry")
        .order_by("grade")
    )
    for line in in_use:
        entry = line.entry
        if not entry.usable_on(as_of):
            when = (
                "срок использования истёк" if entry.limit_date else "предельный срок не установлен"
            )
            result.append(
                Alert(
                    "limit_date",
                    f"{line.grade} класс: «{entry.title}» исключён из перечня, {when}.",
                )
            )
        elif entry.limit_date is not None and entry.limit_date <= soon:  # usable: it has one
            result.append(
                Alert(
                    "limit_date",
                    f"{line.grade} класс: «{entry.title}» можно использовать "
                    f"только до {entry.limit_date:%d.%m.%Y}.",
                )
            )
    oldest = as_of.year - settings.TEXTBOOK_SERVICE_YEARS
    old = list(
        Holding.objects.filter(school=school, purchase_year__lt=oldest)
        .values("entry__code", "entry__title")
        .annotate(copies=Sum("copies"))
        .order_by("entry__code")
    )
    if old:
        # One line, not one per title: a school with an old fund would otherwise get dozens.
        copies = sum(row["copies"] for row in old)
        titles = ", ".join(f"«{row['entry__title']}»" for row in old[:3])
        more = f" и ещё {len(old) - 3}" if len(old) > 3 else ""
        years = ru.plural(settings.TEXTBOOK_SERVICE_YEARS, "года", "лет", "лет")
        result.append(
            Alert(
                "old",
                f"{ru.plural(copies, 'экземпляр', 'экземпляра', 'экземпляров')} "
                f"{ru.plural(len(old), 'учебника', 'учебников', 'учебников')} старше "
                f"{years}: {titles}{more}.",
            )
        )
    return result


def progress_sentence(campaign: Any) -> str:
    """«из 19 отчётов школ принято 9, ждёт приёмки 4, на доработке 2, не сдано 4» of a
    campaign annotated by `campaigns_with_progress` (the four add up to the reports)."""
    return (
        f"из {ru.plural(campaign.schools, 'отчёта', 'отчётов', 'отчётов')} школ "
        f"принято {ru.format_number(campaign.accepted)}, "
        f"ждёт приёмки {ru.format_number(campaign.waiting)}, "
        f"на доработке {ru.format_number(campaign.returned)}, "
        f"не сдано {ru.format_number(campaign.not_handed)}"
    )


def campaigns_with_progress(association, academic_year: int | None = None) -> list[Campaign]:
    """The association's campaigns (of one academic year, if given), newest first, each with
    ``schools`` (its reports) and how many of them are ``accepted``, ``waiting`` (handed in,
    not yet accepted), ``returned`` and ``not_handed`` (not started or being filled): the four
    add up to ``schools``; ``progress`` says them in a sentence."""
    status = Submission.Status

    def count(*states: str) -> Count:
        return Count("submissions", filter=Q(submissions__status__in=states))

    campaigns = Campaign.objects.filter(association=association)
    if academic_year is not None:
        campaigns = campaigns.filter(academic_year=academic_year)
    found: list[Campaign] = list(
        campaigns.annotate(
            schools=Count("submissions"),
            accepted=count(status.ACCEPTED),
            waiting=count(status.SUBMITTED),
            returned=count(status.RETURNED),
            not_handed=count(status.NOT_STARTED, status.FILLING),
        )
        # (Meta.ordering does not apply to an aggregated query)
        .order_by("-academic_year", "-created_at")
    )
    for campaign in found:
        campaign.progress = progress_sentence(campaign)  # type: ignore[attr-defined]
    return found


def dashboard(campaign: Campaign):
    submissions = list(campaign.submissions.select_related("school").order_by("school__sort_name"))
    counts = Counter(s.status for s in submissions)
    return submissions, [
        (value, label, counts.get(value, 0)) for value, label in Submission.Status.choices
    ]


def frozen_submission(school, year: int) -> Submission | None:
    """The school's accepted report of the year whose figures are frozen, if any."""
    return (
        Submission.objects.filter(
            school=school, campaign__academic_year=year, frozen_at__isnull=False
        )
        .select_related("campaign")
        .order_by("-pk")
        .first()
    )


PUPILS_PER_CLASS = 35
YEAR_CHANGE = 0.30
COPIES_PER_PUPIL = 3


def plausibility_warnings(submission: Submission) -> list[str]:
    """What looks wrong but may be true (warnings, not errors): more than 35 pupils per class,
    a change of more than 30% from last year's accepted report, more than three copies per
    pupil, a grade with pupils and no textbook line. The librarian confirms them on submit."""
    from bibliomo.textbooks import provision
    from bibliomo.textbooks.models import FrozenGrade

    school, campaign = submission.school, submission.campaign
    year = campaign.academic_year
    found = []
    enrolment = list(
        Enrolment.objects.filter(school=school, academic_year=year)
        .select_related("building")
        .order_by("grade", "building__name")
    )
    for row in enrolment:
        if row.classes and row.pupils / row.classes > PUPILS_PER_CLASS:
            where = f" ({row.building.name})" if row.building else ""
            found.append(
                f"{row.grade} класс{where}: {row.pupils} обучающихся в "
                f"{ru.plural(row.classes, 'классе', 'классах', 'классах')} — "
                f"{round(row.pupils / row.classes)} на класс, больше {PUPILS_PER_CLASS}."
            )
    lines = provision.lines(year, campaign.as_of, live=True, school_id=school.pk)
    for line in lines:
        if line.pupils and line.copies > COPIES_PER_PUPIL * line.pupils:
            found.append(
                f"{line.grade} класс, {line.subject} ({line.code} {line.title}): "
                f"{line.copies} экз. на {line.pupils} обучающихся — больше чем втрое."
            )
    taught = {line.grade for line in lines}
    for grade in sorted({r.grade for r in enrolment if r.pupils} - taught):
        found.append(f"{grade} класс: обучающиеся есть, а учебников (УМК) не указано.")
    last = (
        Submission.objects.filter(
            school=school, campaign__academic_year__lt=year, frozen_at__isnull=False
        )
        .select_related("campaign")
        .order_by("-campaign__academic_year", "-pk")
        .first()
    )
    if last is not None:
        before = sum(FrozenGrade.objects.filter(submission=last).values_list("pupils", flat=True))
        now = sum(r.pupils for r in enrolment)
        if before and abs(now - before) / before > YEAR_CHANGE:
            found.append(
                f"Обучающихся {now}, а в принятом отчёте за {last.campaign.academic_year_label} "
                f"учебный год — {before}: изменение больше чем на {round(100 * YEAR_CHANGE)}%."
            )
        copies_before = sum(h[2] - h[3] - h[4] for h in last.snapshot.get("holdings", []))
        copies_now = sum(
            h.copies - h.damaged - h.lost
            for h in Holding.objects.filter(school=school, purchase_year__lte=campaign.as_of.year)
        )
        if copies_before and abs(copies_now - copies_before) / copies_before > YEAR_CHANGE:
            found.append(
                f"Годных экземпляров в фонде {copies_now}, а в принятом отчёте за "
                f"{last.campaign.academic_year_label} учебный год — {copies_before}: изменение "
                f"больше чем на {round(100 * YEAR_CHANGE)}%."
            )
    return found


def late_recipients(campaign: Campaign) -> list[tuple[Submission, list]]:
    """Reports not handed in yet (not «сдано»/«принято») with the librarians to remind, schools
    in natural order («СОШ № 2» before «СОШ № 10»); schools without a librarian are left out."""
    from bibliomo.directory.selectors import school_librarians

    late = campaign.submissions.exclude(
        status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED]
    ).select_related("school")
    rows = []
    for submission in sorted(late, key=lambda s: ru.natural_key(s.school.short_name)):
        people = list(school_librarians(submission.school))
        if people:
            rows.append((submission, people))
    return rows


def usable_copies(school_id: int, entry_ids: Iterable[int]) -> dict[int, int]:
    """Usable copies of titles in a school's holdings, every purchase year together, by title
    id (0 for a title the school does not hold)."""
    copies = dict.fromkeys(entry_ids, 0)
    for holding in Holding.objects.filter(school_id=school_id, entry_id__in=copies):
        copies[holding.entry_id] += holding.usable
    return copies


# Colour bands of provision: percent at least …, colour (dots, bars), a light tint of it (table
# cells under dark text), legend.
BANDS = (
    (100.0, "#1d6b3a", "#cfe8d6", "100%"),
    (95.0, "#7aa33b", "#e3efcc", "95–99%"),
    (85.0, "#d08a00", "#fbe3b4", "85–94%"),
    (0.0, "#a32020", "#f4c7c7", "ниже 85%"),
)
NO_DATA_COLOUR = "#9aa4b1"
SCHOOLS_PER_PAGE = 40


def provision_colour(percent: float | None) -> str:
    """The colour of a provision percent (grey: no data)."""
    if percent is None:
        return NO_DATA_COLOUR
    return next(colour for least, colour, _tint, _label in BANDS if percent >= least)


def provision_tint(percent: float | None) -> str:
    """The light tint of a provision percent's colour, for a table cell under dark text."""
    if percent is None:
        return "transparent"
    return next(tint for least, _colour, tint, _label in BANDS if percent >= least)


def _json_number(value) -> float | None:
    # A Decimal would reach the page's JSON as a string.
    return None if value is None else float(value)


def leaflet_points(points: list[dict]) -> list[dict]:
    """The map's points as the Leaflet map (includes/school_map.html) reads them from its data
    island: {id, name, lat, lon, provision, shortage, url}."""
    return [
        {
            "id": index,
            "name": point["school"],
            "lat": point["lat"],
            "lon": point["lon"],
            "provision": _json_number(point["percent"]),
            "shortage": point["shortage"],
            "url": point["url"],
        }
        for index, point in enumerate(points)
    ]


def provision_map_points(association, percent_of: dict, shortage_of: dict, url_of) -> dict:
    """Every building of the association's schools that has coordinates, as plain points for a
    map — {"school", "lat", "lon", "x", "y", "percent", "shortage", "colour", "url"} (one map
    projection for every map of the site, `bibliomo.lib.maps.project`) — and the picture's
    frame. `percent_of`/`shortage_of`: the school's figures by id; `url_of(school_id)`."""
    from bibliomo.directory.models import Building
    from bibliomo.lib import maps

    places = [
        {
            "school": name,
            "lat": float(lat),
            "lon": float(lon),
            "percent": percent_of.get(school_id),
            "shortage": shortage_of.get(school_id),
            "colour": provision_colour(percent_of.get(school_id)),
            "url": url_of(school_id),
        }
        for school_id, name, lat, lon in (
            Building.objects.filter(
                school__association=association, latitude__isnull=False, longitude__isnull=False
            )
            .order_by("school__sort_name", "pk")
            .values_list("school_id", "school__short_name", "latitude", "longitude")
        )
        if lat is not None and lon is not None  # filtered above; says so to the type checker
    ]
    points, frame = maps.project(places)
    return {"points": points, "width": frame.width, "height": frame.height}


def provision_history(association, year: int, years: int = 3) -> list[dict]:
    """Provision of the association's accepted reports in the last `years` academic years up
    to `year` (the frozen figures, so they never change): year, percent, shortage, schools."""
    from django.db.models import Count

    from bibliomo.textbooks.models import FrozenTotal

    rows = (
        FrozenTotal.objects.filter(
            kind=FrozenTotal.Kind.ALL,
            submission__campaign__association=association,
            submission__frozen_at__isnull=False,
            submission__campaign__academic_year__lte=year,
            submission__campaign__academic_year__gt=year - years,
        )
        .values("submission__campaign__academic_year")
        .annotate(
            need=Sum("need"),
            covered=Sum("covered"),
            shortage=Sum("shortage"),
            schools=Count("school", distinct=True),
        )
        .order_by("submission__campaign__academic_year")
    )
    result = []
    for row in rows:
        percent = 100.0 * row["covered"] / row["need"] if row["need"] else None
        result.append(
            {
                "year": row["submission__campaign__academic_year"],
                "percent": percent,
                "shortage": row["shortage"],
                "schools": row["schools"],
                "colour": provision_colour(percent),
            }
        )
    return result


# How the summary's table of schools can be ordered: natural order of names; the lowest
# provision first (schools without data last); the largest shortage first.
SCHOOL_ORDERS = (
    ("name", "по названию"),
    ("percent", "сначала низкая обеспеченность"),
    ("shortage", "сначала большая нехватка"),
)


def _ordered(names: list[tuple[int, str]], of_school: dict, order: str) -> list[tuple[int, str]]:
    """The schools (already in natural order) in `order`; ties keep the natural order."""
    if order == "percent":
        return sorted(
            names,
            key=lambda row: (
                (1, 0.0) if row[0] not in of_school else (0, of_school[row[0]].percent or 0.0)
            ),
        )
    if order == "shortage":
        return sorted(
            names,
            key=lambda row: (1, 0) if row[0] not in of_school else (0, -of_school[row[0]].shortage),
        )
    return names


def summary_filters(params) -> tuple[str, str]:
    """The summary's search and order from its GET parameters: `q`, a part of a school's name
    (spaces tidied, at most 100 characters), and `sort`, one of SCHOOL_ORDERS (else "name")."""
    query = " ".join(str(params.get("q") or "").split())[:100]
    order = params.get("sort")
    return query, order if order in dict(SCHOOL_ORDERS) else "name"


def summary_page_key(state: list[tuple], order: str, page, version: str) -> str:
    """Names one page of a summary's tables for storing it (SummaryPage): the order, the page
    number it really shows, the schools' names (a renamed school is a different page) and
    `version`, the text of the templates it is rendered with. The figures are named apart
    (StoredSummary's digest)."""
    import hashlib

    from django.core.paginator import Paginator

    number = Paginator(range(len(state)), SCHOOLS_PER_PAGE).get_page(page).number
    names = "\n".join(f"{row[0]}:{row[5]}" for row in state)
    return hashlib.sha256(f"{version}|{order}|{number}|{names}".encode()).hexdigest()


def summary_page(
    association, year: int, as_of: date, state: list[tuple], filters, page, url_of
) -> dict:
    """What the municipal summary shows of its figures, from stored figures and a fixed number
    of queries whatever the number of schools: the totals (all, by stage, by subject), one page
    of schools with their totals and a school × subject table coloured by provision.
    `state`: provision.summary_state of the association (the schools in natural order);
    `filters`: summary_filters; `page`: the page asked for; `url_of(pk)`: the link to a
    school's provision. The map (`summary_map`) and the years' history are read apart."""
    from urllib.parse import urlencode

    from django.core.paginator import Paginator

    from bibliomo.textbooks import provision

    query, order = filters
    figures = provision.summary(year, as_of, state=state, association_id=association.pk)
    of_school = {t.key[0]: t for t in figures.by_school}
    names = [(row[0], row[5]) for row in state]
    chosen = names
    if query:
        needle = query.casefold()
        chosen = [row for row in names if needle in row[1].casefold()]
    paged = Paginator(_ordered(chosen, of_school, order), SCHOOLS_PER_PAGE).get_page(page)
    on_page = [pk for pk, _ in paged.object_list]
    cells = {t.key: t for t in provision.school_subjects(figures, on_page)}
    subjects = [t.key[0] for t in figures.by_subject]
    rows = []
    for pk, name in paged.object_list:
        total = of_school.get(pk)
        row_cells = []
        for subject in subjects:
            cell = cells.get((pk, subject))
            percent = cell.percent if cell else None
            row_cells.append({"subject": subject, "total": cell, "tint": provision_tint(percent)})
        rows.append(
            {
                "pk": pk,
                "name": name,
                "url": url_of(pk),
                "total": total,
                "colour": provision_colour(total.percent if total else None),
                "cells": row_cells,
            }
        )
    kept = {"year": ru.format_academic_year(year), "q": query, "sort": order}
    return {
        "year": year,
        "as_of": as_of,
        "total": figures.total,
        "by_stage": figures.by_stage,
        "by_subject": [(t.key[0], t, provision_colour(t.percent)) for t in figures.by_subject],
        "subjects": subjects,
        "rows": rows,
        "page": paged,
        "page_query": urlencode({k: v for k, v in kept.items() if v and v != "name"}) + "&",
        "query": query,
        "sort": order,
        "orders": SCHOOL_ORDERS,
        "found": len(chosen),
        "schools": len(names),
    }


def summary_map_key(association, state: list[tuple], kind: str, version: str) -> str:
    """Names the summary's map (`kind` "json" or "svg") for storing it with its totals: the
    schools' names and every building's place (one sum over them), and `version`, the text
    of the templates. The figures are named apart (StoredSummary's digest)."""
    import hashlib

    from django.db.models import Count, F, Max, Sum

    from bibliomo.directory.models import Building

    places = Building.objects.filter(school__association=association).aggregate(
        count=Count("pk"),
        last=Max("pk"),
        lat=Sum("latitude"),
        lon=Sum("longitude"),
        # a building moved to where another one was changes these too
        weighted=Sum(F("latitude") * F("pk") + F("longitude") * F("school_id")),
    )
    names = "\n".join(f"{row[0]}:{row[5]}" for row in state)
    text = f"map|{kind}|{version}|{sorted(places.items())}|{names}"
    return hashlib.sha256(text.encode()).hexdigest()


def summary_map(association, year: int, as_of: date, state: list[tuple], url_of) -> dict:
    """The summary's map apart from its page: every school building with coordinates coloured
    by the school's provision (`provision_map_points`), as the Leaflet map's plain points and
    as the drawing shown when the map cannot load. `state`: provision.summary_state."""
    from bibliomo.textbooks import provision

    figures = provision.summary(year, as_of, state=state, association_id=association.pk)
    of_school = {t.key[0]: t for t in figures.by_school}
    drawing = provision_map_points(
        association,
        {pk: t.percent for pk, t in of_school.items()},
        {pk: t.shortage for pk, t in of_school.items()},
        url_of,
    )
    return {"map": drawing, "points": leaflet_points(drawing["points"])}

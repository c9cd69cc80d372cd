"""Reads of textbook data: a school's current data, alerts, the campaign dashboard."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Sum

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


def usable_copies(school_id: int, entry_id: int) -> int:
    """Usable copies of one title in a school's holdings, every purchase year together."""
    return sum(h.usable for h in Holding.objects.filter(school_id=school_id, entry_id=entry_id))

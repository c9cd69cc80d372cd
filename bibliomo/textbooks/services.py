"""Every write about textbooks: the federal list, a school's data, campaigns and submissions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person, School
from bibliomo.lib.fpu import FpuEntry
from bibliomo.lib.provision_changes import changes, data_version
from bibliomo.lib.provision_workbook import (
    EnrolmentRow,
    HoldingRow,
    LineRow,
    WorkbookData,
    WriteOffRow,
)
from bibliomo.textbooks import catalogue_services, selectors
from bibliomo.textbooks.catalogue_services import CataloguePreview
from bibliomo.textbooks.models import (
    Campaign,
    CatalogEntry,
    Enrolment,
    Holding,
    Submission,
    TextbookLine,
    WriteOff,
)

# --- The federal list ------------------------------------------------------------------------


def provision_refresh() -> int:
    """Bring the stored provision totals up to date ahead of the readers, after a change of
    many schools' data (a federal list loaded, a mass import): for every association, the
    totals its summary opens on — its newest campaign's academic year and date — computed in
    one statement for all its schools whose data changed since, and added up. Returns how
    many schools were computed. Nothing a person sees changes: these are the figures the
    summary would otherwise compute on its next view (`bibliomo provision`'s figures)."""
    from bibliomo.textbooks import provision

    newest: dict[int, tuple[int, date]] = {}
    for association, year, as_of in Campaign.objects.order_by(
        "association_id", "-academic_year", "-created_at"
    ).values_list("association_id", "academic_year", "as_of"):
        newest.setdefault(association, (year, as_of))
    computed = 0
    for association, (year, as_of) in sorted(newest.items()):
        computed += provision.keep_fresh(year, as_of, association_id=association)
        provision.summary(year, as_of, association_id=association)  # and their sums
    return computed


def catalogue_import(actor: Person | None, entries: Sequence[FpuEntry]) -> CataloguePreview:
    """Load `entries` as a complete new list (the demo and set-ups built in code).

    People load files through `catalogue_services`: a preview first, then a confirmation.
    """
    return catalogue_services.catalogue_import(actor, entries, full_list=True)


@transaction.atomic
def catalogue_set_limit_date(actor: Person, entry: CatalogEntry, limit: date) -> CatalogEntry:
    if entry.status != CatalogEntry.Status.EXCLUDED:
        raise DomainError("Предельный срок указывают только для исключённых учебников.")
    before = audit.snapshot(entry, ["limit_date"])
    entry.limit_date = limit
    entry.save(update_fields=["limit_date"])
    audit.record(actor, entry, AuditEntry.Action.UPDATED, audit.diff(entry, before))
    return entry


# --- A school's data -------------------------------------------------------------------------


def _entries(codes: Iterable[str]) -> dict[str, CatalogEntry]:
    found = {e.code: e for e in CatalogEntry.objects.filter(code__in=set(codes))}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise DomainError(f"Нет в федеральном перечне: {', '.join(missing[:5])}.")
    return found


def _record(actor, school: School, part: str, before: dict, after: dict) -> None:
    """One journal line per part, with every changed row as «key: old → new»."""
    changes = {
        f"{part}: {key}": [before.get(key, "—"), after.get(key, "—")]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
    if changes:
        audit.record(actor, school, AuditEntry.Action.UPDATED, changes)


def _buildings(school: School) -> dict[str, int]:
    return {b.name: b.pk for b in school.buildings.all()}


@transaction.atomic
def enrolment_replace(actor, school: School, year: int, rows: Sequence[EnrolmentRow]) -> None:
    buildings = _buildings(school)
    keys = set()
    for row in rows:
        if row.building and row.building not in buildings:
            raise DomainError(f"У школы нет здания «{row.building}».")
        key = (row.grade, row.building)
        if key in keys:
            raise DomainError(f"{row.grade} класс указан дважды.")
        keys.add(key)
        if not 1 <= row.grade <= 11 or row.pupils < 0 or row.classes < 0:
            raise DomainError("Класс — от 1 до 11, числа — не отрицательные.")
    current = Enrolment.objects.filter(school=school, academic_year=year).select_related("building")
    before = {
        f"{e.grade} кл. {e.building.name if e.building else ''}".strip(): e.pupils for e in current
    }
    current.delete()
    Enrolment.objects.bulk_create(
        Enrolment(
            school=school,
            academic_year=year,
            grade=row.grade,
            pupils=row.pupils,
            classes=row.classes,
            building_id=buildings.get(row.building),
        )
        for row in rows
    )
    after = {f"{r.grade} кл. {r.building}".strip(): r.pupils for r in rows}
    _record(actor, school, "Контингент", before, after)


@transaction.atomic
def lines_replace(actor, school: School, year: int, rows: Sequence[LineRow]) -> None:
    entries = _entries(row.code for row in rows)
    keys = set()
    for row in rows:
        entry = entries[row.code]
        if (row.grade, row.code) in keys:
            raise DomainError(f"Учебник {row.code} для {row.grade} класса указан дважды.")
        keys.add((row.grade, row.code))
        if not entry.grade_from <= row.grade <= entry.grade_to:
            raise DomainError(
                f"Учебник {row.code} — для {entry.grades} класса, а указан {row.grade} класс."
            )
    current = TextbookLine.objects.filter(school=school, academic_year=year).select_related("entry")
    before = {f"{line.grade} кл. {line.entry.code}": line.pupils for line in current}
    current.delete()
    TextbookLine.objects.bulk_create(
        TextbookLine(
            school=school,
            academic_year=year,
            grade=row.grade,
            entry=entries[row.code],
            pupils=row.pupils,
        )
        for row in rows
    )
    _record(actor, school, "УМК", before, {f"{r.grade} кл. {r.code}": r.pupils for r in rows})


@transaction.atomic
def holdings_replace(actor, school: School, rows: Sequence[HoldingRow]) -> None:
    entries = _entries(row.code for row in rows)
    keys = set()
    for row in rows:
        if (row.code, row.purchase_year) in keys:
            raise DomainError(f"Учебник {row.code} ({row.purchase_year}) указан дважды.")
        keys.add((row.code, row.purchase_year))
        if row.damaged + row.lost > row.copies:
            raise DomainError(f"{row.code}: испорченных и утерянных больше, чем экземпляров.")
    current = Holding.objects.filter(school=school).select_related("entry")
    before = {f"{h.entry.code} ({h.purchase_year})": h.copies - h.damaged - h.lost for h in current}
    current.delete()
    Holding.objects.bulk_create(
        Holding(
            school=school,
            entry=entries[row.code],
            purchase_year=row.purchase_year,
            copies=row.copies,
            damaged=row.damaged,
            lost=row.lost,
        )
        for row in rows
    )
    after = {f"{r.code} ({r.purchase_year})": r.copies - r.damaged - r.lost for r in rows}
    _record(actor, school, "Фонд", before, after)


# --- Copies moving between schools (the exchange calls these) --------------------------------

CHANGED = "Фонд изменился — уточните данные."


class _Fund:
    """A school's holdings of some titles, locked, changed in memory and saved at once: the
    changed rows in one statement, the new ones in another, and one journal line for the
    school with the usable copies of every changed title and purchase year, old → new."""

    def __init__(self, school: School, entries: Iterable[CatalogEntry]):
        self.school = school
        self.entries = {entry.pk: entry for entry in entries}
        rows = Holding.objects.select_for_update().filter(school=school, entry_id__in=self.entries)
        self.rows = {(row.entry_id, row.purchase_year): row for row in rows}
        self.before = {key: (row.copies, row.damaged, row.usable) for key, row in self.rows.items()}

    def newest_first(self, entry: CatalogEntry) -> list[Holding]:
        rows = [row for (entry_id, _), row in self.rows.items() if entry_id == entry.pk]
        return sorted(rows, key=lambda row: row.purchase_year, reverse=True)

    def row(self, entry: CatalogEntry, year: int) -> Holding | None:
        return self.rows.get((entry.pk, year))

    def row_or_new(self, entry: CatalogEntry, year: int) -> Holding:
        key = (entry.pk, year)
        if key not in self.rows:
            self.rows[key] = Holding(school=self.school, entry=entry, purchase_year=year, copies=0)
            self.before[key] = (0, 0, 0)
        return self.rows[key]

    def save(self, actor, fields: list[str], comment: str) -> None:
        changed = {
            key: row
            for key, row in self.rows.items()
            if (row.copies, row.damaged) != self.before[key][:2]
        }
        Holding.objects.bulk_update([row for row in changed.values() if row.pk], fields)
        Holding.objects.bulk_create([row for row in changed.values() if not row.pk])
        lines = {
            f"Фонд: {self.entries[row.entry_id].code} ({row.purchase_year})": [
                self.before[key][2],
                row.usable,
            ]
            for key, row in changed.items()
            if row.usable != self.before[key][2]
        }
        if lines:
            changes = dict(sorted(lines.items()))
            audit.record(actor, self.school, AuditEntry.Action.UPDATED, changes, comment=comment)


@transaction.atomic
def holdings_take(
    actor,
    school: School,
    counts: Sequence[tuple[CatalogEntry, int]],
    *,
    comment: str = "",
    changed: str = CHANGED,
) -> dict[int, list[tuple[int, int]]]:
    """Take copies of titles out of a school's holdings, of each title the newest purchase
    first; returns {title id: [(purchase year, copies taken)]}. A title short of copies →
    `DomainError` naming the first such, nothing taken (`changed` ends the message)."""
    fund = _Fund(school, (entry for entry, _ in counts))
    taken: dict[int, list[tuple[int, int]]] = {}
    for entry, count in counts:
        parts = taken.setdefault(entry.pk, [])
        for row in fund.newest_first(entry):
            part = min(row.usable, count)
            if part:
                row.copies -= part
                parts.append((row.purchase_year, part))
                count -= part
        if count:
            raise DomainError(
                f"{entry.code}: в фонде школы «{school.short_name}» не хватает {count} годных экз. "
                + changed
            )
    fund.save(actor, ["copies"], comment)
    return taken


@transaction.atomic
def holdings_take_years(
    actor,
    school: School,
    parts: Sequence[tuple[CatalogEntry, int, int, int]],
    *,
    comment: str = "",
) -> list[int]:
    """Take copies of given purchase years back out of a school's holdings: each part is
    (title, year, copies, at most this many of them spoiled); the school's own spoiled and lost
    copies stay on record. Returns how many spoiled copies left, part by part. A part the
    holdings cannot give → `DomainError`, nothing taken."""
    fund = _Fund(school, (entry for entry, *_ in parts))
    hurts = []
    for entry, year, copies, damaged in parts:
        row = fund.row(entry, year)
        hurt = min(damaged, copies, row.damaged) if row is not None else 0
        if row is None or row.copies - copies < row.damaged - hurt + row.lost:
            raise DomainError(
                f"{entry.code}: в фонде школы «{school.short_name}» нет "
                f"{copies} экз. {year} года — фонд изменился, уточните данные."
            )
        row.copies -= copies
        row.damaged -= hurt
        hurts.append(hurt)
    fund.save(actor, ["copies", "damaged"], comment)
    return hurts


@transaction.atomic
def holdings_put(
    actor,
    school: School,
    parts: Sequence[tuple[CatalogEntry, int, int, int]],
    *,
    comment: str = "",
) -> None:
    """Add copies to a school's holdings: each part is (title, purchase year, copies, how many
    of them spoiled)."""
    fund = _Fund(school, (entry for entry, *_ in parts))
    for entry, year, copies, damaged in parts:
        row = fund.row_or_new(entry, year)
        row.copies += copies
        row.damaged += damaged
    fund.save(actor, ["copies", "damaged"], comment)


@transaction.atomic
def write_offs_replace(actor, school: School, rows: Sequence[WriteOffRow]) -> None:
    entries = _entries(row.code for row in rows)
    current = WriteOff.objects.filter(school=school).select_related("entry")
    before = {f"акт {w.act_number} {w.entry.code}": w.copies for w in current}
    current.delete()
    WriteOff.objects.bulk_create(
        WriteOff(
            school=school,
            entry=entries[row.code],
            copies=row.copies,
            reason=row.reason,
            act_number=row.act_number,
            act_date=row.act_date,
        )
        for row in rows
    )
    _record(
        actor, school, "Списание", before, {f"акт {r.act_number} {r.code}": r.copies for r in rows}
    )


# --- Campaigns -------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    actor: Person,
    association: Association,
    *,
    name: str,
    academic_year: int,
    as_of: date,
    deadline: date,
) -> Campaign:
    if deadline < as_of:
        raise DomainError(
            "Срок сдачи не может быть раньше даты, на которую собираются данные.", field="deadline"
        )
    campaign = Campaign.objects.create(
        association=association,
        name=name.strip(),
        academic_year=academic_year,
        as_of=as_of,
        deadline=deadline,
    )
    Submission.objects.bulk_create(
        Submission(campaign=campaign, school=school)
        for school in association.schools.filter(is_active=True)
    )
    audit.record(actor, campaign, AuditEntry.Action.CREATED)
    return campaign


def _editable(submission: Submission) -> None:
    if not submission.editable:
        raise DomainError(
            "Отчёт уже сдан: изменить данные можно, когда методист вернёт его на доработку."
        )


@transaction.atomic
def submission_save(
    actor: Person | None,
    submission: Submission,
    *,
    enrolment=None,
    lines=None,
    holdings=None,
    write_offs=None,
) -> Submission:
    """Save the parts given (from web forms or an uploaded workbook), all or nothing."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _editable(submission)
    school, year = submission.school, submission.campaign.academic_year
    if enrolment is not None:
        enrolment_replace(actor, school, year, enrolment)
    if lines is not None:
        lines_replace(actor, school, year, lines)
    if holdings is not None:
        holdings_replace(actor, school, holdings)
    if write_offs is not None:
        write_offs_replace(actor, school, write_offs)
    if submission.status == Submission.Status.NOT_STARTED:
        submission.status = Submission.Status.FILLING
        submission.save(update_fields=["status"])
    return submission


class NewerDataError(DomainError):
    """The school's data changed after the uploaded template was made, and the upload would
    overwrite it: `changes` lists what would change, `version` is the data's current version
    that a confirmation must name."""

    def __init__(self, changes: list[str], version: str) -> None:
        super().__init__(
            "После того как этот шаблон был скачан, данные школы изменили (например, в "
            "веб-форме). Загрузка файла заменит их — проверьте, что изменится, и подтвердите."
        )
        self.changes = changes
        self.version = version


@transaction.atomic
def submission_upload(
    actor: Person | None, submission: Submission, data: WorkbookData, *, overwrite_version: str = ""
) -> list[str]:
    """Save the data of an uploaded template (every part) and return what changed.

    A template carries the version of the data it was made from. When the data has changed
    since and the upload would change it, nothing is saved and NewerDataError lists what
    would be overwritten — unless `overwrite_version` names the data's current version, which
    is how a person confirms having seen that list (a newer edit still needs a new look).
    """
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _editable(submission)
    before = selectors.school_rows(submission.school, submission.campaign.academic_year)
    current = data_version(before)
    after = (data.enrolment, data.lines, data.holdings, data.write_offs)
    diff = changes(before, after)
    stale = bool(data.data_version) and data.data_version != current
    if stale and diff and overwrite_version != current:
        raise NewerDataError(diff, current)
    submission_save(
        actor,
        submission,
        enrolment=data.enrolment,
        lines=data.lines,
        holdings=data.holdings,
        write_offs=data.write_offs,
    )
    return diff


@transaction.atomic
def submission_save_subject_fund(
    actor: Person, submission: Submission, subject: str, rows: Sequence[HoldingRow]
) -> Submission:
    """Replace the fund of one subject (the web form edits a subject at a time): the holdings
    of other subjects stay as they are. Every row must be a textbook of that subject."""
    entries = _entries(row.code for row in rows)
    for row in rows:
        if entries[row.code].subject != subject:
            raise DomainError(f"Учебник {row.code} — не по предмету «{subject}».")
    others = [
        HoldingRow(h.entry.code, h.purchase_year, h.copies, h.damaged, h.lost)
        for h in Holding.objects.filter(school=submission.school)
        .exclude(entry__subject=subject)
        .select_related("entry")
    ]
    return submission_save(actor, submission, holdings=[*others, *rows])


@transaction.atomic
def submission_submit(
    actor: Person, submission: Submission, *, confirm_warnings: bool = True
) -> Submission:
    """Hand the report in. Plausibility warnings (selectors.plausibility_warnings) do not stop
    it, but a person must confirm them: the web page passes `confirm_warnings` from its «данные
    верны» box and is refused without it. Callers that are not a person answering the page
    (demo, commands) submit as confirmed. The warnings are kept on the report for the
    methodist to see."""
    from bibliomo.textbooks.selectors import plausibility_warnings

    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _editable(submission)
    year = submission.campaign.academic_year
    if not Enrolment.objects.filter(school=submission.school, academic_year=year).exists():
        raise DomainError("Заполните контингент: без него обеспеченность не посчитать.")
    if not TextbookLine.objects.filter(school=submission.school, academic_year=year).exists():
        raise DomainError("Укажите учебники, по которым учатся классы (лист «УМК»).")
    warnings = plausibility_warnings(submission)
    if warnings and not confirm_warnings:
        raise DomainError(
            "Проверьте предупреждения и подтвердите, что данные верны.", field="confirm"
        )
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = actor
    submission.warnings = warnings
    submission.save(update_fields=["status", "submitted_at", "submitted_by", "warnings"])
    audit.record(actor, submission, AuditEntry.Action.UPDATED, comment="Отчёт сдан")
    return submission


@transaction.atomic
def submission_decide(actor: Person, submission: Submission, accept: bool, comment: str = ""):
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != Submission.Status.SUBMITTED:
        raise DomainError("Принять или вернуть можно только сданный отчёт.")
    if not accept and not comment.strip():
        raise DomainError("Напишите, что исправить.", field="comment")
    submission.status = Submission.Status.ACCEPTED if accept else Submission.Status.RETURNED
    submission.comment = "" if accept else comment.strip()
    submission.decided_at = timezone.now()
    submission.decided_by = actor
    submission.save(update_fields=["status", "comment", "decided_at", "decided_by"])
    if accept:
        submission_freeze(submission)
    audit.record(
        actor,
        submission,
        AuditEntry.Action.UPDATED,
        comment="Принят" if accept else f"Возвращён: {comment[:200]}",
    )
    return submission


def snapshot_rows(school: School, campaign: Campaign) -> dict:
    """What a report says as of its campaign date: enrolment and lines of the campaign's year,
    the copies bought no later than the campaign's year, write-offs dated on or before it."""
    year, as_of = campaign.academic_year, campaign.as_of
    enrolment = Enrolment.objects.filter(school=school, academic_year=year).select_related(
        "building"
    )
    lines = TextbookLine.objects.filter(school=school, academic_year=year).select_related("entry")
    holdings = Holding.objects.filter(school=school, purchase_year__lte=as_of.year).select_related(
        "entry"
    )
    write_offs = WriteOff.objects.filter(school=school, act_date__lte=as_of).select_related("entry")
    return {
        "as_of": as_of.isoformat(),
        "enrolment": [
            [e.grade, e.pupils, e.classes, e.building.name if e.building else ""]
            for e in enrolment.order_by("grade", "building__name")
        ],
        "lines": [
            [x.grade, x.entry.code, x.pupils] for x in lines.order_by("grade", "entry__code")
        ],
        "holdings": [
            [h.entry.code, h.purchase_year, h.copies, h.damaged, h.lost]
            for h in holdings.order_by("entry__code", "purchase_year")
        ],
        "write_offs": [
            [w.entry.code, w.copies, w.reason, w.act_number, w.act_date.isoformat()]
            for w in write_offs.order_by("act_date", "act_number", "entry__code")
        ],
    }


@transaction.atomic
def submission_freeze(submission: Submission) -> Submission:
    """Freeze an accepted report: store what it said (snapshot) and its provision lines as
    computed now, so its figures never change whatever the school uploads later. Called by
    submission_decide on acceptance; freezing again replaces the stored figures."""
    from bibliomo.textbooks import provision
    from bibliomo.textbooks.models import FrozenGrade, FrozenTotal, ProvisionLine

    campaign = submission.campaign
    school = submission.school
    year, as_of = campaign.academic_year, campaign.as_of
    ProvisionLine.objects.filter(submission=submission).delete()
    FrozenGrade.objects.filter(submission=submission).delete()
    FrozenTotal.objects.filter(submission=submission).delete()
    ProvisionLine.objects.bulk_create(
        ProvisionLine(
            submission=submission,
            school=school,
            academic_year=year,
            grade=line.grade,
            entry_id=line.entry_id,
            subject=line.subject,
            pupils=line.pupils,
            copies=line.copies,
        )
        for line in provision.lines(year, as_of, live=True, school_id=school.pk)
    )
    grades: dict[int, list[int]] = {}
    for row in Enrolment.objects.filter(school=school, academic_year=year):
        pupils, classes = grades.setdefault(row.grade, [0, 0])
        grades[row.grade] = [pupils + row.pupils, classes + row.classes]
    FrozenGrade.objects.bulk_create(
        FrozenGrade(submission=submission, school=school, grade=g, pupils=p, classes=c)
        for g, (p, c) in sorted(grades.items())
    )
    FrozenTotal.objects.bulk_create(
        FrozenTotal(
            submission=submission,
            school=school,
            kind=row.kind,
            key=row.key,
            need=row.need,
            covered=row.covered,
            shortage=row.shortage,
            surplus=row.surplus,
            copies=row.copies,
            lines=row.lines,
            pupils=row.pupils,
        )
        for row in provision.school_rows(year, as_of, [school.pk])
    )
    submission.snapshot = snapshot_rows(school, campaign)
    submission.frozen_at = timezone.now()
    submission.save(update_fields=["snapshot", "frozen_at"])
    return submission


@transaction.atomic
def campaign_remind_late(actor: Person, campaign: Campaign) -> int:
    """E-mail the librarians of schools that have not handed their report in, each letter with
    the link to the school's report; returns how many schools were reminded."""
    from bibliomo.textbooks.selectors import late_recipients

    sent = 0
    for submission, people in late_recipients(campaign):
        emails = [p.email for p in people]
        link = settings.SITE_URL + reverse("textbooks:submission", args=[submission.pk])
        letter_send(
            "campaign_reminder",
            emails,
            {"campaign": campaign, "submission": submission, "link": link},
        )
        submission.reminded_at = timezone.now()
        submission.save(update_fields=["reminded_at"])
        sent += 1
    audit.record(actor, campaign, AuditEntry.Action.UPDATED, comment=f"Напоминания: {sent}")
    return sent

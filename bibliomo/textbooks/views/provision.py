"""Provision pages: a school's table, the municipal summary with charts and map, exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from bibliomo.core.params import academic_year_param
from bibliomo.core.responses import attachment
from bibliomo.directory.access import require_association, require_perm
from bibliomo.directory.models import School
from bibliomo.lib import ru
from bibliomo.textbooks import exports, provision, selectors
from bibliomo.textbooks.models import Campaign
from bibliomo.textbooks.report_files import XLSX


def _period(request, association):
    """The academic year shown and the "as of" date: the year's campaign, else today."""
    year = academic_year_param(request.GET.get("year"))
    campaign = Campaign.objects.filter(association=association).order_by("-academic_year").first()
    if year is None:
        year = campaign.academic_year if campaign else ru.academic_year_start(timezone.localdate())
    chosen = Campaign.objects.filter(association=association, academic_year=year).first()
    return year, (chosen.as_of if chosen else timezone.localdate())


def _whole(value) -> int | None:
    return None if value is None else int(value)


def _colour(percent) -> str:
    if percent is None:
        return "#9aa4b1"
    if percent >= 100:
        return "#1d6b3a"
    if percent >= 95:
        return "#7aa33b"
    if percent >= 85:
        return "#d08a00"
    return "#a32020"


@login_required
def school_provision(request, school_pk: int):
    association = require_association(request)
    school = get_object_or_404(School, association=association, pk=school_pk)
    require_perm(request, "textbooks.view_school_data", school)
    year, as_of = _period(request, association)
    lines = provision.lines(year, as_of, school_id=school.pk)
    if request.GET.get("format") == "xlsx":
        heading = exports.Heading.of(
            f"Обеспеченность учебниками: {school.short_name}",
            association,
            year,
            as_of,
            request.user,
        )
        data = exports.provision_xlsx(
            year, as_of, {school.pk: school.short_name}, heading, school_id=school.pk
        )
        return attachment(data, XLSX, f"provision-{year}-school-{school.pk}.xlsx")
    grades = provision.totals(year, as_of, "grade", school_id=school.pk)
    total = provision.totals(year, as_of, "all", school_id=school.pk)
    frozen = selectors.frozen_submission(school, year)
    return render(
        request,
        "textbooks/school_provision.html",
        {
            "school": school,
            "year": year,
            "as_of": as_of,
            "lines": lines,
            "grades": grades,
            "total": total[0] if total else None,
            "alerts": selectors.alerts(school, year, as_of),
            "frozen": frozen,
        },
    )


@login_required
def summary(request):
    association = require_association(request)
    require_perm(request, "textbooks.view_summary", association)
    year, as_of = _period(request, association)
    scope = {"association_id": association.pk}
    schools = {
        s.pk: s
        for s in School.objects.filter(association=association).prefetch_related("buildings")
    }
    export = request.GET.get("format")
    if export == "xlsx":
        heading = exports.Heading.of(
            f"Обеспеченность учебниками: {association.short_name}",
            association,
            year,
            as_of,
            request.user,
        )
        data = exports.provision_xlsx(
            year, as_of, {pk: s.short_name for pk, s in schools.items()}, heading, **scope
        )
        return attachment(data, XLSX, f"provision-{year}.xlsx")
    if export == "regional":
        heading = exports.Heading.of(
            f"Потребность в учебниках: {association.short_name}",
            association,
            year,
            as_of,
            request.user,
        )
        return attachment(
            exports.regional_form_xlsx(year, as_of, association, heading),
            XLSX,
            f"regional-form-{year}.xlsx",
        )
    if export:
        raise Http404
    figures = provision.summary(year, as_of, **scope)
    by_school = sorted(
        (t for t in figures.by_school if t.key[0] in schools),
        key=lambda t: ru.natural_key(schools[t.key[0]].short_name),
    )
    by_subject = figures.by_subject
    # One reverse() for every row (a hundred url tags cost more than the figures' query).
    pattern = reverse("textbooks:school_provision", args=[0]).rsplit("/0/", 1)

    def school_url(pk: int) -> str:
        return f"{pattern[0]}/{pk}/{pattern[1]}?year={ru.format_academic_year(year)}"

    points, map_points = [], []
    buildings = [b for s in schools.values() for b in s.buildings.all() if b.has_coordinates]
    if buildings:
        lats = [float(b.latitude) for b in buildings]
        lons = [float(b.longitude) for b in buildings]
        span_lat, span_lon = (max(lats) - min(lats)) or 1, (max(lons) - min(lons)) or 1
        percent_of = {t.key[0]: t.percent for t in by_school}
        shortage_of = {t.key[0]: t.shortage for t in by_school}
        for b in buildings:
            percent = percent_of.get(b.school_id)
            points.append(
                {
                    "x": 20 + 560 * (float(b.longitude) - min(lons)) / span_lon,
                    "y": 20 + 360 * (max(lats) - float(b.latitude)) / span_lat,
                    "colour": _colour(percent),
                    "school": schools[b.school_id],
                    "url": school_url(b.school_id),
                    "percent": percent,
                }
            )
            # The plain point of the Leaflet map (includes/school_map.html).
            map_points.append(
                {
                    "id": b.pk,
                    "name": schools[b.school_id].short_name,
                    "lat": float(b.latitude),
                    "lon": float(b.longitude),
                    "provision": None if percent is None else float(percent),
                    "shortage": _whole(shortage_of.get(b.school_id)),
                    "url": school_url(b.school_id),
                }
            )
    return render(
        request,
        "textbooks/summary.html",
        {
            "year": year,
            "as_of": as_of,
            "total": figures.total,
            "by_school": [
                (schools.get(t.key[0]), t, _colour(t.percent), school_url(t.key[0]))
                for t in by_school
            ],
            "by_subject": [(t.key[0], t, _colour(t.percent)) for t in by_subject],
            "by_stage": figures.by_stage,
            "points": points,
            "map_points": map_points,
        },
    )

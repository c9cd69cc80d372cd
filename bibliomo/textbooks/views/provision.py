"""Provision pages: a school's table, the municipal summary with charts and map, exports."""

from __future__ import annotations

import functools
import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import engines
from django.template.loader import render_to_string
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
    # The campaigns' years and dates, newest first (a few rows; one query).
    dates = list(
        Campaign.objects.filter(association=association)
        .order_by("-academic_year", "-created_at")
        .values_list("academic_year", "as_of")
    )
    if year is None:
        year = dates[0][0] if dates else ru.academic_year_start(timezone.localdate())
    chosen = [as_of for campaign_year, as_of in dates if campaign_year == year]
    return year, (chosen[0] if chosen else timezone.localdate())


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
    export = request.GET.get("format")
    if export == "xlsx":
        names = dict(School.objects.filter(association=association).values_list("pk", "short_name"))
        heading = exports.Heading.of(
            f"Обеспеченность учебниками: {association.short_name}",
            association,
            year,
            as_of,
            request.user,
        )
        data = exports.provision_xlsx(year, as_of, names, heading, **scope)
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
    label = ru.format_academic_year(year)
    return render(
        request,
        "textbooks/summary.html",
        {
            "year": year,
            "as_of": as_of,
            "parts": _summary_parts(request, association, year, as_of),
            "history": selectors.provision_history(association, year),
            "bands": [(colour, text) for _least, colour, _tint, text in selectors.BANDS],
            "no_data_colour": selectors.NO_DATA_COLOUR,
            "map_url": f"{reverse('textbooks:summary_map')}?year={label}",
            "drawing_url": f"{reverse('textbooks:summary_drawing')}?year={label}",
        },
    )


# The parts of the summary page made from its figures, rendered once for a state of the
# schools and stored with their totals (SummaryPage); a search is rendered each time.
SUMMARY_PARTS = {
    "totals": "textbooks/_summary_totals.html",
    "subjects": "textbooks/_summary_subjects.html",
    "schools": "textbooks/_summary_schools.html",
}


@functools.cache
def _parts_version() -> str:
    """The text of the parts' templates: a changed template is a different stored page."""
    sources = [
        engines["django"].engine.get_template(name).source  # type: ignore[attr-defined]
        for name in (
            *SUMMARY_PARTS.values(),
            "textbooks/_summary_pages.html",
            "textbooks/_map_drawing.html",
        )
    ]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:16]


def _summary_parts(request, association, year: int, as_of) -> dict[str, str]:
    state = provision.summary_state(year, as_of, association_id=association.pk)
    filters = selectors.summary_filters(request.GET)
    page = request.GET.get("page")
    key = None
    if not filters[0]:
        key = selectors.summary_page_key(state, filters[1], page, _parts_version())
        stored = provision.stored_page(year, as_of, state, key, association_id=association.pk)
        if stored is not None:
            return stored
    found = selectors.summary_page(
        association, year, as_of, state, filters, page, _school_url(year)
    )
    parts = {name: str(render_to_string(path, found)) for name, path in SUMMARY_PARTS.items()}
    if key is not None:
        provision.keep_page(year, as_of, state, key, parts, association_id=association.pk)
    return parts


def _school_url(year: int):
    """The link to a school's provision in `year`: one reverse() for every row (a hundred url
    tags cost more than the figures' query)."""
    pattern = reverse("textbooks:school_provision", args=[0]).rsplit("/0/", 1)
    label = ru.format_academic_year(year)

    def school_url(pk: int) -> str:
        return f"{pattern[0]}/{pk}/{pattern[1]}?year={label}"

    return school_url


@login_required
def summary_map(request, kind: str):
    """The summary's map, loaded by the page apart from it: the Leaflet map's points (JSON)
    or the drawing shown when the map cannot load (SVG)."""
    association = require_association(request)
    require_perm(request, "textbooks.view_summary", association)
    year, as_of = _period(request, association)
    state = provision.summary_state(year, as_of, association_id=association.pk)
    key = selectors.summary_map_key(association, state, kind, _parts_version())
    stored = provision.stored_page(year, as_of, state, key, association_id=association.pk)
    if stored is None:
        found = selectors.summary_map(association, year, as_of, state, _school_url(year))
        if kind == "svg":
            body = str(render_to_string("textbooks/_map_drawing.html", {"map": found["map"]}))
        else:
            body = json.dumps({"points": found["points"]}, ensure_ascii=False)
        stored = {"body": body}
        provision.keep_page(year, as_of, state, key, stored, association_id=association.pk)
    if kind == "svg":
        return HttpResponse(stored["body"], content_type="image/svg+xml; charset=utf-8")
    return HttpResponse(stored["body"], content_type="application/json")

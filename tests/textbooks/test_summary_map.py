"""The provision summary's map (issue 18): a data island of plain points for the Leaflet map,
the drawing inside it as the fallback, and a policy that lets only the map tiles in."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _island(body: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body)
    return json.loads(found.group(1))


def test_the_summary_map_reads_plain_points(cast, login, filled):
    response = login(cast.methodist).get(reverse("textbooks:summary"))
    body = response.content.decode()
    points = {point["name"]: point for point in _island(body, "summary-map-points")}
    assert set(points) == {cast.school_a.short_name, cast.school_b.short_name}
    point = points[cast.school_a.short_name]
    assert set(point) == {"id", "name", "lat", "lon", "provision", "shortage", "url"}
    assert isinstance(point["lat"], float) and isinstance(point["lon"], float)
    assert point["url"].startswith(f"/app/textbooks/schools/{cast.school_a.pk}/")
    assert points[cast.school_b.short_name]["provision"] is None  # no data: grey, no number
    # The drawing stays inside the map's box for when Leaflet or the tiles cannot load.
    box = body[body.index('<div class="school-map" id="summary-map"') :]
    assert box.index('class="school-map__fallback"') < box.index("<svg")
    assert "vendor/leaflet/leaflet.js" in body and "bibliomo/school_map.js" in body


def test_the_policy_lets_in_the_map_tiles_and_no_other_images(client):
    policy = client.get("/")["Content-Security-Policy"]
    images = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert images.split() == ["img-src", "'self'", "data:", settings.MAP_TILE_ORIGIN]
    assert settings.MAP_TILE_ORIGIN == "https://tile.openstreetmap.org"
    scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert scripts.split() == ["script-src", "'self'"]

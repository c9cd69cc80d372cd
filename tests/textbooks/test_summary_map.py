"""The provision summary's map (issue 18): a data island of plain points for the Leaflet map,
the drawing inside it as the fallback, and a policy that lets only the map tiles in."""

import json
from html import escape

import pytest
from django.conf import settings
from django.urls import reverse

from bibliomo.lib import ru
from bibliomo.textbooks import provision

pytestmark = pytest.mark.django_db


def test_the_summary_map_loads_its_points_apart_from_the_page(cast, login, filled):
    client = login(cast.methodist)
    body = client.get(reverse("textbooks:summary")).content.decode()
    # The page names where the points and the drawing are; it carries neither.
    box = body[body.index('<div class="school-map" id="summary-map"') :]
    url = reverse("textbooks:summary_map")
    assert box.startswith(f'<div class="school-map" id="summary-map" data-points-url="{url}?year=')
    drawing = reverse("textbooks:summary_drawing")
    fallback = box[box.index('class="school-map__fallback"') :]
    assert fallback.index(f'<img src="{drawing}?year=') < fallback.index("</div>")
    assert 'id="summary-map-points"' not in body and "<circle" not in body
    assert "vendor/leaflet/leaflet.js" in body and "bibliomo/school_map.js" in body
    response = client.get(url, {"year": "2024/2025"})
    assert response["Content-Type"] == "application/json"
    points = {point["name"]: point for point in json.loads(response.content)["points"]}
    assert set(points) == {cast.school_a.short_name, cast.school_b.short_name}
    point = points[cast.school_a.short_name]
    assert set(point) == {"id", "name", "lat", "lon", "provision", "shortage", "url"}
    assert isinstance(point["lat"], float) and isinstance(point["lon"], float)
    # The school's figure computed from its lines (`bibliomo provision`'s).
    (computed,) = provision.totals(
        2024, filled.campaign.as_of, "school", school_id=filled.school_id
    )
    assert point["provision"] == computed.percent and point["shortage"] == computed.shortage
    assert point["url"].startswith(f"/app/textbooks/schools/{cast.school_a.pk}/")
    assert points[cast.school_b.short_name]["provision"] is None  # no data: grey, no number


def test_the_drawing_is_an_image_of_the_same_points(cast, login, filled):
    response = login(cast.methodist).get(reverse("textbooks:summary_drawing"))
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    (computed,) = provision.totals(
        2024, filled.campaign.as_of, "school", school_id=filled.school_id
    )
    said = f"{cast.school_a.short_name}: {ru.format_number(computed.percent, 1)}%"
    assert svg.count("<circle") == 2 and escape(said) in svg
    assert "нет данных" in svg  # school B


@pytest.mark.parametrize("name", ["textbooks:summary_map", "textbooks:summary_drawing"])
def test_the_map_is_the_summarys_readers_only(cast, login, filled, name):
    assert login(cast.librarian_a).get(reverse(name)).status_code == 403
    assert login(cast.director).get(reverse(name)).status_code == 200
    # A year that cannot be read is the current one, as on the page.
    assert login(cast.methodist).get(reverse(name), {"year": "<b>"}).status_code == 200


def test_the_policy_lets_in_the_map_tiles_and_no_other_images(client):
    policy = client.get("/")["Content-Security-Policy"]
    images = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert images.split() == ["img-src", "'self'", "data:", settings.MAP_TILE_ORIGIN]
    assert settings.MAP_TILE_ORIGIN == "https://tile.openstreetmap.org"
    scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert scripts.split() == ["script-src", "'self'"]


def test_the_stored_map_follows_the_figures_and_the_buildings(cast, login, filled):
    from django.db.models import F

    from bibliomo.directory.models import Building
    from bibliomo.textbooks.models import Holding

    client = login(cast.methodist)
    url = reverse("textbooks:summary_map")

    def school_a():
        points = json.loads(client.get(url).content)["points"]
        return next(p for p in points if p["name"] == cast.school_a.short_name)

    before = school_a()
    assert school_a() == before  # read again from what was stored
    Building.objects.filter(school=cast.school_a).update(latitude=F("latitude") + 1)
    assert school_a()["lat"] == pytest.approx(before["lat"] + 1)
    Holding.objects.filter(school=cast.school_a).update(copies=0, damaged=0, lost=0)
    assert school_a()["provision"] == 0.0 and school_a()["shortage"] > before["shortage"]
    svg = client.get(reverse("textbooks:summary_drawing")).content.decode()
    assert escape(f"{cast.school_a.short_name}: 0,0%") in svg

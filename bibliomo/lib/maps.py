"""Schools on a map without a map service: an equirectangular projection of latitude and
longitude onto a picture, the one used by every map of the site (the provision map, the
exchange scheme). Pure Python: places in, the same places with whole x/y out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    """The picture's size in its own units (whole numbers: a localised template would print
    decimals with a comma)."""

    width: int
    height: int


def project(places: Sequence[dict], size: int = 560, margin: int = 20) -> tuple[list[dict], Frame]:
    """Place every dict that has "lat" and "lon" in a picture whose longer side is `size`
    (plus `margin` on every side): north up, a degree of longitude shortened by the cosine of
    the mean latitude so that distances look right. Returns new dicts with "x" and "y" added,
    in the same order, and the picture's frame. A single place sits in the middle."""
    if not places:
        return [], Frame(size + 2 * margin, size + 2 * margin)
    lats = [float(p["lat"]) for p in places]
    lons = [float(p["lon"]) for p in places]
    squeeze = math.cos(math.radians(sum(lats) / len(lats)))
    width = (max(lons) - min(lons)) * squeeze
    height = max(lats) - min(lats)
    scale = size / max(width, height, 1e-6)
    west, north = min(lons), max(lats)
    placed = [
        {
            **p,
            "x": round(margin + (float(p["lon"]) - west) * squeeze * scale),
            "y": round(margin + (north - float(p["lat"])) * scale),
        }
        for p in places
    ]
    frame = Frame(round(width * scale) + 2 * margin, round(height * scale) + 2 * margin)
    return placed, frame

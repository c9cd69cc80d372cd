"""How large a spreadsheet each import takes, from settings (IMPORT_*_MAX_ROWS / _MAX_CELLS)."""

from __future__ import annotations

from django.conf import settings

from bibliomo.lib.spreadsheets import SheetLimits


def import_limits(kind: str) -> SheetLimits:
    """Limits of one import: "monitoring", "fpu" or "attendance"."""
    rows, cells = settings.IMPORT_LIMITS[kind]
    return SheetLimits(max_rows=rows, max_cells=cells)

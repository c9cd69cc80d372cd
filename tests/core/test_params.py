from datetime import date

import pytest

from bibliomo.core import params


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-10", date(2024, 10, 1)),
        ("2024-1", date(2024, 1, 1)),
        (" 2025-12 ", date(2025, 12, 1)),
    ],
)
def test_month(raw, expected):
    assert params.month_param(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, "", "9999-12", "0001-01", "2024-13", "2024-00", "2024", "x-1", "2024-10-01"]
)
def test_month_nobody_means(raw):
    assert params.month_param(raw) is None


def test_ids_and_years():
    assert params.id_param("42") == 42
    for raw in (None, "", "0", "-1", "9" * 23, "1.5", "abc", "١٢"):
        assert params.id_param(raw) is None, raw
    assert params.year_param("2024") == 2024
    for raw in ("0000", "9999", "24", "20245", "２０２４"):
        assert params.year_param(raw) is None, raw
    assert params.academic_year_param("2024/2025") == 2024
    assert params.academic_year_param("0000/0001") is None


def test_text_drops_control_characters():
    assert params.text_param(" учебник\x00 \x07", 100) == "учебник"
    assert params.text_param("Ё" * 300, 200) == "Ё" * 200

"""`bibliomo exchange_solve INSTANCE.json`: the solver from the command line.

No test here is marked for the database: pytest-django refuses any query, so these tests also
prove the command never touches it.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bibliomo.manage import main

INSTANCE = {
    "schools": [
        {"id": "S1", "name": "Гимназия № 1", "lat": 54.90, "lon": 37.40},
        {"id": "S2", "name": "СОШ № 2", "lat": 54.93, "lon": 37.45},
        {"id": "S3", "name": "СОШ № 3", "lat": 54.88, "lon": 37.36},
        {"id": "S4", "name": "Лицей № 4", "lat": 54.95, "lon": 37.38},
    ],
    "titles": [{"id": "T1", "name": "Алгебра, 7 класс"}, {"id": "T2", "name": "Физика, 7 класс"}],
    # The pair S2 → S1 can carry the most; taking it first costs a shipment (see test_solver).
    "surplus": [
        {"school": "S2", "title": "T1", "copies": 4},
        {"school": "S2", "title": "T2", "copies": 2},
        {"school": "S3", "title": "T1", "copies": 6},
        {"school": "S4", "title": "T2", "copies": 5},
    ],
    "shortage": [
        {"school": "S1", "title": "T1", "copies": 5},
        {"school": "S1", "title": "T2", "copies": 3},
        {"school": "S4", "title": "T1", "copies": 3},
    ],
}


def write(tmp_path: Path, data, name: str = "instance.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args) -> dict:
    out = io.StringIO()
    call_command("exchange_solve", *args, "--time-limit", "2", stdout=out)
    return json.loads(out.getvalue())


def test_prints_the_plan_as_json(tmp_path):
    result = run(str(write(tmp_path, INSTANCE)))
    assert set(result) == {
        "transfers",
        "covered",
        "coverable",
        "shipments",
        "km",
        "lower_bound_shipments",
        "seed",
    }
    assert (result["covered"], result["coverable"], result["shipments"]) == (11, 11, 3)
    assert result["lower_bound_shipments"] == 3
    lines = [(t["from"], t["to"], t["title"]) for t in result["transfers"]]
    assert lines == sorted(lines)
    assert sum(t["copies"] for t in result["transfers"]) == 11
    assert result["km"] == round(result["km"], 1) > 0


def test_output_is_readable_russian_json_and_reproducible(tmp_path):
    path = write(tmp_path, INSTANCE)
    first, second = io.StringIO(), io.StringIO()
    call_command("exchange_solve", str(path), "--seed", "5", stdout=first)
    call_command("exchange_solve", str(path), "--seed", "5", stdout=second)
    assert first.getvalue() == second.getvalue()
    assert first.getvalue().startswith('{\n  "transfers": [\n    {\n      "from"')
    assert json.loads(first.getvalue())["seed"] == 5


def test_reads_stdin_for_a_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(INSTANCE)))
    assert run("-")["covered"] == 11


def test_options_reach_the_solver(tmp_path):
    path = str(write(tmp_path, INSTANCE))
    capped = run(path, "--max-shipments", "1")
    assert capped["shipments"] == 1 and capped["covered"] == 6  # the largest pair's load
    batch = run(path, "--min-batch", "4")
    whole = {(e["school"], e["title"]): e["copies"] for e in INSTANCE["shortage"]}
    assert batch["transfers"]
    for line in batch["transfers"]:  # 4 copies or more, or the receiver's whole shortage
        assert line["copies"] >= 4 or line["copies"] == whole[line["to"], line["title"]]
    assert batch["covered"] == 11


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schools": [', "— не JSON: строка 1, столбец 14"),
        ("[]", "ожидается объект JSON"),
        (
            {**INSTANCE, "surplus": [{"school": "S9", "title": "T1", "copies": 1}]},
            "surplus[0]: неизвестная школа «S9»",
        ),
        (
            {**INSTANCE, "shortage": [{"school": "S1", "title": "T1", "copies": -2}]},
            "shortage[0]: число экземпляров должно быть целым неотрицательным, а не «-2»",
        ),
        (
            {**INSTANCE, "schools": [{"id": "S2", "name": "Гимназия № 1"}]},
            "школа «S2» (Гимназия № 1): нет координат (lat/lon)",
        ),
        (
            {key: value for key, value in INSTANCE.items() if key != "titles"},
            "нет ключа «titles»",
        ),
        (
            {**INSTANCE, "distances": [{"from": "S1", "to": "S2", "km": -1}]},
            "distances[0]: отрицательное расстояние -1",
        ),
    ],
    ids=[
        "broken json",
        "not an object",
        "unknown school",
        "negative copies",
        "no coordinates",
        "missing key",
        "negative distance",
    ],
)
def test_invalid_input_is_a_command_error_naming_the_entry(tmp_path, content, message):
    with pytest.raises(CommandError) as caught:
        run(str(write(tmp_path, content)))
    assert message in str(caught.value)


def test_unreadable_files_are_command_errors(tmp_path):
    with pytest.raises(CommandError, match=r"Не удалось прочитать файл .*: файла нет"):
        run(str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="это папка"):
        run(str(tmp_path))
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"schools": "Гимназия"}'.encode("cp1251"))
    with pytest.raises(CommandError, match="не в кодировке UTF-8"):
        run(str(latin1))


def test_bad_options_are_refused_in_russian(tmp_path):
    path = str(write(tmp_path, INSTANCE))
    with pytest.raises(CommandError, match="нужно целое число ≥ 0, а не «-3»"):
        call_command("exchange_solve", path, "--min-batch", "-3")
    with pytest.raises(CommandError, match="Время на поиск должно быть положительным"):
        call_command("exchange_solve", path, "--time-limit", "0")


def test_the_console_script_exits_non_zero_on_bad_input(tmp_path, monkeypatch, capsys):
    """The console script's own entry point, in this process (no second Python to start):
    Django turns the command's CommandError into a message on stderr and exit status 1."""
    monkeypatch.setattr(
        sys,
        "argv",
        ["bibliomo", "exchange_solve", str(write(tmp_path, INSTANCE)), "--time-limit", "1"],
    )
    main()  # returns: status 0
    good = capsys.readouterr()
    assert json.loads(good.out)["shipments"] == 3
    monkeypatch.setattr(
        sys, "argv", ["bibliomo", "exchange_solve", str(write(tmp_path, "{", "bad.json"))]
    )
    with pytest.raises(SystemExit) as exit:
        main()
    bad = capsys.readouterr()
    assert exit.value.code != 0
    assert "не JSON" in bad.err and bad.out == ""

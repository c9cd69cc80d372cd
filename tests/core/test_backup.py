"""`bibliomo backup` and `bibliomo restore`: the demo goes out and comes back identical.

Runs on the engine of the test database: SQLite by default, PostgreSQL when DATABASE_URL
says so (then a scratch database is created and dropped next to the test database).
"""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from bibliomo.core import backup

pytestmark = pytest.mark.django_db(transaction=True)

ENGINE = backup.engine_of(connection.settings_dict)


@pytest.fixture
def scratch(tmp_path):
    """(DATABASES entry, URL) of a fresh empty database of the test database's engine."""
    source = connection.settings_dict
    if ENGINE == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield {"ENGINE": source["ENGINE"], "NAME": str(path)}, f"sqlite:///{path}"
        return
    name = f"{source['NAME']}_restore"[:63]
    admin = dict(source, NAME="postgres")
    with backup._pg_connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    database = dict(source, NAME=name)
    user = source.get("USER") or ""
    password = f":{source['PASSWORD']}" if source.get("PASSWORD") else ""
    host = source.get("HOST") or "localhost"
    port = source.get("PORT") or 5432
    yield database, f"postgres://{user}{password}@{host}:{port}/{name}"
    with backup._pg_connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _table_rows(engine: str, database: dict | None, table: str) -> list[str]:
    """Every row of a table, canonical and sorted; database None means the test database."""
    query = f'SELECT * FROM "{table}"'
    if engine == "sqlite":
        if database is None:
            connection.ensure_connection()
            rows = connection.connection.execute(query).fetchall()
        else:
            # The same converters as Django's own connection, so values compare as equals.
            conn = sqlite3.connect(
                database["NAME"], detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            )
            rows = conn.execute(query).fetchall()
            conn.close()
    else:
        with backup._pg_connect(database or connection.settings_dict) as conn:
            rows = conn.execute(query).fetchall()
    return sorted(repr(tuple(row)) for row in rows)


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_demo_backs_up_and_restores_every_row_and_file_identical(built_demo, scratch, tmp_path):
    media_root = Path(settings.MEDIA_ROOT)
    (media_root / "documents" / "2024" / "09").mkdir(parents=True, exist_ok=True)
    (media_root / "documents" / "2024" / "09" / "Положение о конкурсе.pdf").write_bytes(
        b"%PDF-1.4 test \x00\xff"
    )
    originals = _files(media_root)
    assert len(originals) >= 2  # the demo's own uploads and the one above

    archive = tmp_path / "backups" / "bibliomo.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Резервная копия записана" in out.getvalue()
    assert archive.exists() and not archive.with_name("bibliomo.tar.part").exists()

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["engine"] == ENGINE
    assert manifest["tables"]["directory_person"] > 40
    assert set(manifest["media"]) == set(originals)

    database, url = scratch
    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command(
        "restore", str(archive), database_url=url, media_root=str(restored_media), stdout=out
    )
    printed = out.getvalue()
    assert "контрольная сумма SHA-256 совпадает" in printed
    assert "число строк каждой таблицы совпадает с описью" in printed
    assert "Восстановление завершено" in printed

    assert _files(restored_media) == originals
    for table in manifest["tables"]:
        assert _table_rows(ENGINE, database, table) == _table_rows(ENGINE, None, table), table


def _small_archive(tmp_path) -> Path:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    (media_root / "a.txt").write_text("первый файл")
    (media_root / "b.txt").write_text("второй файл")
    archive = tmp_path / "small.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    return archive


def test_restore_refuses_a_database_that_is_not_empty(scratch, tmp_path):
    archive = _small_archive(tmp_path)
    database, url = scratch
    if ENGINE == "sqlite":
        conn = sqlite3.connect(database["NAME"])
        conn.execute("CREATE TABLE keep_me (id integer)")
        conn.commit()
        conn.close()
    else:
        with backup._pg_connect(database, autocommit=True) as conn:
            conn.execute("CREATE TABLE keep_me (id integer)")
    with pytest.raises(CommandError, match=r"не пуста.*только в пустую базу"):
        call_command("restore", str(archive), database_url=url, media_root=str(tmp_path / "m"))
    assert not (tmp_path / "m").exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(scratch, tmp_path):
    archive = _small_archive(tmp_path)
    database, url = scratch
    media = tmp_path / "m"
    media.mkdir()
    (media / "old.txt").write_text("чужой файл")
    with pytest.raises(CommandError, match=r"Каталог файлов .* не пуст"):
        call_command("restore", str(archive), database_url=url, media_root=str(media))
    assert backup._database_is_empty(database, ENGINE) == 0
    assert [p.name for p in media.iterdir()] == ["old.txt"]


def test_a_damaged_file_stops_the_restore_before_anything_is_written(scratch, tmp_path):
    archive = _small_archive(tmp_path)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/b.txt":
                data = "другой файл".encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    database, url = scratch
    with pytest.raises(CommandError, match=r"Контрольная сумма «media/b.txt» не совпадает"):
        call_command("restore", str(damaged), database_url=url, media_root=str(tmp_path / "m"))
    assert backup._database_is_empty(database, ENGINE) == 0
    assert not (tmp_path / "m").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(scratch, tmp_path):
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as tar:
        tar.addfile(tarfile.TarInfo("readme.txt"), io.BytesIO(b""))
    _, url = scratch
    with pytest.raises(CommandError, match=r"нет описи manifest.json"):
        call_command("restore", str(bogus), database_url=url, media_root=str(tmp_path / "m"))


def test_archive_names_outside_the_media_folder_are_refused():
    for name in ("../etc/passwd", "/etc/passwd", "a/../../b"):
        with pytest.raises(backup.DomainError):
            backup._safe_relative(name)
    assert str(backup._safe_relative("documents/2024/a.pdf")) == "documents/2024/a.pdf"


@pytest.mark.skipif(ENGINE != "postgresql", reason="a PostgreSQL server to talk to")
def test_restore_into_a_database_that_does_not_exist_says_so(tmp_path):
    archive = _small_archive(tmp_path)
    source = connection.settings_dict
    url = (
        f"postgres://{source.get('USER') or ''}@{source.get('HOST') or 'localhost'}:"
        f"{source.get('PORT') or 5432}/bibliomo_no_such_database"
    )
    with pytest.raises(CommandError, match=r"Не удалось подключиться.*createdb"):
        call_command("restore", str(archive), database_url=url, media_root=str(tmp_path / "m"))

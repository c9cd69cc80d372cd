"""Backups that restore: one archive with the database, every uploaded file and a manifest.

The archive is a plain tar (the dump and most uploads are compressed already):

    database.dump | database.sqlite3   PostgreSQL `pg_dump -Fc`, or a SQLite online-backup copy
    media/<path>                       every file under MEDIA_ROOT
    manifest.json                      engine, row count per table, SHA-256 of the dump and files

Row counts are taken from the very snapshot that is dumped (PostgreSQL: an exported snapshot
handed to pg_dump; SQLite: counted in the copy), so a busy site still yields a manifest that
matches its dump. A restore goes only into an empty database and an empty media folder; it
checks every checksum before it writes anything, then compares the restored row counts.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import connections
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.lib import ru

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


def engine_of(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise DomainError(f"Резервное копирование умеет PostgreSQL и SQLite, а не {engine}.")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Talking to the databases directly -------------------------------------------------------


def _pg_params(database: dict[str, Any]) -> dict[str, str]:
    params = {
        "dbname": database.get("NAME") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
    }
    return {key: value for key, value in params.items() if value}


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    """pg_dump / pg_restore read the connection from the environment (no password on argv)."""
    names = {"dbname": "PGDATABASE", "host": "PGHOST", "port": "PGPORT", "user": "PGUSER"}
    names["password"] = "PGPASSWORD"
    env = dict(os.environ)
    for key, value in _pg_params(database).items():
        env[names[key]] = value
    return env


def _pg_connect(database: dict[str, Any], **kwargs):
    import psycopg

    try:
        params: dict[str, Any] = {**_pg_params(database), **kwargs}
        return psycopg.connect(**params)
    except psycopg.OperationalError as error:
        raise DomainError(
            f"Не удалось подключиться к базе «{database.get('NAME')}»: "
            f"{str(error).strip().splitlines()[-1]} Если её нет, создайте пустую (createdb)."
        ) from None


def _pg_counts(conn) -> dict[str, int]:
    from psycopg import sql

    tables = conn.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    ).fetchall()
    counts = {}
    for schema, table in tables:
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)
        )
        name = table if schema == "public" else f"{schema}.{table}"
        counts[name] = conn.execute(query).fetchone()[0]
    return counts


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        table: conn.execute(
            f'SELECT count(*) FROM "{table.replace(chr(34), chr(34) * 2)}"'
        ).fetchone()[0]
        for table in tables
    }


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise DomainError(
            f"Не найдена программа {command[0]}: установите клиент PostgreSQL той же "
            "или более новой версии, что и сервер."
        ) from None
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or "").strip().splitlines()
        raise DomainError(f"{what} не удалось: {detail[-1] if detail else error}") from None


# --- Backup ----------------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    """Feeds a file to tarfile while hashing exactly the bytes archived."""

    def __init__(self, source):
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(
        path for path in media_root.rglob("*") if path.is_file() and not path.is_symlink()
    )


def _dump_database(alias: str, workdir: Path) -> tuple[str, Path, dict[str, int]]:
    connection = connections[alias]
    database = connection.settings_dict
    engine = engine_of(database)
    target = workdir / DUMP_NAMES[engine]
    if engine == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            counts = _sqlite_counts(copy)
        finally:
            copy.close()
        return engine, target, counts
    with _pg_connect(database) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = _pg_counts(conn)
        # The transaction stays open while pg_dump reads the same snapshot.
        _run(
            ["pg_dump", "-Fc", f"--snapshot={snapshot}", "--file", str(target)],
            _pg_env(database),
            "Выгрузка базы (pg_dump)",
        )
    return engine, target, counts


def backup_create(outfile: Path, media_root: Path, alias: str = "default") -> dict[str, Any]:
    """Write one archive with the database, every file under `media_root` and a manifest.

    The archive appears under its name only when complete (written beside it, then renamed).
    Returns the manifest.
    """
    outfile = Path(outfile)
    outfile.parent.mkdir(parents=True, exist_ok=True)
    partial = outfile.with_name(outfile.name + ".part")
    with tempfile.TemporaryDirectory(prefix="bibliomo-backup-") as workdir:
        engine, dump, counts = _dump_database(alias, Path(workdir))
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": {
                "file": dump.name,
                "sha256": _sha256_file(dump),
                "size": dump.stat().st_size,
            },
            "tables": counts,
            "media": {},
        }
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            archive.add(dump, arcname=dump.name)
            for path in _media_files(Path(media_root)):
                relative = path.relative_to(media_root).as_posix()
                info = archive.gettarinfo(path, arcname=MEDIA_PREFIX + relative)
                with open(path, "rb") as source:
                    reader = _HashingReader(source)
                    archive.addfile(info, reader)
                manifest["media"][relative] = {
                    "sha256": reader.digest.hexdigest(),
                    "size": info.size,
                }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
    os.replace(partial, outfile)
    return manifest


def backup_summary(manifest: dict[str, Any], outfile: Path) -> str:
    tables = manifest["tables"]
    rows = sum(tables.values())
    files = manifest["media"]
    size = sum(item["size"] for item in files.values())
    engine = "PostgreSQL" if manifest["engine"] == "postgresql" else "SQLite"
    return (
        f"Резервная копия записана: {outfile}. База {engine}: "
        f"{ru.plural(len(tables), 'таблица', 'таблицы', 'таблиц')}, "
        f"{ru.plural(rows, 'строка', 'строки', 'строк')}; "
        f"{ru.plural(len(files), 'файл', 'файла', 'файлов')} ({_megabytes(size)}). "
        "Опись с контрольными суммами SHA-256 — в manifest.json внутри архива."
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} МБ".replace(".", ",")


# --- Restore ---------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        file = archive.extractfile(archive.getmember(MANIFEST))
        if file is None:  # a folder of that name
            raise KeyError(MANIFEST)
        manifest = json.loads(file.read().decode())
    except (KeyError, AttributeError, ValueError):
        raise DomainError(
            "В архиве нет описи manifest.json: это не резервная копия Bibliomo или архив обрезан."
        ) from None
    if manifest.get("format") != FORMAT:
        raise DomainError(f"Неизвестный формат резервной копии: {manifest.get('format')!r}.")
    return manifest


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise DomainError(f"Недопустимое имя файла в архиве: {name!r}.")
    return path


def _database_is_empty(database: dict[str, Any], engine: str) -> int:
    """How many tables the target database already has."""
    if engine == "sqlite":
        name = str(database.get("NAME") or "")
        if not name or name == ":memory:" or "mode=memory" in name:
            raise DomainError("Восстановить можно только в файл базы SQLite, а не в память.")
        if not Path(name).exists():
            return 0
        conn = sqlite3.connect(name)
        try:
            return len(_sqlite_counts(conn))
        finally:
            conn.close()
    with _pg_connect(database, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()[0]


def _check_empty(database: dict[str, Any], engine: str, media_root: Path) -> None:
    tables = _database_is_empty(database, engine)
    if tables:
        raise DomainError(
            f"База данных «{database.get('NAME')}» не пуста: в ней уже "
            f"{ru.plural(tables, 'таблица', 'таблицы', 'таблиц')}. Восстановление идёт только "
            "в пустую базу: создайте новую базу (или удалите эту) и повторите."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise DomainError(
            f"Каталог файлов «{media_root}» не пуст. Восстановление идёт только в пустой "
            "каталог: переименуйте или очистите его и повторите."
        )


def _extract_checked(archive: tarfile.TarFile, name: str, target: Path, sha256: str) -> None:
    try:
        member = archive.getmember(name)
    except KeyError:
        raise DomainError(f"В архиве нет файла «{name}», указанного в описи.") from None
    source = archive.extractfile(member) if member.isfile() else None
    if source is None:
        raise DomainError(f"«{name}» в архиве — не обычный файл.")
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise DomainError(
            f"Контрольная сумма «{name}» не совпадает с описью: архив повреждён. "
            "Ничего не восстановлено."
        )


def _restore_database(engine: str, dump: Path, database: dict[str, Any]) -> None:
    if engine == "sqlite":
        target = Path(database["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        source, destination = sqlite3.connect(dump), sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
        return
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            database["NAME"],
            str(dump),
        ],
        _pg_env(database),
        "Восстановление базы (pg_restore)",
    )


def _restored_counts(engine: str, database: dict[str, Any]) -> dict[str, int]:
    if engine == "sqlite":
        conn = sqlite3.connect(database["NAME"])
        try:
            return _sqlite_counts(conn)
        finally:
            conn.close()
    with _pg_connect(database, autocommit=True) as conn:
        return _pg_counts(conn)


def backup_restore(
    archive_path: Path,
    database: dict[str, Any],
    media_root: Path,
    say: Callable[[str], None] = lambda line: None,
) -> RestoreReport:
    """Restore an archive of `backup_create` into an EMPTY database and media folder.

    `database` is a Django DATABASES entry (its engine must match the archive's). Every
    checksum is verified before anything is written; a damaged archive leaves the target
    untouched. After the restore the row count of every table is compared with the manifest.
    Raises DomainError with a Russian message; returns the list of what was checked.
    """
    report = RestoreReport()

    def note(line: str) -> None:
        report.add(line)
        say(line)

    media_root = Path(media_root)
    engine = engine_of(database)
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115 - closed by `with` below
    except (OSError, tarfile.TarError):
        raise DomainError(f"Не удалось открыть архив «{archive_path}».") from None
    with archive:
        manifest = _read_manifest(archive)
        if manifest["engine"] != engine:
            raise DomainError(
                f"Копия сделана с базы {manifest['engine']}, а восстановить её просят в "
                f"{engine}: так нельзя, нужна база того же вида."
            )
        _check_empty(database, engine, media_root)
        note(f"Опись: копия от {manifest['created_at']}, база {engine}.")

        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
        try:
            dump_info = manifest["database"]
            dump = staging / "database" / dump_info["file"]
            _extract_checked(archive, dump_info["file"], dump, dump_info["sha256"])
            note(f"Дамп базы {dump_info['file']}: контрольная сумма SHA-256 совпадает.")

            files = manifest["media"]
            listed = {MEDIA_PREFIX + name for name in files}
            extra = [
                m.name
                for m in archive.getmembers()
                if m.name.startswith(MEDIA_PREFIX) and m.name not in listed
            ]
            if extra:
                raise DomainError(f"В архиве есть файлы, которых нет в описи: {extra[0]}.")
            media_staging = staging / "media"
            media_staging.mkdir()
            size = 0
            for name, item in files.items():
                relative = _safe_relative(name)
                _extract_checked(
                    archive, MEDIA_PREFIX + name, media_staging / relative, item["sha256"]
                )
                size += item["size"]
            note(
                f"Файлы: {ru.plural(len(files), 'файл', 'файла', 'файлов')} "
                f"({_megabytes(size)}) — контрольные суммы SHA-256 совпадают."
            )

            _restore_database(engine, dump, database)
            restored = _restored_counts(engine, database)
            expected = manifest["tables"]
            wrong = [
                f"{table}: в описи {expected.get(table, 'нет')}, "
                f"в базе {restored.get(table, 'нет')}"
                for table in sorted(set(expected) | set(restored))
                if expected.get(table) != restored.get(table)
            ]
            if wrong:
                raise DomainError(
                    "База восстановлена, но число строк не совпадает с описью — не "
                    "пользуйтесь ею: " + "; ".join(wrong[:5])
                )
            rows = sum(expected.values())
            note(
                f"База: {ru.plural(len(expected), 'таблица', 'таблицы', 'таблиц')}, "
                f"{ru.plural(rows, 'строка', 'строки', 'строк')} — число строк каждой "
                "таблицы совпадает с описью."
            )

            if media_root.exists():
                media_root.rmdir()  # checked empty above
            shutil.move(str(media_staging), str(media_root))
            note(f"Файлы восстановлены в «{media_root}».")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return report

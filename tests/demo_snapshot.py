"""The demo built once and loaded into a test's database in a second or two.

`bibliomo demo` takes half a minute (more on a busy PostgreSQL), and a dozen tests need the
whole of it. The first pytest worker that needs the demo as of a given moment runs the command
inside a transaction it then rolls back, keeping every row of every table (as Python values,
read through the model fields, so they load into either database) and every file the demo wrote.
It leaves them in `var/test-cache/` under a digest of the code that builds the demo, where the
other workers — and later runs, `make test` on PostgreSQL after SQLite among them — find them (a
file lock makes them wait while it is being built); a change to any file of `bibliomo/` makes a
new digest, and the old folders go. The real clock's demo is kept per calendar day. `load`
writes the rows into the test's own database (inside the test's transaction, so the test still
ends with an empty database) and copies the files into its MEDIA_ROOT: the test sees exactly
what `bibliomo demo` left behind, and may change it freely. The command itself still runs on
each database in the tests that rebuild on top of the loaded demo (tests/core/test_demo.py,
tests/core/test_demo_today.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import pickle
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.test import override_settings
from django.utils import timezone

# Written by triggers when the rows of other tables are inserted or deleted (the textbook
# data versions): loaded after everything else, so the stored values win.
LAST = ("textbooks_dataversion",)

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "var" / "test-cache"
# What the demo is made of: its code and data, the test settings, the pinned libraries, and
# the site the browser walk makes of it (tests/browser/site_walk.py, kept beside it).
SOURCES = (
    ROOT / "bibliomo",
    Path(__file__),
    ROOT / "tests" / "browser" / "site_walk.py",
    ROOT / "constraints.txt",
    ROOT / "pyproject.toml",
)


def digest() -> str:
    """A digest of every file the demo is built from, and of the Python that builds it."""
    sha = hashlib.sha256(sys.version.encode())
    for source in SOURCES:
        files = sorted(source.rglob("*")) if source.is_dir() else [source]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                sha.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:16]


def fast_settings(folder: Path) -> dict[str, Any]:
    """What every test runs with (tests/conftest.py), MEDIA_ROOT and the cache under `folder`."""
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "MEDIA_ROOT": folder / "media",
        # Throttle counters start afresh in every test.
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": str(folder),
            }
        },
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@dataclass
class Table:
    name: str
    columns: list[str]  # attnames of the model's concrete fields
    rows: list[tuple]
    # The rows as the database driver takes them, per database vendor (made on the first load).
    prepared: dict[str, list[list]] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "prepared": {}}

    def prepared_rows(self, model: type[Model]) -> list[list]:
        if connection.vendor not in self.prepared:
            fields = {f.attname: f for f in model._meta.concrete_fields}
            prepare = [fields[column].get_db_prep_save for column in self.columns]
            self.prepared[connection.vendor] = [
                [to_db(value, connection) for to_db, value in zip(prepare, row, strict=True)]
                for row in self.rows
            ]
        return self.prepared[connection.vendor]


@dataclass
class Snapshot:
    """What `bibliomo demo` left: the rows, the files (under `media`) and what it printed."""

    tables: list[Table]
    media: Path
    output: str
    path: Path | None = None  # the pickle this snapshot was read from or written to

    def rows(self, table: str) -> int:
        return next((len(t.rows) for t in self.tables if t.name == table), 0)


def _models() -> dict[str, type[Model]]:
    """db_table → model for every table the migrations create (many-to-many ones too)."""
    found: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            found.setdefault(meta.db_table, model)
    existing = set(connection.introspection.table_names())
    return {table: model for table, model in sorted(found.items()) if table in existing}


def dump() -> list[Table]:
    """Every row of every table of the default database, ordered by primary key."""
    tables = []
    for table, model in _models().items():
        columns = [field.attname for field in model._meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values_list(*columns))
        tables.append(Table(table, columns, rows))
    return tables


def load(snapshot: Snapshot) -> None:
    """Replaces every row of the default database by the snapshot's and copies its files into
    MEDIA_ROOT. Runs in one transaction (a savepoint inside a test's), so the foreign keys,
    checked at its end, see every row in place."""
    models = _models()
    quote = connection.ops.quote_name
    ordered = sorted(snapshot.tables, key=lambda t: t.name in LAST)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in snapshot.tables:
            cursor.execute(f"DELETE FROM {quote(table.name)}")
        for table in ordered:
            if table.name in LAST:
                cursor.execute(f"DELETE FROM {quote(table.name)}")
            if not table.rows:
                continue
            model = models[table.name]
            fields = {f.attname: f for f in model._meta.concrete_fields}
            columns = ", ".join(quote(fields[c].column) for c in table.columns)
            rows = table.prepared_rows(model)
            if connection.vendor == "postgresql":  # COPY: one stream, no statement to parse
                copy = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
                with cursor.cursor.copy(copy) as stream:
                    for row in rows:
                        stream.write_row(row)
                continue
            marks = "(" + ", ".join(["%s"] * len(table.columns)) + ")"
            cursor.executemany(f"INSERT INTO {quote(table.name)} ({columns}) VALUES {marks}", rows)
        # PostgreSQL's sequences go on after the highest id (SQLite keeps track by itself).
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
            cursor.execute(statement)
    ContentType.objects.clear_cache()  # the content types' ids are the snapshot's now
    media = Path(settings.MEDIA_ROOT)
    if snapshot.media.exists():
        shutil.copytree(snapshot.media, media, dirs_exist_ok=True)


def take(folder: Path, moment: datetime | None) -> Snapshot:
    """Runs `bibliomo demo` (the clock stopped at `moment`, if given) in a transaction rolled
    back afterwards, with the tests' settings and its files under `folder`/media."""
    import time_machine

    out = io.StringIO()
    with ExitStack() as stack:
        if moment is not None:
            stack.enter_context(time_machine.travel(moment, tick=False))
        stack.enter_context(override_settings(**fast_settings(folder)))
        with transaction.atomic():
            call_command("demo", stdout=out)
            tables = dump()
            transaction.set_rollback(True)
    ContentType.objects.clear_cache()
    return Snapshot(tables, folder / "media", out.getvalue())


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Snapshots:
    """The demos, one per moment of the clock (None: the real clock, kept per calendar day),
    shared by the workers and by later runs through `root`/<digest of the code>; `unblock` lets
    the build reach the database outside a test."""

    def __init__(self, root: Path, unblock: Callable[[], Any]):
        self.root = root
        self.unblock = unblock
        self.cache: dict[str, Snapshot] = {}
        self.digest = digest()

    def get(self, moment: datetime | None = None) -> Snapshot:
        # The real clock's demo is dated by the association's day (Moscow), as the demo is.
        key = f"{moment:%Y%m%d%H%M}" if moment else f"now-{timezone.localdate():%Y%m%d}"
        if key not in self.cache:
            self.cache[key] = self._shared(key, moment)
        return self.cache[key]

    def _shared(self, key: str, moment: datetime | None) -> Snapshot:
        self.root.mkdir(parents=True, exist_ok=True)
        with _locked(self.root / "lock"):
            for old in self.root.glob("demo-*"):  # built from code that has changed since
                if old.name != f"demo-{self.digest}":
                    shutil.rmtree(old, ignore_errors=True)
        folder = self.root / f"demo-{self.digest}" / key
        path = folder / "snapshot.pickle"
        folder.parent.mkdir(exist_ok=True)
        with _locked(folder.parent / f"{key}.lock"):
            if path.exists():
                snapshot = pickle.loads(path.read_bytes())
            else:
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                with self.unblock():
                    snapshot = take(folder, moment)
                snapshot.path = path
                written = path.with_suffix(".partial")  # a run stopped mid-write leaves no pickle
                written.write_bytes(pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))
                written.rename(path)
        return snapshot


def needed_moments(items: list[pytest.Item]) -> list[datetime | None]:
    """The moments whose demo these tests use: None (today's clock) for those taking
    `demo_snapshot`, and each datetime parameter of those taking `demo_snapshots`."""
    found: dict[datetime | None, None] = {}
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "demo_snapshot" in names:
            found[None] = None
        callspec = getattr(item, "callspec", None)
        if "demo_snapshots" in names and callspec is not None:
            found.update((v, None) for v in callspec.params.values() if isinstance(v, datetime))
    return list(found)


def load_file(path: str, passwords: dict[str, str]) -> None:
    """For a separate process serving the demo (tests/browser/site_walk.py): the snapshot at
    `path` into its database and MEDIA_ROOT; the people in `passwords` (e-mail → password)
    get them hashed by the process's own hashers, which the tests' fast one is not among."""
    from bibliomo.directory.models import Person

    load(pickle.loads(Path(path).read_bytes()))
    for person in Person.objects.filter(email__in=passwords):
        person.set_password(passwords[person.email])
        person.save(update_fields=["password"])

"""The cast every test knows (healthchecks' alice/bob/charlie, zulip's hamlet).

Built through the same services the application uses. The association «Серпухов» has a
methodist, a head, a director and two schools, each with a librarian; an outsider belongs
to another municipality's association.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import FileResponse

from bibliomo.directory import services
from bibliomo.directory.models import Association, Municipality, Person, Position, Role, School
from tests.demo_snapshot import (
    CACHE,
    LAST,
    Snapshot,
    Snapshots,
    fast_settings,
    load,
    needed_moments,
)

PASSWORD = "correct-horse-42"

# Fixtures shared beyond their own folder (the browser journeys use them too).
pytest_plugins = ["tests.textbooks.fixtures"]


@dataclass
class Cast:
    association: Association
    school_a: School
    school_b: School
    methodist: Person
    head: Person
    director: Person
    librarian_a: Person
    librarian_b: Person
    other_association: Association
    other_school: School
    outsider: Person


# The fixtures through which a test reaches the test database (pytest-django refuses it to
# every other test).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help=(
            "only the tests that reach the test database: for a second run on another database "
            "(CI's PostgreSQL run), where the others would only repeat the first run's results"
        ),
    )


def reaches_database(item: pytest.Item) -> bool:
    """Whether the test's outcome can depend on the database Django uses: it may reach the test
    database, and it does not serve the demo from a SQLite file of its own."""
    if item.get_closest_marker("own_sqlite_site"):
        return False
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(names & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config, items):
    """With --database-tests-only, the tests that cannot reach the database are deselected.
    The slow tests first (the order is otherwise kept): the workers take tests in this order,
    and a minute-long test taken last would leave one worker running it alone."""
    if config.getoption("database_tests_only"):
        kept, dropped = [], []
        for item in items:
            (kept if reaches_database(item) else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _downloads_closed(monkeypatch):
    """A server closes a streamed download once it is sent; the test client only when the test
    reads it to the end. A test that looks at the headers alone would leave the file open
    (a ResourceWarning, an error under filterwarnings), so the files are closed after the test."""
    files = []
    original = FileResponse.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        # Taken now: the test client replaces the content with its own iterator later.
        if self.file_to_stream is not None:
            files.append(self.file_to_stream)

    monkeypatch.setattr(FileResponse, "__init__", recording)
    yield
    for file in files:
        file.close()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # A fast password hasher, files and throttle counters of this test's own (tests/demo_snapshot.py).
    for name, value in fast_settings(tmp_path).items():
        setattr(settings, name, value)


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions(django_db_setup, django_db_blocker):
    """PostgreSQL refuses to drop a test database that another session still holds, and the
    whole run then fails at its very end (seen once in CI on 02.12.2026, source not found). Before
    the database is dropped, any other session on it is named on stderr and ended."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 200) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for pid, *about in cursor.fetchall():
            sys.stderr.write(f"Stray PostgreSQL session on the test database: {about}\n")
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """PostgreSQL: the tests' connections do not wait for each commit to reach the disk
    (synchronous_commit off: a crash could lose the last commits, never corrupt anything). On
    this machine a commit waits ~30 ms for the disk, and the browser journeys, the backups and
    Django's emptying of the tables after them commit thousands of times."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """After a test with real commits (the browser journeys, the backups) Django empties every
    table by `flush`; on PostgreSQL that is one TRUNCATE of all of them, which makes new files
    for every table and index: about half a second on a quiet machine and several under load,
    where DELETE takes a few milliseconds on tables this small. Same result: every table empty
    (the foreign keys are checked at the end, the tables the triggers write to are emptied
    last), the sequences left as TRUNCATE without RESTART IDENTITY leaves them."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        ordered = sorted(tables, key=lambda table: table in LAST)
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"DELETE FROM {self.quote_name(table)}" for table in ordered
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(scope="session")
def demo_snapshots(django_db_setup, django_db_blocker):
    """The demos (tests/demo_snapshot.py): each built once, shared by the workers and runs."""
    return Snapshots(CACHE, django_db_blocker.unblock)


@pytest.fixture(scope="session", autouse=True)
def _demos_ahead(request, worker_id):
    """With several workers, the demos the session's tests need are built at its start, shared
    out among the workers, so that no worker sits waiting for another's demo later on."""
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if worker_id == "master" or count < 2:
        return
    moments = needed_moments(request.session.items)
    if not moments:
        return
    snapshots = request.getfixturevalue("demo_snapshots")
    index = int(worker_id.removeprefix("gw"))
    for moment in moments[index::count]:
        snapshots.get(moment)


@pytest.fixture(scope="session")
def demo_snapshot(demo_snapshots) -> Snapshot:
    """What `bibliomo demo` left with today's clock (built once a session)."""
    return demo_snapshots.get()


@pytest.fixture
def built_demo(demo_snapshot, db) -> Iterator[Snapshot]:
    """The test's database and MEDIA_ROOT as `bibliomo demo` leaves them on an empty database
    today; the test may change them (its transaction is rolled back as usual)."""
    load(demo_snapshot)
    yield demo_snapshot
    ContentType.objects.clear_cache()  # back to the test database's own ids


def _school(association, short_name, lat, lon):
    school = services.school_create(
        None,
        association,
        short_name=short_name,
        full_name=f"Муниципальное бюджетное общеобразовательное учреждение {short_name}",
        address="Московская область, г. Серпухов",
        director="Петров А.А.",
        email="",
        phone="",
        website="",
    )
    services.building_create(
        None,
        school,
        name="Основное здание",
        address="г. Серпухов, ул. Советская, д. 1",
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        is_main=True,
    )
    return school


def consented(person: Person) -> Person:
    """The person has accepted the consent text of each of her associations, as anyone
    working in /app/ has (the gate itself is tested in tests/privacy)."""
    from bibliomo.privacy.services import consent_accept

    for association in Association.objects.filter(role_grants__person=person).distinct():
        if not person.has_consented(association):
            consent_accept(person, association, association.consent_version)
    return person


def _person(association, email, last, first, patronymic, position, roles, school=None):
    person = services.person_create(
        None,
        association,
        email=email,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        position=position,
        school=school,
        roles=roles,
        password=PASSWORD,
    )
    return consented(person)


@pytest.fixture
def cast(db) -> Cast:
    municipality = Municipality.objects.create(
        name="городской округ Серпухов", region="Московская область"
    )
    association = Association.objects.create(
        municipality=municipality,
        name="Муниципальное методическое объединение школьных библиотекарей",
        short_name="ММО школьных библиотекарей",
    )
    school_a = _school(association, "МБОУ «СОШ № 1»", "54.913300", "37.416100")
    school_b = _school(association, "МБОУ «Гимназия № 5»", "54.900000", "37.430000")
    other_municipality = Municipality.objects.create(name="городской округ Чехов")
    other_association = Association.objects.create(
        municipality=other_municipality, name="ММО Чехова", short_name="ММО Чехова"
    )
    other_school = _school(other_association, "МБОУ «СОШ № 7 г. Чехова»", "55.15", "37.47")
    return Cast(
        association=association,
        school_a=school_a,
        school_b=school_b,
        methodist=_person(
            association,
            "metodist@test.ru",
            "Леонтьева",
            "Элла",
            "Владимировна",
            Position.METHODIST,
            [Role.METHODIST],
        ),
        head=_person(
            association,
            "head@test.ru",
            "Никитенко",
            "Татьяна",
            "Геннадьевна",
            Position.LIBRARY_HEAD,
            [Role.HEAD],
        ),
        director=_person(
            association,
            "director@test.ru",
            "Венкова",
            "Галина",
            "Викторовна",
            Position.DIRECTOR,
            [Role.DIRECTOR],
        ),
        librarian_a=_person(
            association,
            "lib.a@test.ru",
            "Иванова",
            "Анна",
            "Сергеевна",
            Position.LIBRARIAN,
            [Role.LIBRARIAN],
            school_a,
        ),
        librarian_b=_person(
            association,
            "lib.b@test.ru",
            "Петрова",
            "Ольга",
            "Ивановна",
            Position.LIBRARIAN,
            [Role.LIBRARIAN],
            school_b,
        ),
        other_association=other_association,
        other_school=other_school,
        outsider=_person(
            other_association,
            "outsider@test.ru",
            "Чужая",
            "Мария",
            "Петровна",
            Position.LIBRARIAN,
            [Role.LIBRARIAN],
            other_school,
        ),
    )


@pytest.fixture
def login(client):
    """login(person) → the test client signed in as that person."""

    def _login(person: Person):
        consented(person)
        client.force_login(person)
        return client

    return _login

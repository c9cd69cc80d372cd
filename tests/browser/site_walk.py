"""The main pages of the demo for every role: the menu of each role plus the first detail
page each menu page links to. Shared by the page-width and accessibility tests and by
`make screenshots`."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "bibliomo"

# The demo logins of the README («Демо-входы»), one per role.
ROLES = {
    "methodist": "leonteva@bibliomo.test",
    "head": "nikitenko@bibliomo.test",
    "director": "venkova@bibliomo.test",
    "librarian": "bib01@bibliomo.test",
    "operator": "operator@bibliomo.test",
    "public": "",  # nobody signed in: the portal
}

# Links that lead to a detail page: /app/<section>/.../<number>/ (no edit, delete, export),
# or a public one: /events/<number>/, /news/<slug>/ …
DETAIL = re.compile(r"^(?:/app)?/[a-z-]+/(?:[a-z-]+/)*\d+/$")
SKIP = re.compile(r"/(?:edit|delete|export|download|print|ics|xlsx|docx|pdf|files)/")


@dataclass(frozen=True)
class Stop:
    role: str
    path: str

    @property
    def slug(self) -> str:
        return self.role + "-" + (re.sub(r"[^a-z0-9]+", "-", self.path).strip("-") or "home")


def accept_consents() -> None:
    """Demo people accept the consent once, so the walk opens the pages themselves."""
    from bibliomo.directory.models import Association, Person
    from bibliomo.privacy import services

    for association in Association.objects.exclude(consent_text=""):
        for email in filter(None, ROLES.values()):
            person = Person.objects.filter(email=email).first()
            if person is not None and not person.has_consented(association):
                services.consent_accept(person, association, association.consent_version)


def _manage(env: dict, *args: str, **options) -> subprocess.Popen | None:
    command = [sys.executable, "-m", "bibliomo.manage", *args]
    if options.get("background"):
        # The server logs every request: into a file, never a pipe nobody reads (a full pipe
        # would stop the server mid-walk).
        return subprocess.Popen(command, env=env, stdout=options["log"], stderr=subprocess.STDOUT)
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return None


def _environment(database: Path, media: Path, url: str = "") -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "SITE_URL": url,
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "bibliomo.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _prepare(env: dict, database: Path, snapshot: Path | None, migrated: Path | None) -> None:
    """Migrates the site's database (or starts from `migrated`, a copy of a database the
    migrations made) and fills it: the demo built anew, or the snapshot's rows and files (which
    replace whatever rows the copy held); the walk's people have accepted the consent. One
    process does all of it."""
    steps = []
    if migrated is None:
        steps.append("call_command('migrate', interactive=False, verbosity=0)")
    else:
        shutil.copy(migrated, database)
    if snapshot is None:
        steps.append("call_command('demo')")
    else:
        # The snapshot's passwords are hashed by the tests' fast hasher, which the server
        # does not know: the people the walk signs in as get theirs hashed again.
        passwords = {email: PASSWORD for email in ROLES.values() if email}
        steps.append(f"load_file({str(snapshot)!r}, {passwords!r})")
    steps.append("accept_consents()")
    _manage(
        env,
        "shell",
        "-c",
        "from django.core.management import call_command\n"
        "from tests.demo_snapshot import load_file\n"
        "from tests.browser.site_walk import accept_consents\n" + "\n".join(steps),
    )


@contextmanager
def demo_site(
    folder: Path, snapshot: Path | None = None, migrated: Path | None = None
) -> Iterator[str]:
    """The demo built into its own SQLite file in `folder` and served by `runserver` on a free
    port (DEBUG on, so the static files are served too); yields the site's address. With a
    `snapshot` (a pickle of tests/demo_snapshot.py) its rows and files are loaded instead of
    running `bibliomo demo` again; the database so made is kept beside the snapshot (it is
    the same for every run that uses it) and copied. `migrated`, an SQLite database the
    migrations made (whatever rows it holds are replaced by the snapshot's), saves running them
    again."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "demo.sqlite3"
    database.unlink(missing_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = _environment(database, folder / "media", url)
    if snapshot is None:
        _prepare(env, database, None, migrated)
    else:
        ready = snapshot.with_name("site.sqlite3")
        if not ready.exists():
            making = snapshot.with_name("site-in-the-making")
            shutil.rmtree(making, ignore_errors=True)
            making.mkdir()
            made = making / ready.name
            _prepare(_environment(made, making / "media"), made, snapshot, migrated)
            made.rename(ready)  # a stopped run leaves no half-made database
            shutil.rmtree(making)
        shutil.copy(ready, database)
        if snapshot.with_name("media").exists():
            shutil.copytree(snapshot.with_name("media"), folder / "media", dirs_exist_ok=True)
    log = (folder / "server.log").open("w")  # closed below, after the server stops
    server = _manage(env, "runserver", "--noreload", f"127.0.0.1:{port}", background=True, log=log)
    assert server is not None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def log_in(page, base_url: str, email: str) -> None:
    if not email:  # the public role: nobody signs in
        page.goto(f"{base_url}/")
        return
    page.goto(f"{base_url}/app/account/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def main_pages(page, base_url: str, role: str, look=None) -> list[Stop]:
    """After log_in: the menu links of the role, then one detail page linked from each. With
    `look`, each of them is opened once and `look(stop)` is called while it is open."""
    menu = page.eval_on_selector_all(
        "nav.nav a" if ROLES[role] else "nav.tabs a",
        "links => links.map(a => a.getAttribute('href'))",
    )
    paths: list[str] = []
    for href in menu:
        if href not in paths:
            paths.append(href)
    details: list[str] = []
    for path in list(paths):
        page.goto(base_url + path)
        if look is not None:
            look(Stop(role, path))
        hrefs = page.eval_on_selector_all(
            "main a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            if DETAIL.match(href) and not SKIP.search(href) and href not in paths + details:
                details.append(href)
                break
    if look is not None:
        for path in details:
            page.goto(base_url + path)
            look(Stop(role, path))
    return [Stop(role, path) for path in paths + details]

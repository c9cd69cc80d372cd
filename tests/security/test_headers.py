"""Headers and deployment: a Content-Security-Policy without inline script, HSTS behind
HTTPS, `check --deploy` quiet with the documented production environment."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "bibliomo" / "templates"


def test_every_html_page_has_a_policy_without_inline_script(cast, client, login):
    for url in ("/", reverse("login"), reverse("public_news")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy.split(";")[1]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    page = login(cast.methodist).get(reverse("events:index"))
    assert "Content-Security-Policy" in page
    feed = client.get(reverse("public_events_feed"))
    assert "Content-Security-Policy" not in feed  # not HTML


def test_no_template_has_inline_script_or_handlers():
    """What the policy forbids must not be in the templates: <script> without src, on*=."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        for match in re.finditer(r"<[a-z][^>]*\son[a-z]+\s*=", text):
            found.append(f"{path.relative_to(ROOT)}: {match.group(0)[:80]}")
    assert found == []


def test_hsts_behind_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    secure = client.get(reverse("login"), headers={"x-forwarded-proto": "https"})
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get(reverse("login"))


def _documented_environment(tmp_path) -> dict[str, str]:
    """.env.example as a production server would have it (a real secret, local folders)."""
    test_only = ("DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        BIBLIOMO_VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def test_check_deploy_is_quiet_with_the_documented_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bibliomo.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=_documented_environment(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_keeps_database_connections(tmp_path):
    env = _documented_environment(tmp_path)
    del env["DB_CONN_MAX_AGE"]
    code = "import bibliomo.settings as s; d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["60", "True"], result.stderr


@pytest.mark.parametrize("name", ["SECURE_HSTS_SECONDS", "DB_CONN_MAX_AGE", "SECURE_SSL_REDIRECT"])
def test_new_variables_are_documented(name):
    assert f"\n{name}=" in (ROOT / ".env.example").read_text()
    assert name in (ROOT / "README.md").read_text()
    assert hasattr(settings, name) or name == "DB_CONN_MAX_AGE"

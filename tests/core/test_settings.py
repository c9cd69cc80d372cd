import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from bibliomo.settings import envbool, envint, envlist


def test_envbool_is_strict(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert envbool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        envbool("X_FLAG", False)


def test_envint_and_envlist(monkeypatch):
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.ru, b.ru,")
    assert envint("X_INT", 1) == 12
    assert envlist("X_LIST", []) == ["a.ru", "b.ru"]
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured):
        envint("X_INT", 1)


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "", "BIBLIOMO_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import bibliomo.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_local_secret_key_is_generated_once(tmp_path):
    env = {**os.environ, "DEBUG": "true", "SECRET_KEY": "", "BIBLIOMO_VAR_DIR": str(tmp_path)}
    code = "import bibliomo.settings as s; print(s.SECRET_KEY)"
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.stdout == second.stdout and len(first.stdout.strip()) > 40
    assert (tmp_path / "secret_key").exists()

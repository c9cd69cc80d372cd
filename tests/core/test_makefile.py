"""`make run` as a newcomer meets it: Ctrl-C stops server and worker cleanly, links follow PORT."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Stands in for the `bibliomo` command: the worker records how it stopped, the server records
# the site address it was given and, like Django's runserver, exits 0 on Ctrl-C.
FAKE_BIBLIOMO = """#!/bin/sh
out="$(dirname "$0")"
case "$1" in
  db_worker)
    trap 'echo stopped > "$out/worker"; exit 0' TERM
    echo running > "$out/worker"
    while :; do sleep 0.05; done ;;
  runserver)
    trap 'echo interrupted > "$out/server"; exit 0' INT
    echo "$2 $SITE_URL" > "$out/address"
    echo running > "$out/server"
    while :; do sleep 0.05; done ;;
esac
"""

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _fake_bin(tmp_path):
    script = tmp_path / "bibliomo"
    script.write_text(FAKE_BIBLIOMO)
    script.chmod(0o755)
    return tmp_path


def _wait_for(path, text, deadline=20.0):
    step = 0.05
    while deadline > 0:
        if path.exists() and path.read_text().strip() == text:
            return True
        time.sleep(step)
        deadline -= step
    return False


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(tmp_path, *args, env=None):
    return subprocess.Popen(
        ["make", "-s", "-C", str(ROOT), "serve", f"BIN={tmp_path}", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As in a terminal, even when the test run itself was started in the background.
        preexec_fn=_default_sigint,
        env={**os.environ, **(env or {})},
    )


def test_ctrl_c_stops_server_and_worker_without_error(tmp_path):
    bin_dir = _fake_bin(tmp_path)
    make = _start(bin_dir, "PORT=18501")
    try:
        assert _wait_for(bin_dir / "worker", "running")
        assert _wait_for(bin_dir / "server", "running")
        # Ctrl-C in a terminal sends SIGINT to the whole foreground process group.
        os.killpg(make.pid, signal.SIGINT)
        _out, err = make.communicate(timeout=20)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
    assert "Segmentation fault" not in err
    assert "***" not in err, err
    assert (bin_dir / "server").read_text().strip() == "interrupted"
    assert _wait_for(bin_dir / "worker", "stopped")


def test_site_address_follows_host_and_port(tmp_path):
    bin_dir = _fake_bin(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    make = subprocess.Popen(
        ["make", "-s", "-C", str(ROOT), "serve", f"BIN={bin_dir}", "PORT=18501"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_default_sigint,
        env=env,
    )
    try:
        assert _wait_for(bin_dir / "server", "running")
        assert (bin_dir / "address").read_text().split() == [
            "127.0.0.1:18501",
            "http://127.0.0.1:18501",
        ]
    finally:
        os.killpg(make.pid, signal.SIGINT)
        make.communicate(timeout=20)


def test_explicit_site_url_wins(tmp_path):
    bin_dir = _fake_bin(tmp_path)
    make = _start(bin_dir, "PORT=18501", env={"SITE_URL": "https://bibliomo.example.ru"})
    try:
        assert _wait_for(bin_dir / "server", "running")
        assert (bin_dir / "address").read_text().split()[1] == "https://bibliomo.example.ru"
    finally:
        os.killpg(make.pid, signal.SIGINT)
        make.communicate(timeout=20)


def test_run_installs_runtime_packages_only():
    makefile = (ROOT / "Makefile").read_text()
    runtime_stamp = makefile.split("$(VENV)/.installed:", 1)[1].split("\n\n", 1)[0]
    assert "-e ." in runtime_stamp and "[dev]" not in runtime_stamp
    run_target = makefile.split("\nrun:", 1)[1].split("\n", 1)[0]
    assert "setup-dev" not in run_target
    test_target = makefile.split("\ntest:", 1)[1].split("\n", 1)[0]
    assert "setup-dev" in test_target

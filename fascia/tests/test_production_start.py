"""The production profile starts from a fresh data directory the way the README says — migrate,
collect the static files, serve with gunicorn — and answers; started without its static files
it refuses with one sentence naming the command, instead of answering 500 to every page."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = "fascia.example.org"


def _environment(data: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "SECRET_KEY"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="fascia.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        FASCIA_DATA_DIR=str(data),
        # On the PostgreSQL run, the throw-away server's own (empty) database; else SQLite.
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{data / 'fascia.sqlite3'}",
    )
    return environment


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _gunicorn(environment: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "fascia.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _get(port: int, path: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": HOST, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _fascia(environment: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "fascia", *args],
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_production_starts_from_a_fresh_data_directory(tmp_path: Path) -> None:
    environment = _environment(tmp_path)
    _fascia(environment, "migrate", "--noinput")

    refused = _gunicorn(environment, _free_port())
    output, _ = refused.communicate(timeout=60)
    assert refused.returncode != 0
    assert "run `fascia collectstatic --noinput`" in output

    _fascia(environment, "collectstatic", "--noinput")
    port = _free_port()
    server = _gunicorn(environment, port)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if _get(port, "/health/") == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert {path: _get(port, path) for path in ("/", "/accounts/sign-in/", "/health/")} == {
            "/": 200,
            "/accounts/sign-in/": 200,
            "/health/": 200,
        }
    finally:
        server.terminate()
        server.communicate(timeout=30)

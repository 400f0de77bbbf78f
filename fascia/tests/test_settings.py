"""Start-up reads settings from the environment and stops bad ones with one clear sentence."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

GOOD_SECRET = secrets.token_urlsafe(64)


def fascia(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "fascia", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({"DATABASE_URL": "mysql-ish nonsense"}, "DATABASE_URL must look like"),
        ({"DATABASE_URL": "postgres://user@localhost:5432/"}, "no database name"),
        ({"TIME_ZONE": "Mars/Olympus_Mons"}, "is not a known time zone"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DJANGO_SETTINGS_MODULE": "fascia.settings.production"}, "SECRET_KEY must be set"),
        (
            {"DJANGO_SETTINGS_MODULE": "fascia.settings.production", "SECRET_KEY": "short"},
            "at least 50 random characters",
        ),
        (
            {
                "DJANGO_SETTINGS_MODULE": "fascia.settings.production",
                "SECRET_KEY": GOOD_SECRET,
                "FASCIA_ALLOW_DEMO": "true",
            },
            "cannot be turned on in production",
        ),
        ({"SECRET_KEY_FILE": "/nonexistent/secret"}, "cannot be read"),
    ],
)
def test_bad_settings_stop_start_up_with_one_clear_sentence(
    env: dict[str, str], sentence: str
) -> None:
    result = fascia("check", **env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fascia: ")
    assert sentence in lines[0]


def test_production_settings_pass_the_deploy_check() -> None:
    result = fascia(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="fascia.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="fascia.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_secret_key_can_come_from_a_file(tmp_path: pytest.TempPathFactory) -> None:
    secret_file = tmp_path / "secret"  # type: ignore[operator]
    secret_file.write_text(GOOD_SECRET + "\n")
    result = fascia(
        "check",
        DJANGO_SETTINGS_MODULE="fascia.settings.production",
        SECRET_KEY_FILE=str(secret_file),
        ALLOWED_HOSTS="fascia.example.org",
    )
    assert result.returncode == 0, result.stderr

"""Reading settings from the environment, with one clear sentence for every mistake."""

import os
import zoneinfo
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


class SettingsError(ImproperlyConfigured):
    """A setting in the environment is missing or invalid; the message is one sentence."""


def secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise SettingsError(f"{name}_FILE names {file_name!r}, which cannot be read.") from exc
    return os.environ.get(name, default)


def database(default_sqlite_path: Path) -> dict[str, Any]:
    """The default database from DATABASE_URL, or the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        config: dict[str, Any] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
        }
    else:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        if scheme not in DATABASE_SCHEMES:
            raise SettingsError(
                "DATABASE_URL must look like postgres://user:password@host:5432/name or "
                "sqlite:////absolute/path.db; it was not understood."
            )
        try:
            config = env.db_url_config(url)
        except Exception as exc:
            raise SettingsError(f"DATABASE_URL could not be read: {exc}.") from exc
        if scheme != "sqlite" and not config.get("NAME"):
            raise SettingsError("DATABASE_URL has no database name after the host.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers proceed during a write; IMMEDIATE makes every transaction take the
        # write lock at BEGIN, so check-then-insert (booking) is serialised instead of failing
        # with "database is locked" when two deferred transactions both try to upgrade.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "fascia.postgresql"  # Django's, its health check without a round trip
    # Keep each worker's connection between requests, on SQLite as on PostgreSQL: opening one
    # (and its PRAGMAs) cost every SQLite request about four fifths of a trivial answer. Safe
    # with WAL and gunicorn's sync workers (a connection per thread); checked before reuse.
    config.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    config["ATOMIC_REQUESTS"] = False
    return config


def email(default: str) -> dict[str, Any]:
    """Email backend settings from EMAIL_URL (smtp://, smtp+tls://, consolemail://, ...)."""
    url = os.environ.get("EMAIL_URL", default)
    try:
        return env.email_url_config(url)
    except Exception as exc:
        raise SettingsError(f"EMAIL_URL could not be read: {exc}.") from exc


def cache(default_directory: Path) -> dict[str, Any]:
    """The cache from CACHE_URL (redis://host:6379/0, pymemcache://host:11211, filecache:///dir,
    locmemcache://); by default a directory every process on this machine shares."""
    url = os.environ.get("CACHE_URL", "").strip()
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(default_directory),
        }
    try:
        return env.cache_url_config(url)
    except Exception as exc:
        raise SettingsError(f"CACHE_URL could not be read: {exc}.") from exc


def time_zone(default: str) -> str:
    name = os.environ.get("TIME_ZONE", default)
    if name not in zoneinfo.available_timezones():
        raise SettingsError(f"TIME_ZONE {name!r} is not a known time zone (e.g. America/Toronto).")
    return name


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def boolean(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(f"{name} must be true or false, not {value!r}.")


def integer(name: str, default: int) -> int:
    try:
        return env.int(name, default=default)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{name} must be a whole number.") from exc


def host_list(name: str, default: list[str]) -> list[str]:
    return [host.strip() for host in env.list(name, default=default) if host.strip()]

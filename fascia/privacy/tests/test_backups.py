"""Backups that restore: `fascia backup` writes one encrypted file of a practice's whole
installation (a visit with every kind of record, two practices' audit chains, public and
protected uploads); `fascia restore` on a new, empty installation brings back every row of
every table and every file, byte for byte, with the audit chain whole — on SQLite and on
PostgreSQL alike. A wrong key, a changed byte, a file cut short or a backup from a newer
Fascia is refused with its reason and leaves the new installation as empty as it was."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fascia.conftest import make_practice
from fascia.privacy import sealing
from fascia.privacy.sealing import BackupRefused, SealedReader, SealedWriter
from fascia.records.tests.conftest import Chart

KEY = "correct horse battery staple, twice"
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def installation(tmp_path: Path, settings: Any) -> Path:
    """The files of the installation being backed up, and its backup key."""
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "source" / "private"
    settings.FASCIA_BACKUP_KEY = KEY
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "maple.png").write_bytes(b"\x89PNG" + os.urandom(3000))
    (settings.PRIVATE_MEDIA_ROOT / "referrals" / "2026").mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / "referrals" / "2026" / "dr-lee.pdf").write_bytes(
        b"%PDF-1.4 " + os.urandom(5000)
    )
    return tmp_path


@pytest.fixture
def new_installation(installation: Path) -> Iterator[Callable[..., Any]]:
    """Run `fascia` on another, empty installation: its own data folder and database (on
    PostgreSQL a new database on the same server)."""
    home = installation / "restored"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fascia.settings.dev",
        "FASCIA_DATA_DIR": str(home),
        "FASCIA_BACKUP_KEY": KEY,
    }
    environment.pop("DATABASE_URL", None)
    if connection.vendor == "postgresql":
        name = f"restored_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        environment["DATABASE_URL"] = f"{url}/{name}"

    def fascia(*arguments: str, **changes: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fascia", *arguments],
            env={**environment, **changes},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    fascia.home = home  # type: ignore[attr-defined]
    fascia.environment = environment  # type: ignore[attr-defined]
    yield fascia
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _tables(database_url: str | None, sqlite_path: Path | None) -> dict[str, tuple[Any, ...]]:
    """Each table's row count and an MD5 of all its rows, read without Fascia's own code."""
    if sqlite_path is not None:
        with sqlite3.connect(sqlite_path) as database:
            names = [
                n
                for (n,) in database.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            dump: dict[str, list[str]] = {name: [] for name in names}
            for line in database.iterdump():
                for name in names:
                    if line.startswith(f'INSERT INTO "{name}" '):
                        dump[name].append(line)
        database.close()
        return {
            name: (len(rows), hashlib.md5("\n".join(sorted(rows)).encode()).hexdigest())  # noqa: S324
            for name, rows in dump.items()
        }
    import psycopg

    assert database_url is not None
    with psycopg.connect(database_url) as server:
        names = [
            n
            for (n,) in server.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        ]
        return {
            name: server.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                f'FROM "{name}" t'
            ).fetchone()
            or ()
            for name in names
        }


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _source_tables() -> dict[str, tuple[Any, ...]]:
    if connection.vendor == "sqlite":
        return _tables(None, Path(connection.settings_dict["NAME"]))
    settings = connection.settings_dict
    return _tables(
        f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}",
        None,
    )


def _restored_tables(fascia: Any) -> dict[str, tuple[Any, ...]]:
    if connection.vendor == "sqlite":
        return _tables(None, fascia.home / "fascia.sqlite3")
    return _tables(fascia.environment["DATABASE_URL"], None)


def _holds_nothing(fascia: Any) -> bool:
    asked = fascia(
        "shell",
        "-c",
        "from fascia.privacy.backups import installation_is_empty as e; print(e())",
    )
    files = [p for p in (fascia.home / "private").rglob("*") if p.is_file()]
    files += [p for p in (fascia.home / "media").rglob("*") if p.is_file()]
    return asked.stdout.strip().endswith("True") and not files


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_and_file_on_a_new_installation(
    installation: Path,
    kept: Chart,
    new_installation: Any,
) -> None:
    make_practice("birch", "Birch Physio and Massage")  # a second practice, its own chain
    backup = installation / "fascia.backup"
    out = io.StringIO()
    call_command("backup", str(backup), stdout=out)
    assert "Backup written" in out.getvalue()
    assert backup.stat().st_mode & 0o077 == 0  # readable by its owner only
    raw = backup.read_bytes()
    assert b"Neck pain" not in raw and b"%PDF-1.4" not in raw  # encrypted, not just packed
    before = _source_tables()
    assert before["records_treatmentnote"][0] == 1 and before["audit_auditentry"][0] > 10

    restored = new_installation("restore", str(backup))

    assert restored.returncode == 0, restored.stderr
    assert "Restored and checked" in restored.stdout
    assert _restored_tables(new_installation) == before
    assert _files(new_installation.home / "media") == _files(installation / "source" / "media")
    assert _files(new_installation.home / "private") == _files(installation / "source" / "private")
    verified = new_installation("audit", "verify")
    assert verified.returncode == 0 and "maple" in verified.stdout and "whole" in verified.stdout
    # The restored installation is the product again: it runs and writes.
    checked = new_installation("retention", "report")
    assert checked.returncode == 0, checked.stderr

    again = new_installation("restore", str(backup))
    assert again.returncode == 1 and "empty installation" in again.stderr


def _resealed(backup: Path, change: Callable[[dict[str, Any]], None], into: Path) -> Path:
    """The backup with its manifest changed and sealed again with the right key (what a newer
    Fascia would write)."""
    with backup.open("rb") as source:
        plain = io.BytesIO(SealedReader(source, KEY).read())
    rewritten = io.BytesIO()
    with tarfile.open(fileobj=plain) as old, tarfile.open(fileobj=rewritten, mode="w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    with into.open("wb") as sink:
        writer = SealedWriter(sink, KEY)
        writer.write(rewritten.getvalue())
        writer.close()
    return into


@pytest.mark.django_db(transaction=True)
def test_a_bad_backup_is_refused_and_changes_nothing(
    installation: Path, maple: Any, new_installation: Any
) -> None:
    backup = installation / "fascia.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    changed = installation / "changed.backup"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    cut = installation / "cut.backup"
    cut.write_bytes(backup.read_bytes()[:-100])
    newer = _resealed(
        backup,
        lambda m: m["migrations"]["records"].append("9999_from_the_future"),
        installation / "newer.backup",
    )
    wrong_practice_count = _resealed(
        backup,
        lambda m: m["tables"]["practices_practice"].update(rows=2),
        installation / "lying.backup",
    )
    refusals = {
        "wrong key": (new_installation("restore", str(backup), FASCIA_BACKUP_KEY="x" * 30), "key"),
        "a changed byte": (new_installation("restore", str(changed)), "changed"),
        "cut short": (new_installation("restore", str(cut)), "cut short"),
        "newer": (new_installation("restore", str(newer)), "newer version of Fascia"),
        "no key": (
            new_installation("restore", str(backup), FASCIA_BACKUP_KEY=""),
            "FASCIA_BACKUP_KEY",
        ),
    }
    for case, (answer, reason) in refusals.items():
        assert answer.returncode == 1, case
        assert "Nothing was restored" in answer.stderr and reason in answer.stderr, (
            case,
            answer.stderr,
        )
        assert "Traceback" not in answer.stderr, case
    assert _holds_nothing(new_installation)
    # A manifest that does not match the database it came with is caught (on SQLite before the
    # copy is put in place; on PostgreSQL by the check of what was loaded).
    lying = new_installation("restore", str(wrong_practice_count))
    assert lying.returncode == 1
    assert (
        "does not match its manifest" in lying.stderr
        or "differs from the backup in: practices_practice" in lying.stderr
    )


@pytest.mark.django_db(transaction=True)
def test_restoring_onto_a_practice_in_use_is_refused(installation: Path, maple: Any) -> None:
    backup = installation / "fascia.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError, match="empty installation"):
        call_command("restore", str(backup))
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", str(backup))


def test_the_sealed_stream_refuses_reordered_dropped_or_added_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sealing, "CHUNK_BYTES", 64)
    plain = os.urandom(64 * 5 + 10)
    sink = io.BytesIO()
    writer = SealedWriter(sink, KEY)
    for start in range(0, len(plain), 50):
        writer.write(plain[start : start + 50])
    writer.close()
    sealed = sink.getvalue()
    assert SealedReader(io.BytesIO(sealed), KEY).read() == plain

    header = sealing.HEADER.size
    parts, at = [], header
    while at < len(sealed):
        (size,) = sealing.LENGTH.unpack(sealed[at : at + 4])
        parts.append(sealed[at : at + 4 + size])
        at += 4 + size
    assert len(parts) == 6
    swapped = sealed[:header] + parts[1] + parts[0] + b"".join(parts[2:])
    dropped = sealed[:header] + b"".join(parts[:2] + parts[3:])
    no_end = sealed[:header] + b"".join(parts[:-1])
    added = sealed + parts[2]
    for case, copy in {
        "swapped": swapped,
        "dropped": dropped,
        "no end": no_end,
        "added": added,
    }.items():
        with pytest.raises(BackupRefused):
            SealedReader(io.BytesIO(copy), KEY).read()
        assert case
    with pytest.raises(BackupRefused, match="key"):
        SealedReader(io.BytesIO(sealed), "another key of twenty chars").read()

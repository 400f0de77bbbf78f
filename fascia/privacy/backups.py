"""Backups a clinic can recover from a dead disk with: `make_backup` writes one encrypted file
holding a consistent copy of the database, every uploaded file (public media and protected
documents) and a manifest of what it holds (each table's row count and checksum, each file's
size and checksum, the migrations it was made at, each audit chain's head); `restore_backup`
brings it back onto an empty installation and proves it is whole — or refuses, with the
reason, before changing anything.

The archive, once decrypted (`sealing.py`), is a tar stream: `database/…`, `files/media/…`,
`files/private/…`, and last `manifest.json`."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from fascia.audit.chain import verify_chain
from fascia.audit.models import AuditChainHead
from fascia.privacy import database_copy
from fascia.privacy.sealing import BackupRefused, SealedReader, SealedWriter, backup_secret

BACKUP_FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database/fascia.sqlite3", "postgresql": "database/fascia.pgdump"}


def file_roots() -> dict[str, Path]:
    """The folders of uploaded files a backup keeps, by their name in the archive."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(
        MigrationLoader(connection, ignore_no_migrations=True).applied_migrations
    ):
        applied.setdefault(app, []).append(name)
    return applied


def _audit_heads() -> dict[str, list[Any]]:
    return {
        str(head.practice_id): [head.sequence, head.entry_hash]
        for head in AuditChainHead.objects.order_by("practice_id")
    }


def _fascia_version() -> str:
    try:
        return version("fascia")
    except PackageNotFoundError:  # pragma: no cover - always installed with `pip install -e .`
        return "unknown"


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    tables: int
    rows: int
    files: int
    bytes: int


def make_backup(path: Path, *, now: datetime | None = None) -> BackupSummary:
    """Write the encrypted backup to `path` (written beside it, then moved into place: a
    failed backup never leaves a half file under the name)."""
    secret = backup_secret()
    path = Path(path)
    if path.exists():
        raise BackupRefused(
            _("%(path)s already exists: a backup never overwrites another.") % {"path": path}
        )
    staged = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="fascia-backup-") as work:
        dump = Path(work) / "database"
        tables = database_copy.copy_database(dump)
        manifest: dict[str, Any] = {
            "format": BACKUP_FORMAT,
            "fascia": _fascia_version(),
            "made_at": (now or datetime.now(UTC)).isoformat(),
            "database": {
                "engine": connection.vendor,
                "name": DATABASE_FILES[connection.vendor],
                "bytes": dump.stat().st_size,
                "sha256": _sha256(dump),
            },
            "migrations": _applied_migrations(),
            "tables": tables,
            "audit_heads": _audit_heads(),
            "files": {},
        }
        try:
            with os.fdopen(
                os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb"
            ) as sink:
                sealed = SealedWriter(sink, secret)
                with tarfile.open(fileobj=sealed, mode="w|") as archive:  # type: ignore[call-overload]
                    archive.add(dump, arcname=manifest["database"]["name"])
                    for kind, root in file_roots().items():
                        for found in _files_under(root):
                            name = f"files/{kind}/{found.relative_to(root).as_posix()}"
                            data = found.read_bytes()
                            manifest["files"][name] = {
                                "bytes": len(data),
                                "sha256": hashlib.sha256(data).hexdigest(),
                            }
                            _add_bytes(archive, name, data)
                    _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
                sealed.close()
            staged.replace(path)
        finally:
            staged.unlink(missing_ok=True)
    return BackupSummary(
        path=path,
        tables=len(tables),
        rows=sum(t["rows"] for t in tables.values()),
        files=len(manifest["files"]),
        bytes=path.stat().st_size,
    )


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mode = 0o600
    archive.addfile(member, io.BytesIO(data))


# Restoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreSummary:
    tables: int
    rows: int
    files: int
    audit_entries: int
    migrated: bool


def _opened(source: IO[bytes], secret: str, into: Path) -> dict[str, Any]:
    """Decrypt and unpack the whole archive into `into` (every chunk checked on the way) and
    give back its manifest."""
    reader = SealedReader(source, secret)
    manifest = None
    try:
        with tarfile.open(fileobj=reader, mode="r|") as archive:  # type: ignore[call-overload]
            for member in archive:
                name = PurePosixPath(member.name)
                if not member.isfile() or name.is_absolute() or ".." in name.parts:
                    raise BackupRefused(
                        _("The backup holds an entry it should not: %(name)s.")
                        % {"name": member.name}
                    )
                extracted = archive.extractfile(member)
                assert extracted is not None
                if member.name == MANIFEST:
                    manifest = json.loads(extracted.read())
                    continue
                target = into.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as sink:
                    while block := extracted.read(1024 * 1024):
                        sink.write(block)
    except tarfile.TarError as error:
        raise BackupRefused(_("The backup cannot be read: %(error)s") % {"error": error}) from error
    if manifest is None:
        raise BackupRefused(_("The backup has no manifest: it is incomplete."))
    return manifest


def _check_fits_here(manifest: dict[str, Any]) -> None:
    if manifest.get("format", 0) > BACKUP_FORMAT:
        raise BackupRefused(
            _("This backup was made by a newer version of Fascia; upgrade Fascia first.")
        )
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise BackupRefused(
            _("This backup holds a %(theirs)s database; this installation uses %(ours)s.")
            % {"theirs": engine, "ours": connection.vendor}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupRefused(
            _(
                "This backup was made by a newer version of Fascia (%(version)s, with changes "
                "this version does not have: %(migrations)s); upgrade Fascia first."
            )
            % {"version": manifest.get("fascia", "?"), "migrations": ", ".join(unknown[:3])}
        )


def _check_contents(manifest: dict[str, Any], unpacked: Path) -> None:
    database = unpacked / manifest["database"]["name"]
    if not database.is_file() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupRefused(_("The backup's database copy does not match its manifest."))
    for name, expected in manifest["files"].items():
        found = unpacked / name
        if not found.is_file() or _sha256(found) != expected["sha256"]:
            raise BackupRefused(
                _("The backup's file %(name)s does not match its manifest.") % {"name": name}
            )


def installation_is_empty() -> bool:
    """No practice and no person yet: a new database, migrated or not."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for table in ("practices_practice", "accounts_user"):
            if table in tables:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608 - fixed names
                if cursor.fetchone():
                    return False
    return True


def _check_no_files_here(manifest: dict[str, Any]) -> None:
    roots = file_roots()
    for name in manifest["files"]:
        _files, kind, rest = name.split("/", 2)
        if roots[kind].joinpath(*PurePosixPath(rest).parts).exists():
            raise BackupRefused(
                _("%(name)s is already here: restore onto an empty installation.") % {"name": name}
            )


def restore_backup(path: Path) -> RestoreSummary:
    """Bring the backup at `path` back onto this (empty) installation and check it: every
    table's rows and checksum, every file, and each practice's audit chain."""
    secret = backup_secret()
    if not installation_is_empty():
        raise BackupRefused(
            _(
                "This installation already holds practices or people: restore only onto an "
                "empty installation (a new database and data folder)."
            )
        )
    try:
        source = Path(path).open("rb")  # noqa: SIM115 - closed by the `with` below
    except OSError as error:
        raise BackupRefused(
            _("%(path)s cannot be read: %(error)s") % {"path": path, "error": error.strerror}
        ) from error
    with tempfile.TemporaryDirectory(prefix="fascia-restore-") as work, source:
        unpacked = Path(work)
        manifest = _opened(source, secret, unpacked)
        _check_fits_here(manifest)
        _check_contents(manifest, unpacked)
        _check_no_files_here(manifest)
        copy = unpacked / manifest["database"]["name"]
        if (
            connection.vendor == "sqlite"
            and database_copy.sqlite_fingerprints(copy) != manifest["tables"]
        ):
            raise BackupRefused(_("The backup's database copy does not match its manifest."))
        restored = database_copy.put_database_in_place(copy)
        for name in manifest["files"]:
            _files, kind, rest = name.split("/", 2)
            target = file_roots()[kind].joinpath(*PurePosixPath(rest).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            (unpacked / name).replace(target)
    return _prove_restored(manifest, restored)


def _prove_restored(manifest: dict[str, Any], restored: dict[str, Any]) -> RestoreSummary:
    if restored != manifest["tables"]:
        different = sorted(
            name
            for name in set(restored) | set(manifest["tables"])
            if restored.get(name) != manifest["tables"].get(name)
        )
        raise BackupRefused(
            _("The restored database differs from the backup in: %(tables)s.")
            % {"tables": ", ".join(different[:5])}
        )
    roots = file_roots()
    for name, expected in manifest["files"].items():
        _files, kind, rest = name.split("/", 2)
        if _sha256(roots[kind].joinpath(*PurePosixPath(rest).parts)) != expected["sha256"]:
            raise BackupRefused(_("The restored file %(name)s differs.") % {"name": name})
    report = verify_chain(None)
    if not report.whole or _audit_heads() != manifest["audit_heads"]:
        raise BackupRefused(
            _("The restored audit log's chain is not whole: %(problems)s")
            % {"problems": "; ".join(report.problems.values()) or _("its head moved")}
        )
    executor = MigrationExecutor(connection)
    migrated = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if migrated:
        call_command("migrate", verbosity=0, interactive=False)
    return RestoreSummary(
        tables=len(restored),
        rows=sum(t["rows"] for t in restored.values()),
        files=len(manifest["files"]),
        audit_entries=sum(report.checked.values()),
        migrated=migrated,
    )

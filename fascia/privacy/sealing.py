"""A backup's encryption: a stream of AES-256-GCM chunks under a key derived (scrypt) from the
operator's secret, so a backup can be written and read without holding it in memory.

The file is a header (format, salt, nonce prefix) and then chunks, each its length and its
ciphertext. A chunk's nonce is the prefix, its number and whether it is the last, and the
header is authenticated with every chunk: a changed byte, a reordered, dropped or added chunk,
or a file cut short is refused, as is a wrong key — before anything is restored."""

from __future__ import annotations

import os
import struct
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.utils.translation import gettext as _

MAGIC = b"FASCIA-BACKUP\x00"
SEALING_VERSION = 1
SALT_BYTES = 16
PREFIX_BYTES = 7
CHUNK_BYTES = 1024 * 1024
SHORTEST_KEY = 20  # characters of the operator's secret
HEADER = struct.Struct(f">{len(MAGIC)}sB{SALT_BYTES}s{PREFIX_BYTES}s")
LENGTH = struct.Struct(">I")


class BackupRefused(Exception):
    """A backup that cannot be made or restored, with the sentence the operator reads.
    Nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def backup_secret() -> str:
    """The operator's backup secret: FASCIA_BACKUP_KEY, or the first line of the file named by
    FASCIA_BACKUP_KEY_FILE (kept out of the environment of every other process)."""
    secret = settings.FASCIA_BACKUP_KEY
    if not secret:
        raise BackupRefused(
            _("Set FASCIA_BACKUP_KEY or FASCIA_BACKUP_KEY_FILE: backups are always encrypted.")
        )
    if len(secret) < SHORTEST_KEY:
        raise BackupRefused(
            _("The backup key is too short: use at least %(count)d characters.")
            % {"count": SHORTEST_KEY}
        )
    return secret


def _derive(secret: str, salt: bytes) -> AESGCM:
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(secret.encode())
    return AESGCM(key)


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, 1 if last else 0)


class SealedWriter:
    """A write-only file object that encrypts what is written to `sink` in chunks; `close()`
    writes the last chunk (the one that says the backup is whole)."""

    def __init__(self, sink: IO[bytes], secret: str) -> None:
        salt, self._prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self._header = HEADER.pack(MAGIC, SEALING_VERSION, salt, self._prefix)
        self._cipher = _derive(secret, salt)
        self._sink = sink
        self._pending = bytearray()
        self._number = 0
        self._closed = False
        sink.write(self._header)

    def write(self, data: bytes) -> int:
        self._pending += data
        while len(self._pending) > CHUNK_BYTES:
            self._seal(bytes(self._pending[:CHUNK_BYTES]), last=False)
            del self._pending[:CHUNK_BYTES]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self._cipher.encrypt(_nonce(self._prefix, self._number, last), plain, self._header)
        self._sink.write(LENGTH.pack(len(sealed)) + sealed)
        self._number += 1

    def flush(self) -> None:
        self._sink.flush()

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._pending), last=True)
            self._pending.clear()
            self._closed = True
            self._sink.flush()


class SealedReader:
    """A read-only file object giving back what a `SealedWriter` wrote, checking every chunk;
    raises `BackupRefused` on a wrong key or any change to the file."""

    def __init__(self, source: IO[bytes], secret: str) -> None:
        header = source.read(HEADER.size)
        if len(header) < HEADER.size or not header.startswith(MAGIC):
            raise BackupRefused(_("This file is not a Fascia backup."))
        _magic, version, salt, self._prefix = HEADER.unpack(header)
        if version > SEALING_VERSION:
            raise BackupRefused(
                _("This backup was made by a newer version of Fascia; upgrade Fascia first.")
            )
        self._header = header
        self._cipher = _derive(secret, salt)
        self._source = source
        self._plain = b""
        self._number = 0
        self._ended = False

    def _open_next(self) -> None:
        length = self._source.read(LENGTH.size)
        if len(length) < LENGTH.size:
            raise BackupRefused(_("The backup is cut short: its end is missing."))
        (size,) = LENGTH.unpack(length)
        sealed = self._source.read(size)
        if len(sealed) < size:
            raise BackupRefused(_("The backup is cut short: its end is missing."))
        for last in (False, True):
            try:
                plain = self._cipher.decrypt(
                    _nonce(self._prefix, self._number, last), sealed, self._header
                )
            except InvalidTag:
                continue
            self._number += 1
            self._plain += plain
            if last:
                self._ended = True
                if self._source.read(1):
                    raise BackupRefused(
                        _("The backup was changed after it was made: data follows its end.")
                    )
            return
        if self._number == 0:
            raise BackupRefused(
                _("The key does not open this backup: a wrong key, or the file was changed.")
            )
        raise BackupRefused(
            _("The backup was changed after it was made (part %(number)d fails its check).")
            % {"number": self._number + 1}
        )

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._plain) < size):
            self._open_next()
        if size < 0:
            size = len(self._plain)
        answer, self._plain = self._plain[:size], self._plain[size:]
        return answer

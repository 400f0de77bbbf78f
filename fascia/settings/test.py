"""Test profile: the dev settings with fast password hashing and mail kept in memory."""

import tempfile
from pathlib import Path

from fascia.settings.dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SMS_BACKEND = "fascia.notifications.sms.MemorySmsBackend"
# One process's memory; fascia/conftest.py empties it before each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A file, not memory: concurrency tests need SQLite's real locking (WAL + IMMEDIATE), as in
# production. pytest-xdist gives each worker its own copy.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-fascia.sqlite3")}  # noqa: F405

# Referral notes and other private uploads go to a throw-away directory.
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "fascia-test-private"

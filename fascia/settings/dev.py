"""The default profile: a developer's machine or `make run`, embedded SQLite, demo data allowed."""

from fascia.settings import environment
from fascia.settings.base import *  # noqa: F403
from fascia.settings.base import STATIC_ROOT

DEBUG = environment.boolean("DEBUG", True)
# Not a secret: it signs nothing that leaves a developer's machine. Production requires its own.
SECRET_KEY = environment.secret("SECRET_KEY") or "django-insecure-fascia-development-only"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise expects STATIC_ROOT to exist even when runserver serves from the apps.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True

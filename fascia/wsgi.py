"""The WSGI application gunicorn serves (`gunicorn fascia.wsgi`), in the production profile
unless told otherwise. A server that cannot work says so in one sentence and does not start:
a bad setting, or static files that were never collected (every page would answer 500)."""

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fascia.settings.production")


def _refuse(sentence: str) -> None:
    sys.stderr.write(f"fascia: {sentence}\n")
    raise SystemExit(3)


def _check_ready() -> None:
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading settings validates the environment
    except ImproperlyConfigured as error:
        _refuse(str(error))
    manifest_storage = "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest_storage and not settings.DEBUG and not manifest.exists():
        _refuse(
            f"the static files were never collected into {settings.STATIC_ROOT}: run "
            "`fascia collectstatic --noinput` (after `fascia migrate`) before starting the server."
        )


_check_ready()
application = get_wsgi_application()

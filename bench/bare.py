"""The framework's own limit, for every benchmark's ratios: a bare Django view (no middleware,
no database, no templates) answering a small JSON body, served by the same gunicorn as the
product in the same run. `gunicorn bench.bare:application`. `/?bytes=N` answers a body of N
bytes instead, to show what sending a large answer costs by itself."""

from __future__ import annotations

import secrets

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
    )

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path


def bare(request: HttpRequest) -> HttpResponse:
    size = int(request.GET.get("bytes", 0))
    if size:
        return HttpResponse(b"[" + b" " * max(0, size - 2) + b"]", content_type="application/json")
    return JsonResponse({"status": "ok"})


urlpatterns = [path("", bare)]
application = get_wsgi_application()

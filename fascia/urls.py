from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

from fascia.accounts.access import PUBLIC, access
from fascia.api.v1 import api

handler400 = "fascia.validation.bad_request"

# The public site's addresses come last: each of them starts with a word of its own, and a staff
# address resolved after them would first be tried against every one.
urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include("fascia.accounts.urls")),
    path("staff/", include("fascia.staff.urls")),
    path("staff/", include("fascia.mobile.urls")),
    path("staff/", include("fascia.records.urls")),
    path("staff/", include("fascia.billing.urls")),
    path("staff/", include("fascia.privacy.urls")),
    path("staff/pay/", include("fascia.pay.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("fascia.public.urls")),
]


@access(PUBLIC)
def development_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Development only: practice logos and therapist photos, which are public. Files holding
    health information are never stored under MEDIA_ROOT's public paths."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


if settings.DEBUG:
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", development_media))

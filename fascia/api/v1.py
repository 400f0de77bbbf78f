"""JSON API, version 1. Every operation declares its access policy with `auth=`; the API's
default (DenyAll) refuses any that forgets. OpenAPI schema at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import HttpError

from fascia.accounts.access import ANY_STAFF, PUBLIC, DenyAll
from fascia.accounts.practice_context import PracticeRequest
from fascia.api.schemas import LocationOut, ServiceOut, TherapistOut
from fascia.practices.models import Location, Practice, Service, ServiceDuration, Therapist
from fascia.staff.dashboard import PracticeSummary, summarise_practice

api = NinjaAPI(
    title="Fascia API",
    version="1",
    urls_namespace="api",
    auth=DenyAll(),
    docs_url="/docs",
)

PUBLIC_API = PUBLIC.api()


def practice_of(request: HttpRequest) -> Practice:
    """The practice a request acts for: the staff member's, or ?practice=slug for the public."""
    practice = getattr(request, "practice", None)
    if practice is not None:
        return practice
    slug = request.GET.get("practice")
    if slug:
        found = Practice.objects.filter(slug=slug).first()
        if found is not None:
            return found
        raise HttpError(404, f"No practice is called {slug!r}.")
    only = list(Practice.objects.all()[:2])
    if len(only) == 1:
        return only[0]
    raise HttpError(400, "Say which practice with ?practice=<slug>.")


@api.get("/practice/summary", response=PracticeSummary, auth=ANY_STAFF.api(), tags=["practice"])
def practice_summary(request: PracticeRequest) -> Any:
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return summarise_practice(request.practice, month_start=month_start)


@api.get("/services", response=list[ServiceOut], auth=PUBLIC_API, tags=["practice"])
def list_services(request: HttpRequest) -> Any:
    return (
        Service.objects.for_practice(practice_of(request))
        .filter(is_active=True)
        .prefetch_related(
            Prefetch("durations", queryset=ServiceDuration.objects.order_by("minutes"))
        )
    )


@api.get("/therapists", response=list[TherapistOut], auth=PUBLIC_API, tags=["practice"])
def list_therapists(request: HttpRequest) -> Any:
    return Therapist.objects.for_practice(practice_of(request)).filter(is_active=True)


@api.get("/locations", response=list[LocationOut], auth=PUBLIC_API, tags=["practice"])
def list_locations(request: HttpRequest) -> Any:
    locations = (
        Location.objects.for_practice(practice_of(request))
        .filter(is_active=True)
        .prefetch_related("service_areas")
    )
    return [
        {
            "id": location.pk,
            "name": location.name,
            "kind": location.kind,
            "address_lines": location.address_lines,
            "service_areas": [area.name for area in location.service_areas.all()],
        }
        for location in locations
    ]

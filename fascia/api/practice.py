"""The practice's public offer (services, therapists, locations) and the staff summary."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from fascia.accounts.access import ANY_STAFF, PUBLIC
from fascia.accounts.practice_context import PracticeRequest
from fascia.api.lookups import practice_of
from fascia.api.schemas import LocationOut, ServiceOut, TherapistOut
from fascia.practices.models import Location, Service, ServiceDuration, Therapist
from fascia.staff.dashboard import PracticeSummary, summarise_practice

router = Router(tags=["practice"])


@router.get("/practice/summary", response=PracticeSummary, auth=ANY_STAFF.api())
def practice_summary(request: PracticeRequest) -> Any:
    return summarise_practice(request.practice, now=timezone.now())


@router.get("/services", response=list[ServiceOut], auth=PUBLIC.api())
def list_services(request: HttpRequest) -> Any:
    return (
        Service.objects.for_practice(practice_of(request))
        .filter(is_active=True)
        .prefetch_related(
            Prefetch("durations", queryset=ServiceDuration.objects.order_by("minutes"))
        )
    )


@router.get("/therapists", response=list[TherapistOut], auth=PUBLIC.api())
def list_therapists(request: HttpRequest) -> Any:
    return Therapist.objects.for_practice(practice_of(request)).filter(is_active=True)


@router.get("/locations", response=list[LocationOut], auth=PUBLIC.api())
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

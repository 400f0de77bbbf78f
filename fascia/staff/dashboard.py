"""What the staff home page shows: the practice at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from fascia.clients.models import Client
from fascia.practices.models import Location, Practice, Service, Therapist


@dataclass(frozen=True)
class PracticeSummary:
    clients: int
    new_clients_this_month: int
    therapists: int
    accepting_therapists: int
    services: int
    bookable_online_services: int
    clinic_locations: int
    mobile_locations: int


def summarise_practice(practice: Practice, *, month_start: datetime) -> PracticeSummary:
    clients = Client.objects.for_practice(practice).aggregate(
        total=Count("id"), new=Count("id", filter=Q(created_at__gte=month_start))
    )
    therapists = Therapist.objects.for_practice(practice).filter(is_active=True)
    services = Service.objects.for_practice(practice).filter(is_active=True)
    locations = Location.objects.for_practice(practice).filter(is_active=True)
    return PracticeSummary(
        clients=clients["total"],
        new_clients_this_month=clients["new"],
        therapists=therapists.count(),
        accepting_therapists=therapists.filter(accepting_new_clients=True).count(),
        services=services.count(),
        bookable_online_services=services.filter(bookable_online=True).count(),
        clinic_locations=locations.filter(kind=Location.Kind.CLINIC).count(),
        mobile_locations=locations.filter(kind=Location.Kind.MOBILE).count(),
    )

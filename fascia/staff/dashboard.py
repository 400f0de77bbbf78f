"""What the staff home page shows: the practice at a glance, and the day's visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q

from fascia.clients.models import Client
from fascia.practices.models import Location, Practice, Service, Therapist
from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment, AppointmentStatus

UPCOMING_DAYS = 7
# A day's visits: everything but the cancelled ones (a no-show stays on the day's list).
DAY_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)


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
    appointments_today: int
    appointments_next_7_days: int


def summarise_practice(practice: Practice, *, now: datetime) -> PracticeSummary:
    """Counts for the home page and the API's summary. "This month" and "today" are the
    practice's own (its time zone); the next seven days start now."""
    local_now = now.astimezone(practice.zone)
    month_start, _ = practice.day_bounds(local_now.date().replace(day=1))
    today_start, today_end = practice.day_bounds(local_now.date())
    clients = Client.objects.for_practice(practice).aggregate(
        total=Count("id"), new=Count("id", filter=Q(created_at__gte=month_start))
    )
    therapists = Therapist.objects.for_practice(practice).filter(is_active=True)
    services = Service.objects.for_practice(practice).filter(is_active=True)
    locations = Location.objects.for_practice(practice).filter(is_active=True)
    week_end = now + timedelta(days=UPCOMING_DAYS)
    # Only the days counted are read, through the (practice, starts_at) index.
    visits = (
        Appointment.objects.for_practice(practice)
        .filter(starts_at__gte=min(today_start, now), starts_at__lt=max(today_end, week_end))
        .aggregate(
            today=Count(
                "id",
                filter=Q(
                    starts_at__gte=today_start, starts_at__lt=today_end, status__in=DAY_STATUSES
                ),
            ),
            upcoming=Count(
                "id",
                filter=Q(starts_at__gte=now, starts_at__lt=week_end, status__in=OCCUPYING_STATUSES),
            ),
        )
    )
    return PracticeSummary(
        clients=clients["total"],
        new_clients_this_month=clients["new"],
        therapists=therapists.count(),
        accepting_therapists=therapists.filter(accepting_new_clients=True).count(),
        services=services.count(),
        bookable_online_services=services.filter(bookable_online=True).count(),
        clinic_locations=locations.filter(kind=Location.Kind.CLINIC).count(),
        mobile_locations=locations.filter(kind=Location.Kind.MOBILE).count(),
        appointments_today=visits["today"],
        appointments_next_7_days=visits["upcoming"],
    )


def visits_on(
    practice: Practice, day: date, *, therapist: Therapist | None = None
) -> list[Appointment]:
    """The day's visits in order (one therapist's, or everyone's)."""
    first, last = practice.day_bounds(day)
    visits = (
        Appointment.objects.for_practice(practice)
        .filter(starts_at__gte=first, starts_at__lt=last, status__in=DAY_STATUSES)
        .select_related("client", "service", "therapist", "location", "room")
        .order_by("starts_at", "therapist__display_name")
    )
    if therapist is not None:
        visits = visits.filter(therapist=therapist)
    return list(visits)

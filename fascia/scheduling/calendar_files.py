"""iCalendar (.ics) for appointments: one visit as an email attachment, and a therapist's
private subscription feed. Clients' names are shortened in feeds, which leave the practice's
systems for Google or Apple Calendar; no health information is ever included."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from fascia.scheduling.models import CANCELLED_STATUSES, Appointment

PRODUCT_ID = "-//Fascia//Massage therapy appointments//EN"


def appointment_uid(appointment: Appointment) -> str:
    return f"appointment-{appointment.pk}@{appointment.practice.slug}.fascia"


def place_text(appointment: Appointment) -> str:
    if appointment.is_in_home:
        parts = [appointment.visit_street, appointment.visit_city, appointment.visit_postal_code]
        return ", ".join(part for part in parts if part)
    location = appointment.location
    return ", ".join([location.name, *location.address_lines])


def _event(appointment: Appointment, summary: str, *, cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    event.add("location", place_text(appointment))
    # Each change must carry a higher sequence for calendars to apply it.
    event.add("sequence", int(appointment.updated_at.timestamp()))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def client_invitation(appointment: Appointment) -> tuple[str, str]:
    """The .ics a client's calendar adds (or removes, once cancelled), with its METHOD."""
    cancelled = appointment.status in CANCELLED_STATUSES
    method = "CANCEL" if cancelled else "PUBLISH"
    calendar = _calendar(method)
    therapist = appointment.therapist
    summary = f"{appointment.service.name} with {therapist.display_name}, {therapist.credentials}"
    calendar.add_component(_event(appointment, summary, cancelled=cancelled))
    return calendar.to_ical().decode(), method


def feed_name_for(appointment: Appointment) -> str:
    client = appointment.client
    first = client.preferred_name or client.legal_first_name
    return f"{first} {client.legal_last_name[:1]}."


def therapist_feed(name: str, appointments: Iterable[Appointment], now: datetime) -> bytes:
    calendar = _calendar(name=name)
    calendar.add("refresh-interval;value=duration", "PT15M")
    for appointment in appointments:
        cancelled = appointment.status in CANCELLED_STATUSES
        summary = f"{feed_name_for(appointment)} — {appointment.service.name}"
        calendar.add_component(_event(appointment, summary, cancelled=cancelled))
    return calendar.to_ical()

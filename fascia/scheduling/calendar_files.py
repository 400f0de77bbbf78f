"""iCalendar (.ics) for appointments: one visit as an email attachment to the client, and a
therapist's private subscription feed. Feeds leave the practice's systems for Google or Apple
Calendar, so they carry only a neutral title (the client's first name and initial, "home visit"
or "clinic") and, for a home visit, the town — never a street address, a treatment name or any
health information; the therapist's day in Fascia shows the rest after sign-in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
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


def feed_place_text(appointment: Appointment) -> str:
    """Where a visit is, as a feed may say it: the town of a home visit (or its postal code's
    first three characters when no town was given), the clinic's own address otherwise."""
    if appointment.is_in_home:
        return appointment.visit_city or appointment.visit_postal_code[:3]
    return place_text(appointment)


def _event(appointment: Appointment, summary: str, *, place: str, cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    event.add("location", place)
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
    calendar.add_component(
        _event(appointment, summary, place=place_text(appointment), cancelled=cancelled)
    )
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
        kind = _("home visit") if appointment.is_in_home else _("clinic")
        summary = f"{feed_name_for(appointment)} — {kind}"
        place = feed_place_text(appointment)
        calendar.add_component(_event(appointment, summary, place=place, cancelled=cancelled))
    return calendar.to_ical()

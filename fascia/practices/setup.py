"""Setting a practice up: the owner's actions for its details, locations, service areas and
services. Each validates the whole change and writes it in one transaction, so a form with a
bad room or price leaves nothing half-saved. (Therapists' weekly hours are the scheduling app's:
`fascia.scheduling.weekly_hours`; opening online booking is `fascia.scheduling.readiness`.)"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fascia.practice_words import settle_original_columns, with_original_columns
from fascia.practices.models import (
    LONGEST_SERVICE_MINUTES,
    Location,
    OpeningHours,
    Practice,
    Room,
    Service,
    ServiceArea,
    ServiceDuration,
    Therapist,
)

# The set-up steps a practice confirms by saving their page (the others are done when the
# records they describe exist).
CONFIRMED_STEPS = ("details", "receipts", "cancellation", "reminders")


@dataclass(frozen=True)
class Opening:
    weekday: int
    opens_at: time
    closes_at: time


@dataclass(frozen=True)
class Length:
    minutes: int
    price: Decimal


def update_practice(practice: Practice, *, step: str, **fields: Any) -> Practice:
    """Save one set-up page's fields of the practice and mark that step reviewed."""
    if step not in CONFIRMED_STEPS:
        raise ValueError(f"Unknown set-up step {step!r}")
    for name, value in fields.items():
        setattr(practice, name, value)
    settle_original_columns(practice)
    practice.full_clean(exclude=["logo"] if "logo" not in fields else None)
    if step not in practice.setup_confirmed:
        practice.setup_confirmed = [*practice.setup_confirmed, step]
    with transaction.atomic():
        practice.save(update_fields=with_original_columns(Practice, [*fields, "setup_confirmed"]))
    return practice


def save_location(
    practice: Practice,
    location: Location | None = None,
    *,
    rooms: Sequence[str] = (),
    opening_hours: Sequence[Opening] = (),
    **fields: Any,
) -> Location:
    """Create or change a location with its rooms and opening hours. Rooms no longer listed
    are retired (visits booked in them keep their room); hours are replaced."""
    location = location or Location(practice=practice)
    for name, value in fields.items():
        setattr(location, name, value)
    settle_original_columns(location)
    location.full_clean()
    names = _room_names(rooms)
    if location.is_mobile and names:
        raise ValidationError({"rooms": _("Only a clinic has rooms.")})
    hours = [OpeningHours(practice=practice, **vars(opening)) for opening in opening_hours]
    for opening in hours:
        if opening.closes_at <= opening.opens_at:
            raise ValidationError(
                {
                    "opening_hours": _("%(day)s: closing time must be after opening time.")
                    % {"day": opening.get_weekday_display()}
                }
            )
    _no_overlap(hours)
    with transaction.atomic():
        if location.pk and hours:
            _shifts_stay_inside(location, hours)
        location.save()
        existing = {room.name: room for room in Room.objects.filter(location=location)}
        for name, room in existing.items():
            wanted = name in names
            if room.is_active != wanted:
                room.is_active = wanted
                room.save(update_fields=["is_active"])
        for name in names:
            if name not in existing:
                Room.objects.create(practice=practice, location=location, name=name)
        OpeningHours.objects.filter(location=location).delete()
        for opening in hours:
            opening.location = location
            opening.save()
    return location


def _shifts_stay_inside(location: Location, hours: Sequence[OpeningHours]) -> None:
    """New opening hours may not leave a therapist's weekly shift there outside them (the
    scheduling app's shifts, named by model string: this app imports none of Fascia's)."""
    weekly_shift = apps.get_model("scheduling", "WeeklyShift")
    for shift in weekly_shift.objects.filter(location=location, effective_until__isnull=True):
        inside = any(
            opening.weekday == shift.weekday
            and opening.opens_at <= shift.starts_at
            and shift.ends_at <= opening.closes_at
            for opening in hours
        )
        if not inside:
            raise ValidationError(
                {
                    "opening_hours": _(
                        "%(therapist)s works here %(shift)s: change their weekly hours first."
                    )
                    % {"therapist": shift.therapist.display_name, "shift": str(shift)}
                }
            )


def _room_names(rooms: Iterable[str]) -> list[str]:
    names: list[str] = []
    for raw in rooms:
        name = raw.strip()
        if not name:
            continue
        if len(name) > Room._meta.get_field("name").max_length:  # type: ignore[operator]
            raise ValidationError({"rooms": _("A room's name is at most 60 characters.")})
        if name in names:
            raise ValidationError({"rooms": _("Each room needs its own name.")})
        names.append(name)
    return names


def _no_overlap(hours: Sequence[OpeningHours]) -> None:
    by_day = sorted(hours, key=lambda opening: (opening.weekday, opening.opens_at))
    for before, after in itertools.pairwise(by_day):
        if before.weekday == after.weekday and after.opens_at < before.closes_at:
            raise ValidationError(
                {
                    "opening_hours": _("%(day)s: two opening times overlap.")
                    % {"day": after.get_weekday_display()}
                }
            )


def save_service_area(
    practice: Practice,
    area: ServiceArea | None = None,
    *,
    locations: Iterable[Location] = (),
    **fields: Any,
) -> ServiceArea:
    """Create or change an in-home service area and the mobile locations that serve it."""
    area = area or ServiceArea(practice=practice)
    for name, value in fields.items():
        setattr(area, name, value)
    area.full_clean()
    served_from = list(locations)
    if any(
        location.practice_id != practice.pk or not location.is_mobile for location in served_from
    ):
        raise ValidationError({"locations": _("Choose the practice's mobile locations.")})
    with transaction.atomic():
        area.save()
        area.locations.set(served_from)
    return area


def save_service(
    practice: Practice,
    service: Service | None = None,
    *,
    lengths: Sequence[Length],
    **fields: Any,
) -> Service:
    """Create or change a service with the lengths it is offered in and their prices."""
    service = service or Service(practice=practice)
    for name, value in fields.items():
        setattr(service, name, value)
    settle_original_columns(service)
    service.full_clean()
    if not lengths:
        raise ValidationError({"lengths": _("Give at least one length and its price.")})
    minutes = [length.minutes for length in lengths]
    if len(set(minutes)) != len(minutes):
        raise ValidationError({"lengths": _("Each length may be listed once.")})
    if any(length.minutes < 5 or length.price < 0 for length in lengths):
        raise ValidationError(
            {"lengths": _("A length is at least 5 minutes and a price is not negative.")}
        )
    if any(length.minutes > LONGEST_SERVICE_MINUTES for length in lengths):
        raise ValidationError(
            {
                "lengths": _("A length is at most %(hours)s hours.")
                % {"hours": LONGEST_SERVICE_MINUTES // 60}
            }
        )
    if not (service.in_clinic or service.in_home):
        raise ValidationError(_("Offer the service in the clinic, in clients' homes, or both."))
    with transaction.atomic():
        service.save()
        kept = {duration.minutes: duration for duration in service.durations.all()}
        for length in lengths:
            duration = kept.pop(length.minutes, None)
            if duration is None:
                ServiceDuration.objects.create(
                    practice=practice, service=service, minutes=length.minutes, price=length.price
                )
            elif duration.price != length.price:
                duration.price = length.price
                duration.save(update_fields=["price"])
        for duration in kept.values():
            duration.delete()
    return service


PROFILE_FIELDS = frozenset(
    {
        "display_name",
        "pronouns",
        "gender",
        "bio",
        "bio_en",
        "bio_fr",
        "languages",
        "photo",
        "accepting_new_clients",
    }
)


def save_therapist_profile(therapist: Therapist, **fields: Any) -> Therapist:
    """Change what clients see of a therapist on the practice's site and in the directory:
    name, pronouns, gender, about, languages, photo (already checked) and whether they take new
    clients. (Registration is `professional.actions.save_registration`; techniques are on the
    weekly-hours page.)"""
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    if "languages" in fields:
        seen: dict[str, str] = {}
        for language in fields["languages"]:
            name = " ".join(str(language).split())
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
        fields["languages"] = list(seen.values())
    for name, value in fields.items():
        setattr(therapist, name, value.strip() if isinstance(value, str) else value)
    settle_original_columns(therapist)
    therapist.full_clean(exclude=["user", "photo"])
    with transaction.atomic():
        therapist.save(update_fields=with_original_columns(Therapist, fields))
    return therapist

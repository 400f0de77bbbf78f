"""A therapist's regular week: the weekly shifts at each location and the breaks taken out of
them, replaced as a whole by `save_weekly_hours` (the owner's set-up page and the therapist's
own). One-off changes and time off are separate records and are left as they are."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fascia.practices.models import Location, OpeningHours, Therapist
from fascia.scheduling.models import Weekday, WeeklyBreak, WeeklyShift


@dataclass(frozen=True)
class Shift:
    weekday: int
    location: Location
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class Break:
    weekday: int
    starts_at: time
    ends_at: time


def current_week(therapist: Therapist) -> tuple[list[WeeklyShift], list[WeeklyBreak]]:
    """The weekly shifts and breaks in force with no end date (the regular week)."""
    open_ended = Q(effective_until__isnull=True)
    shifts = list(
        WeeklyShift.objects.filter(open_ended, therapist=therapist).select_related("location")
    )
    breaks = list(WeeklyBreak.objects.filter(open_ended, therapist=therapist))
    return shifts, breaks


def save_weekly_hours(
    therapist: Therapist,
    *,
    shifts: Sequence[Shift],
    breaks: Sequence[Break] = (),
    techniques: Sequence[str] | None = None,
) -> None:
    """Replace the therapist's regular week (and, when given, the techniques they offer, which
    decide the services they can be booked for). Shifts at a clinic fall inside its opening hours
    (when it has any); shifts on one day never overlap; a break lies inside that day's shifts.
    Visits already booked are kept: the calendar shows any now outside the hours."""
    practice = therapist.practice
    day_name = {day: str(label) for day, label in Weekday.choices}
    for shift in shifts:
        if shift.location.practice_id != practice.pk or not shift.location.is_active:
            raise ValidationError(_("Choose one of the practice's open locations."))
        if shift.ends_at <= shift.starts_at:
            raise ValidationError(
                _("%(day)s: the end of a shift must be after its start.")
                % {"day": day_name[shift.weekday]}
            )
    _check_inside_opening_hours(shifts, day_name)
    ordered = sorted(shifts, key=lambda shift: (shift.weekday, shift.starts_at))
    for before, after in itertools.pairwise(ordered):
        if before.weekday == after.weekday and after.starts_at < before.ends_at:
            raise ValidationError(
                _("%(day)s: two shifts overlap.") % {"day": day_name[after.weekday]}
            )
    for pause in breaks:
        inside = any(
            shift.weekday == pause.weekday
            and shift.starts_at <= pause.starts_at < pause.ends_at <= shift.ends_at
            for shift in shifts
        )
        if not inside:
            raise ValidationError(
                _("%(day)s: a break must fall inside that day's hours.")
                % {"day": day_name[pause.weekday]}
            )
    with transaction.atomic():
        if techniques is not None:
            therapist.modalities = list(techniques)
            therapist.save(update_fields=["modalities"])
        open_ended = Q(effective_until__isnull=True)
        # One by one, so each change stamps the schedule (remembered availability is dropped).
        for old in WeeklyShift.objects.filter(open_ended, therapist=therapist):
            old.delete()
        for old_break in WeeklyBreak.objects.filter(open_ended, therapist=therapist):
            old_break.delete()
        for shift in shifts:
            WeeklyShift.objects.create(
                practice=practice,
                therapist=therapist,
                weekday=shift.weekday,
                location=shift.location,
                starts_at=shift.starts_at,
                ends_at=shift.ends_at,
            )
        for pause in breaks:
            WeeklyBreak.objects.create(
                practice=practice,
                therapist=therapist,
                weekday=pause.weekday,
                starts_at=pause.starts_at,
                ends_at=pause.ends_at,
            )


def _check_inside_opening_hours(shifts: Sequence[Shift], day_name: dict[int, str]) -> None:
    location_ids = {shift.location.pk for shift in shifts if not shift.location.is_mobile}
    hours: dict[tuple[int, int], list[OpeningHours]] = {}
    for opening in OpeningHours.objects.filter(location_id__in=location_ids):
        hours.setdefault((opening.location_id, opening.weekday), []).append(opening)
    has_hours = {location_id for location_id, _weekday in hours}
    for shift in shifts:
        if shift.location.pk not in has_hours:
            continue
        fits = any(
            opening.opens_at <= shift.starts_at and shift.ends_at <= opening.closes_at
            for opening in hours.get((shift.location.pk, shift.weekday), [])
        )
        if not fits:
            raise ValidationError(
                _("%(day)s: %(location)s is not open for all of %(start)s–%(end)s.")
                % {
                    "day": day_name[shift.weekday],
                    "location": shift.location.name,
                    "start": shift.starts_at.strftime("%H:%M"),
                    "end": shift.ends_at.strftime("%H:%M"),
                }
            )

"""When therapists work and what is booked: weekly shifts and breaks, one-off changes, time off,
appointments, short holds on a slot, cancellation-policy acceptances and the client's
physiotherapy visits."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fascia.practices.models import Weekday
from fascia.practices.tenancy import PracticeOwned
from fascia.scheduling.busy_limits import busy_at_most_the_longest
from fascia.scheduling.remembered import ScheduleQuerySet, StampsBusyDays

# Appointments and holds are updated in bulk by the booking actions; their manager keeps the
# remembered availability answers honest (see `remembered.py`).
ScheduleManager = models.Manager.from_queryset(ScheduleQuerySet)


class WeeklyHours(PracticeOwned):
    """Base for recurring weekly times, optionally limited to a date range."""

    therapist = models.ForeignKey("practices.Therapist", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    effective_from = models.DateField(null=True, blank=True)
    effective_until = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(_("The end time must be after the start time."))
        if (
            self.effective_from
            and self.effective_until
            and (self.effective_until < self.effective_from)
        ):
            raise ValidationError(_("'Effective until' must not be before 'effective from'."))


class WeeklyShift(WeeklyHours):
    """A therapist's regular working hours at one location on one weekday."""

    location = models.ForeignKey("practices.Location", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["therapist", "weekday", "starts_at"]
        indexes = [models.Index(fields=["therapist", "weekday"], name="shift_by_therapist")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="weekly_shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class WeeklyBreak(WeeklyHours):
    """A regular break (e.g. lunch) taken out of whatever shifts that weekday has."""

    class Meta:
        ordering = ["therapist", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="weekly_break_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Break {self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class ShiftChange(PracticeOwned):
    """A one-off change to one date: that day's weekly shifts are replaced by the changes
    recorded for it. A change with no location is a day off; one on a statutory holiday means
    the therapist works that holiday."""

    therapist = models.ForeignKey("practices.Therapist", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    location = models.ForeignKey(
        "practices.Location", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "therapist", "starts_at"]
        indexes = [models.Index(fields=["therapist", "date"], name="shift_change_by_date")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(location__isnull=True, starts_at__isnull=True, ends_at__isnull=True)
                    | Q(location__isnull=False, ends_at__gt=F("starts_at"))
                ),
                name="shift_change_is_day_off_or_hours",
                violation_error_message=(
                    _(
                        "Give a location with start and end times, or leave all three empty for a "
                        "day off."
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        if self.location_id is None:
            return f"{self.date}: day off"
        return f"{self.date}: {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class TimeOff(PracticeOwned):
    """Vacation, illness or an appointment of the therapist's own: not bookable."""

    therapist = models.ForeignKey("practices.Therapist", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["therapist", "ends_at"], name="time_off_by_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="time_off_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Time off {self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ARRIVED = "arrived", _("Arrived")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    LATE_CANCELLED = "late_cancelled", _("Cancelled late")
    NO_SHOW = "no_show", _("No-show")


# Appointments in these states occupy the therapist, the room and the client.
OCCUPYING_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.COMPLETED,
)
CANCELLED_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)
# The visit did not happen: no treatment was given, so no note and no treatment receipt.
DID_NOT_HAPPEN = (*CANCELLED_STATUSES, AppointmentStatus.NO_SHOW)


class BookingChannel(models.TextChoices):
    ONLINE = "online", _("Online booking")
    STAFF = "staff", _("Staff")
    API = "api", _("API")


class Appointment(StampsBusyDays, PracticeOwned):
    """One visit: a client, a therapist, a service, a place and a time.

    `busy_from`/`busy_until` widen the treatment time by the service's buffers (room turnover,
    set-up and packing at a client's home). The database refuses two occupying appointments
    whose busy times overlap for one therapist or one room, or whose treatment times overlap for
    one client (see this app's migrations).
    """

    objects: ClassVar[ScheduleManager] = ScheduleManager()  # type: ignore[assignment]

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("practices.Service", on_delete=models.PROTECT, related_name="+")
    duration_minutes = models.PositiveSmallIntegerField()
    price = models.DecimalField(
        max_digits=8, decimal_places=2, help_text=_("The service's price when booked.")
    )
    location = models.ForeignKey("practices.Location", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        "practices.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    busy_from = models.DateTimeField()
    busy_until = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )

    # Where an in-home visit happens, as given for this visit.
    visit_street = models.CharField(max_length=200, blank=True)
    visit_unit = models.CharField(max_length=50, blank=True)
    visit_city = models.CharField(max_length=100, blank=True)
    visit_postal_code = models.CharField(max_length=7, blank=True)
    visit_latitude = models.FloatField(null=True, blank=True)
    visit_longitude = models.FloatField(null=True, blank=True)
    visit_access_notes = models.TextField(blank=True)
    travel_fee = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("In-home visits: call-out and distance fee, quoted before booking."),
    )
    travel_km = models.DecimalField(
        _("road distance from the base (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    # The time the client said they could be seen (the day planner keeps visits inside it).
    window_starts_at = models.DateTimeField(null=True, blank=True)
    window_ends_at = models.DateTimeField(null=True, blank=True)

    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(max_length=10, choices=BookingChannel.choices)
    idempotency_key = models.CharField(max_length=80, blank=True)
    front_desk_note = models.CharField(max_length=300, blank=True)

    # The client said they are coming (a reply to the reminder, a call, their online account).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancellation_reason = models.CharField(max_length=300, blank=True)
    # A treatment that stopped before its booked end (the client felt unwell, had to leave…):
    # the visit happened, so it is completed, with why and how long treatment lasted.
    ended_early_reason = models.CharField(max_length=300, blank=True)
    minutes_given = models.PositiveSmallIntegerField(null=True, blank=True)
    reminder_queued_for = models.DateTimeField(
        null=True, blank=True, help_text=_("The start time the last reminder was queued for.")
    )
    late_cancellation_fee_due = models.BooleanField(
        default=False,
        help_text=_(
            "Cancelled inside the practice's notice window, or a no-show: the "
            "cancellation policy's fee applies."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            # Availability reads a therapist's or room's appointments that end after a moment:
            # indexing the end keeps that read flat however much history piles up.
            models.Index(fields=["therapist", "busy_until"], name="appointment_therapist_busy"),
            models.Index(fields=["room", "busy_until"], name="appointment_room_busy"),
            models.Index(fields=["client", "starts_at"], name="appointment_client_time"),
            models.Index(fields=["practice", "starts_at"], name="appointment_practice_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(busy_from__lte=F("starts_at")) & Q(busy_until__gte=F("ends_at")),
                name="appointment_busy_covers_treatment",
            ),
            models.CheckConstraint(
                condition=busy_at_most_the_longest(), name="appointment_busy_at_most_a_day"
            ),
            models.UniqueConstraint(
                fields=["practice", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="appointment_unique_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.service_id} ({self.get_status_display()})"

    @property
    def occupies_time(self) -> bool:
        return self.status in OCCUPYING_STATUSES

    @property
    def is_in_home(self) -> bool:
        return bool(self.visit_postal_code or self.visit_street)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def has_started(self, now: datetime) -> bool:
        """The visit is under way or over: the client arrived, it was completed, or its start
        has passed while it is still booked. A cancelled or missed visit never started."""
        if self.status in (AppointmentStatus.ARRIVED, AppointmentStatus.COMPLETED):
            return True
        return self.status == AppointmentStatus.BOOKED and self.starts_at <= now


class TrafficWindow(PracticeOwned):
    """Hours when no in-home visit may start (e.g. weekday rush hour, 15:00-18:00)."""

    location = models.ForeignKey(
        "practices.Location",
        on_delete=models.CASCADE,
        related_name="traffic_windows",
        help_text=_("The mobile service it applies to."),
    )
    weekdays = models.JSONField(
        default=list, help_text=_("0 = Monday … 6 = Sunday, e.g. [0, 1, 2, 3, 4] for weekdays.")
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["location", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="traffic_window_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"No in-home starts {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    def clean(self) -> None:
        super().clean()
        if (
            not isinstance(self.weekdays, list)
            or not self.weekdays
            or any(day not in range(7) for day in self.weekdays)
        ):
            raise ValidationError({"weekdays": _("Give weekdays as numbers 0 (Monday) to 6.")})


class SlotHold(StampsBusyDays, PracticeOwned):
    """A time kept aside for a few minutes while a client completes their booking; released
    automatically when it expires or when the booking it was for is made."""

    objects: ClassVar[ScheduleManager] = ScheduleManager()  # type: ignore[assignment]

    token = models.CharField(max_length=64, unique=True)
    # Whose hold it is (a digest of the browser session or the person), and the network
    # address it came from: one live hold per holder, a few per address.
    holder = models.CharField(max_length=64, blank=True, db_index=True)
    requested_from = models.GenericIPAddressField(null=True, blank=True)
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey("practices.Location", on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(
        "practices.Room", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    busy_from = models.DateTimeField()
    busy_until = models.DateTimeField()
    # An in-home hold keeps where the visit would be, for travel to and from it.
    visit_postal_code = models.CharField(max_length=7, blank=True)
    visit_latitude = models.FloatField(null=True, blank=True)
    visit_longitude = models.FloatField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["therapist", "expires_at"], name="hold_by_therapist")]
        constraints = [
            models.CheckConstraint(
                condition=busy_at_most_the_longest(), name="hold_busy_at_most_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Hold {self.busy_from:%Y-%m-%d %H:%M} until {self.expires_at:%H:%M:%S}"


def policy_digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


class PolicyAcceptance(PracticeOwned):
    """A client's acceptance of the practice's cancellation policy, with the exact text they
    saw. Required before their first booking (and again if the policy changes)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Accepted online")
        IN_PERSON = "in_person", _("Accepted in person")
        PHONE = "phone", _("Read out and accepted by phone")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    policy_text = models.TextField()
    policy_digest = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    accepted_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-accepted_at"]
        indexes = [models.Index(fields=["client", "policy_digest"], name="acceptance_lookup")]

    def __str__(self) -> str:
        return f"Cancellation policy accepted {self.accepted_at:%Y-%m-%d}"


class PhysiotherapyAppointment(PracticeOwned):
    """A physiotherapy visit the client has elsewhere, so massage can be timed around it."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    provider = models.CharField(_("physiotherapist or clinic"), max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["client", "starts_at"], name="physio_by_client")]

    def __str__(self) -> str:
        return f"Physiotherapy {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(PracticeOwned):
    """A therapist's private iCalendar subscription URL. The token is the only credential, so
    resetting it (a new feed) revokes the old URL."""

    therapist = models.ForeignKey("practices.Therapist", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed for therapist {self.therapist_id}"


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Morning (before noon)")
    AFTERNOON = "afternoon", _("Afternoon (noon to 5 pm)")
    EVENING = "evening", _("Evening (after 5 pm)")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    BOOKED = "booked", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WaitlistEntry(PracticeOwned):
    """A client asking for an earlier time: for a service, with one therapist or anyone, in a
    date range and at times of day that suit them."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("practices.Service", on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveSmallIntegerField()
    therapist = models.ForeignKey(
        "practices.Therapist", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    location = models.ForeignKey("practices.Location", on_delete=models.CASCADE, related_name="+")
    earliest_date = models.DateField()
    latest_date = models.DateField()
    times_of_day = models.JSONField(default=list, blank=True, help_text=_("Empty means any time."))
    # In-home: where the visit would be (travel is checked before any offer).
    visit_street = models.CharField(max_length=200, blank=True)
    visit_city = models.CharField(max_length=100, blank=True)
    visit_postal_code = models.CharField(max_length=7, blank=True)
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["practice", "status"], name="waitlist_by_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latest_date__gte=F("earliest_date")),
                name="waitlist_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} waiting for {self.service}"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    TAKEN = "taken", _("Taken by someone else")


class WaitlistOffer(PracticeOwned):
    """A freed time offered to one waitlisted client, held for them until it expires."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey("practices.Location", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    # The SHA-256 of the 32-byte token the offer's link carries (`waitlist.offer_token`).
    token_digest = models.CharField(max_length=64, unique=True)
    hold_token = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offered_at", "id"]
        constraints = [
            # One client at a time holds an offer for a given time.
            models.UniqueConstraint(
                fields=["therapist", "starts_at"],
                condition=Q(status="offered"),
                name="waitlist_one_open_offer_per_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer of {self.starts_at:%Y-%m-%d %H:%M} to {self.entry.client}"


class ScheduleStamp(models.Model):
    """A random token for part of a practice's schedule — the whole practice, one therapist's
    day, or one location's rooms on a day — replaced whenever something there changes, so that
    remembered availability answers that read it are never read again (`remembered.py`). The
    practice is a plain number: stamps outlive nothing and must never block deleting one."""

    practice_id = models.BigIntegerField()
    unit = models.CharField(max_length=40)
    day = models.DateField()
    token = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice_id", "unit", "day"], name="one_stamp_per_unit_and_day"
            )
        ]
        indexes = [models.Index(fields=["practice_id", "day", "unit"], name="stamps_by_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day}"

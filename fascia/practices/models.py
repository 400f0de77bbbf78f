"""The practice (tenant) and what it offers: locations, rooms, therapists and services (service
areas: `service_areas.py`; postal codes: `postal_codes.py`)."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from fascia.practices.modalities import Modality

# Postal codes and service areas live in their own modules; everyone finds them here, as
# Django finds every model of the app here.
from fascia.practices.postal_codes import (  # noqa: F401 - re-exported
    FSA_PATTERN,
    POSTAL_CODE_PATTERN,
    normalise_postal_code,
)
from fascia.practices.service_areas import ServiceArea, ServiceAreaDay  # noqa: F401 - re-exported
from fascia.practices.tenancy import PracticeOwned, PracticeQuerySet

COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Province(models.TextChoices):
    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


def validate_postal_code(value: str) -> None:
    if value:
        normalise_postal_code(value)


def validate_colour(value: str) -> None:
    if value and not COLOUR_PATTERN.match(value):
        raise ValidationError(_("Give a colour as # and six hexadecimal digits, e.g. #2f6f5e."))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a known time zone (e.g. America/Toronto).") % {"zone": value}
        )


class Address(models.Model):
    """A Canadian street address, shared by practices, clinics and clients."""

    street = models.CharField(_("street address"), max_length=200, blank=True)
    unit = models.CharField(_("unit / suite"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(
        verbose_name=_("province"), max_length=2, choices=Province.choices, default=Province.ON
    )
    postal_code = models.CharField(
        verbose_name=_("postal code"), max_length=7, blank=True, validators=[validate_postal_code]
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.postal_code:
            self.postal_code = normalise_postal_code(self.postal_code)

    @property
    def address_lines(self) -> list[str]:
        street = f"{self.unit}-{self.street}" if self.unit else self.street
        locality = " ".join(part for part in (self.city, self.province, self.postal_code) if part)
        return [line for line in (street, locality) if line.strip()]


class Practice(Address):
    """The tenant: one massage-therapy business. Everything else belongs to exactly one."""

    name = models.CharField(_("legal name"), max_length=200)
    display_name = models.CharField(
        _("display name"),
        max_length=200,
        blank=True,
        help_text=_("The name clients know, if not the legal name."),
    )
    slug = models.SlugField(unique=True, help_text=_("Used in the practice's public web address."))
    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(blank=True)
    tax_number = models.CharField(
        _("HST/GST number"),
        max_length=20,
        blank=True,
        help_text=_(
            "Business number with RT program account, e.g. 123456789 RT0001. Leave blank "
            "if the practice is a small supplier not registered for GST/HST."
        ),
    )
    time_zone = models.CharField(
        max_length=64, default="America/Toronto", validators=[validate_time_zone]
    )
    cancellation_policy = models.TextField(
        _("cancellation policy"),
        blank=True,
        help_text=_("Shown to clients, and accepted by them, before their first appointment."),
    )
    cancellation_notice_hours = models.PositiveSmallIntegerField(
        _("cancellation notice hours"),
        default=24,
        help_text=_("Cancelling with less notice than this is a late cancellation."),
    )
    logo = models.ImageField(upload_to="practice-logos/", blank=True)
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        blank=True,
        validators=[validate_colour],
        help_text=_("The practice's colour on its booking pages, e.g. #2f6f5e."),
    )
    late_cancellation_fee_percent = models.DecimalField(
        _("late-cancellation / no-show fee (% of the visit's price)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[MinValueValidator(0)],
    )

    # Booking rules.
    minimum_notice_minutes = models.PositiveIntegerField(
        _("minimum notice minutes"),
        default=120,
        help_text=_("Clients cannot book online with less notice than this."),
    )
    booking_window_days = models.PositiveSmallIntegerField(
        _("booking window days"),
        default=90,
        help_text=_("How far ahead clients can book."),
    )
    slot_step_minutes = models.PositiveSmallIntegerField(
        default=15,
        choices=[
            (5, _("5 minutes")),
            (10, _("10 minutes")),
            (15, _("15 minutes")),
            (20, _("20 minutes")),
            (30, _("30 minutes")),
            (60, _("1 hour")),
        ],
        help_text=_("Offered start times fall on this grid (e.g. :00, :15, :30, :45)."),
    )
    works_statutory_holidays = models.BooleanField(
        default=False,
        help_text=_(
            "Offer the usual weekly hours on statutory holidays. Otherwise holidays are "
            "closed unless a therapist has a one-off shift that day."
        ),
    )
    slot_hold_minutes = models.PositiveSmallIntegerField(
        default=5, help_text=_("How long a time stays reserved while a client completes booking.")
    )
    waitlist_offer_minutes = models.PositiveSmallIntegerField(
        default=60,
        help_text=_(
            "How long a freed time is held for a waitlisted client before it is offered "
            "to the next."
        ),
    )
    unsigned_note_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text=_(
            "Notes still unsigned this long after the visit go on the therapist's to-do "
            "list (CMTO: consent documented within 24 hours)."
        ),
    )
    safety_contact_name = models.CharField(
        max_length=120, blank=True, help_text=_("Who is alerted when a home visit runs overdue.")
    )
    safety_contact_phone = PhoneNumberField(blank=True)
    safety_contact_email = models.EmailField(blank=True)
    safety_grace_minutes = models.PositiveSmallIntegerField(
        default=30,
        help_text=_(
            'How long after a home visit\'s end "finished, safe" may wait before the '
            "safety contact is alerted."
        ),
    )
    reminder_lead_hours = models.PositiveSmallIntegerField(
        _("reminder lead hours"),
        default=24,
        help_text=_("Reminders go out this many hours before the appointment."),
    )
    sends_text_messages = models.BooleanField(
        _("send text messages"),
        default=True,
        help_text=_("Text reminders and confirmations to clients who agreed to texts."),
    )
    booking_open = models.BooleanField(
        _("online booking open"),
        default=True,
        help_text=_("Clients can book online (only once the set-up checklist allows it)."),
    )
    setup_confirmed = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Set-up steps the owner has reviewed and saved (e.g. reminders)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.name

    @cached_property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The practice's local day as [midnight, next midnight)."""
        return (
            datetime.combine(day, time.min, tzinfo=self.zone),
            datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.zone),
        )

    @property
    def cancellation_notice(self) -> timedelta:
        return timedelta(hours=self.cancellation_notice_hours)


class Location(PracticeOwned, Address):
    """Where treatment happens: a clinic (an address with rooms) or a mobile service (the
    clients' homes within its service areas)."""

    class Kind(models.TextChoices):
        CLINIC = "clinic", _("Clinic")
        MOBILE = "mobile", _("Mobile (in-home)")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        verbose_name=_("kind"), max_length=10, choices=Kind.choices, default=Kind.CLINIC
    )
    phone = PhoneNumberField(blank=True)
    access_notes = models.TextField(
        _("access notes"),
        blank=True,
        help_text=_("Parking, entrance, accessibility — shown to clients."),
    )
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="locations")
    latitude = models.FloatField(
        null=True, blank=True, help_text=_("The clinic's position (a mobile service's base).")
    )
    longitude = models.FloatField(null=True, blank=True)
    travel_base_fee = models.DecimalField(
        _("call-out fee"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("In-home visits: charged on every visit."),
    )
    travel_free_km = models.DecimalField(
        _("free radius (km)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
        help_text=_("In-home visits: no distance charge within this road distance of the base."),
    )
    travel_fee_per_km = models.DecimalField(
        _("per km beyond the free radius"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="location_unique_name"),
            models.CheckConstraint(
                condition=Q(travel_base_fee__gte=0)
                & Q(travel_free_km__gte=0)
                & Q(travel_fee_per_km__gte=0),
                name="location_travel_fees_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.CLINIC and not (self.street and self.city):
            raise ValidationError(_("A clinic needs a street address and city."))

    @property
    def is_mobile(self) -> bool:
        return self.kind == self.Kind.MOBILE


class Room(PracticeOwned):
    """A treatment room in a clinic; it holds one treatment at a time."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=60)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["location", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="room_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.location.name} — {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.location_id and self.location.kind != Location.Kind.CLINIC:
            raise ValidationError(_("Only a clinic location has rooms."))


class OpeningHours(PracticeOwned):
    """When a clinic is open on one weekday; therapists' weekly hours there fall inside them."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        ordering = ["location", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="opening_hours_close_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")


class Therapist(PracticeOwned):
    """A Registered Massage Therapist working in the practice, linked to their login."""

    class RegistrationStatus(models.TextChoices):
        GENERAL = "general", _("General certificate (practising)")
        INACTIVE = "inactive", _("Inactive certificate (not practising)")
        SUSPENDED = "suspended", _("Suspended")
        STUDENT = "student", _("Student / not yet registered")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapist_profiles"
    )
    display_name = models.CharField(_("display name"), max_length=120)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    gender = models.CharField(
        _("gender"),
        max_length=12,
        choices=Gender.choices,
        blank=True,
        help_text=_("Shown so that clients who prefer a therapist of a given gender can find one."),
    )
    credentials = models.CharField(max_length=60, default="RMT")
    registration_number = models.CharField(_("CMTO registration number"), max_length=20, blank=True)
    registration_status = models.CharField(
        _("registration status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.GENERAL,
    )
    registration_expires_on = models.DateField(
        _("registration renewal due"),
        null=True,
        blank=True,
        help_text=_("After this date the therapist is not offered for booking until renewed."),
    )
    education_cycle_starts_on = models.DateField(
        _("continuing-education cycle starts"),
        null=True,
        blank=True,
        help_text=_("Totals are counted per three-year cycle from this date."),
    )
    modalities = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True, help_text=_("e.g. English, French"))
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ImageField(upload_to="therapist-photos/", blank=True)
    accepting_new_clients = models.BooleanField(
        verbose_name=_("accepting new clients"), default=True
    )
    home_postal_code = models.CharField(
        _("start and end point (postal code)"),
        max_length=7,
        blank=True,
        validators=[validate_postal_code],
        help_text=_("Where in-home days start and end; travel from and back to it is counted."),
    )
    home_latitude = models.FloatField(null=True, blank=True)
    home_longitude = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="therapist_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.credentials}"

    def clean(self) -> None:
        super().clean()
        known = set(Modality.values)
        unknown = [value for value in self.modalities or [] if value not in known]
        if unknown:
            raise ValidationError({"modalities": f"Unknown modalities: {', '.join(unknown)}."})
        if self.registration_status == self.RegistrationStatus.GENERAL and not (
            self.registration_number
        ):
            raise ValidationError(
                {"registration_number": _("A practising RMT needs a registration number.")}
            )

    @property
    def may_treat(self) -> bool:
        """Only a therapist with a general (practising) certificate may treat clients."""
        return self.is_active and self.registration_status == self.RegistrationStatus.GENERAL


# A visit's longest treatment and buffers: the booking rules rely on a visit never keeping a
# therapist busy for more than a day (`scheduling/busy_limits.py`).
LONGEST_SERVICE_MINUTES = 8 * 60
LONGEST_BUFFER_MINUTES = 2 * 60


class Service(PracticeOwned):
    """Something a client can book, e.g. a 60-minute deep-tissue massage."""

    name = models.CharField(_("name"), max_length=120)
    modality = models.CharField(_("modality"), max_length=30, choices=Modality.choices)
    description = models.TextField(_("description"), blank=True)
    taxable = models.BooleanField(
        _("taxable"),
        default=True,
        help_text=_("Massage therapy is not exempt from GST/HST."),
    )
    bookable_online = models.BooleanField(_("bookable online"), default=True)
    in_clinic = models.BooleanField(_("offered in clinic"), default=True)
    in_home = models.BooleanField(_("offered in the client's home"), default=False)
    buffer_before_minutes = models.PositiveSmallIntegerField(
        _("buffer before minutes"),
        default=0,
        validators=[MaxValueValidator(LONGEST_BUFFER_MINUTES)],
        help_text=_("Room set-up, or unpacking at a client's home."),
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        _("buffer after minutes"),
        default=0,
        validators=[MaxValueValidator(LONGEST_BUFFER_MINUTES)],
        help_text=_("Room turnover, or packing up at a client's home."),
    )
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="service_unique_name"),
            models.CheckConstraint(
                condition=Q(in_clinic=True) | Q(in_home=True),
                name="service_offered_somewhere",
                violation_error_message=_("A service must be offered in clinic, at home, or both."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_complimentary(self) -> bool:
        return self.modality == Modality.COMPLIMENTARY_CONSULTATION


class ServiceDuration(PracticeOwned):
    """One bookable length of a service and its price, e.g. 60 minutes for $120.00."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="durations")
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(LONGEST_SERVICE_MINUTES)]
    )
    price = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )

    class Meta:
        ordering = ["service", "minutes"]
        constraints = [
            models.UniqueConstraint(fields=["service", "minutes"], name="duration_unique_minutes"),
            models.CheckConstraint(condition=Q(minutes__gte=5), name="duration_at_least_5_min"),
            models.CheckConstraint(condition=Q(price__gte=0), name="duration_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.service.name}, {self.minutes} min — ${self.price}"

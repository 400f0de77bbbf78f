"""The owner's set-up checklist: each step, whether it is done, and the page that does it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from fascia.accounts.models import StaffMember
from fascia.practices.models import Location, Practice, Service, ServiceDuration, Therapist
from fascia.scheduling.models import WeeklyShift
from fascia.scheduling.readiness import BookingReadiness, booking_readiness
from fascia.website.models import PracticeWebsite


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: str
    done: bool
    url: str
    optional: bool = False


@dataclass(frozen=True)
class Checklist:
    steps: list[SetupStep]
    readiness: BookingReadiness
    booking_open: bool

    @property
    def remaining(self) -> int:
        return sum(1 for step in self.steps if not step.done and not step.optional)

    @property
    def complete(self) -> bool:
        return self.remaining == 0 and self.booking_open


def setup_checklist(practice: Practice) -> Checklist:
    confirmed = set(practice.setup_confirmed)
    locations = list(Location.objects.for_practice(practice).filter(is_active=True))
    mobile = [location for location in locations if location.is_mobile]
    with_areas = {
        location.pk
        for location in Location.objects.for_practice(practice).filter(
            pk__in=[m.pk for m in mobile], service_areas__isnull=False
        )
    }
    has_service = (
        Service.objects.for_practice(practice)
        .filter(
            is_active=True,
            pk__in=ServiceDuration.objects.for_practice(practice).values("service_id"),
        )
        .exists()
    )
    has_hours = WeeklyShift.objects.for_practice(practice).exists()
    team = StaffMember.objects.for_practice(practice).filter(is_active=True).count()
    therapists = Therapist.objects.for_practice(practice).filter(is_active=True)
    records_complete = (
        therapists.exists()
        and not therapists.filter(registration_expires_on=None).exists()
        and not therapists.exclude(insurance_policies__isnull=False).exists()
    )
    url = reverse
    steps = [
        SetupStep(
            "details",
            _("Practice details and branding"),
            "details" in confirmed,
            url("staff:setup-details"),
        ),
        SetupStep(
            "receipts",
            _("Receipt details (legal name, address, HST number)"),
            "receipts" in confirmed,
            url("staff:setup-receipts"),
        ),
        SetupStep(
            "locations",
            _("Locations, rooms and opening hours"),
            bool(locations),
            url("staff:setup-locations"),
        ),
        SetupStep(
            "service-areas",
            _("In-home service areas"),
            bool(mobile) and all(location.pk in with_areas for location in mobile),
            url("staff:setup-service-areas"),
            optional=not mobile,
        ),
        SetupStep(
            "services", _("Services, lengths and prices"), has_service, url("staff:setup-services")
        ),
        SetupStep(
            "hours",
            _("Therapists' weekly hours and techniques"),
            has_hours,
            url("staff:setup-hours"),
        ),
        SetupStep(
            "cancellation",
            _("Cancellation policy and booking rules"),
            "cancellation" in confirmed,
            url("staff:setup-cancellation"),
        ),
        SetupStep(
            "reminders", _("Reminders"), "reminders" in confirmed, url("staff:setup-reminders")
        ),
        SetupStep(
            "website",
            _("Your website: your words, photo and insurance details"),
            PracticeWebsite.objects.for_practice(practice).exists(),
            url("staff:setup-website"),
            optional=True,
        ),
        SetupStep("team", _("Invite your team"), team > 1, url("staff:team"), optional=True),
        SetupStep(
            "professional",
            _("Therapists' registration renewal dates and liability insurance"),
            records_complete,
            url("staff:professional-overview"),
            optional=True,
        ),
    ]
    return Checklist(steps, booking_readiness(practice), practice.booking_open)

"""Two more demo practices that list their therapists in the directory, so that "find a
therapist" has a choice to make: a mobile practice in Halton Hills that visits Milton,
Georgetown and Acton (one of its therapists treats in French), and a clinic in Guelph. Small:
their people, places, hours, services and website, no clients or history."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fascia.accounts.models import Role, StaffMember, User
from fascia.demo.catalogue import DEMO_PASSWORD
from fascia.practices.modalities import Modality
from fascia.practices.models import (
    Location,
    OpeningHours,
    Practice,
    Service,
    ServiceArea,
    ServiceDuration,
    Therapist,
)
from fascia.scheduling.models import WeeklyShift
from fascia.website.actions import save_website
from fascia.website.models import PracticeWebsite

NEIGHBOURS: list[dict[str, Any]] = [
    {
        "practice": {
            "slug": "halton-hills-rmt",
            "name": "Halton Hills Mobile Massage Therapy",
            "street": "12 Main Street South",
            "city": "Georgetown",
            "postal_code": "L7G 3G2",
            "phone": "+19055550177",
            "email": "hello@haltonhills.demo.test",
            "cancellation_policy": "Please give 24 hours' notice to cancel a home visit; "
            "later cancellations are charged half the fee.",
        },
        "owner": ("owner@haltonhills.demo.test", "Claire Dubois"),
        "therapists": [
            {
                "email": "claire@haltonhills.demo.test",
                "display_name": "Claire Dubois",
                "registration_number": "H3107",
                "gender": "woman",
                "pronouns": "she/her",
                "languages": ["French", "English"],
                "modalities": [Modality.SWEDISH, Modality.PRENATAL, Modality.GERIATRIC],
                "bio": "Claire brings massage to homes across Halton Hills and Milton, en "
                "français ou en anglais: prenatal care and gentle work for older adults.",
            },
            {
                "email": "marcus@haltonhills.demo.test",
                "display_name": "Marcus Hill",
                "registration_number": "H4420",
                "gender": "man",
                "pronouns": "he/him",
                "languages": ["English"],
                "modalities": [Modality.SWEDISH, Modality.DEEP_TISSUE, Modality.SPORTS],
                "bio": "Marcus treats runners, cyclists and desk workers at home.",
            },
        ],
        "clinic": None,
        "areas": {
            "Milton": ("43.518300", "-79.877400", ["L9T", "L9E"]),
            "Georgetown": ("43.649800", "-79.918400", ["L7G"]),
            "Acton": ("43.630400", "-80.043100", ["L7J"]),
        },
        "services": [
            ("In-home massage therapy", Modality.SWEDISH, {60: "135.00", 90: "185.00"}),
            ("In-home prenatal massage", Modality.PRENATAL, {60: "140.00"}),
            ("In-home deep tissue massage", Modality.DEEP_TISSUE, {60: "140.00"}),
        ],
        "website": {
            "headline": "Registered massage therapy at home in Halton Hills and Milton",
            "introduction": "We come to you with a table, linens and everything else. "
            "Claire and Marcus have visited homes in Georgetown, Acton and Milton since 2019.",
            "in_directory": True,
        },
    },
    {
        "practice": {
            "slug": "riverside-guelph",
            "name": "Riverside Massage Therapy Guelph Ltd.",
            "display_name": "Riverside Massage Therapy",
            "street": "40 Wyndham Street North",
            "city": "Guelph",
            "postal_code": "N1H 4E6",
            "phone": "+15195550133",
            "email": "hello@riverside.demo.test",
            "cancellation_policy": "24 hours' notice, please: missed visits are charged in full.",
        },
        "owner": ("owner@riverside.demo.test", "Noah Singh"),
        "therapists": [
            {
                "email": "noah@riverside.demo.test",
                "display_name": "Noah Singh",
                "registration_number": "G2218",
                "gender": "man",
                "pronouns": "he/him",
                "languages": ["English", "Punjabi"],
                "modalities": [
                    Modality.DEEP_TISSUE,
                    Modality.TRIGGER_POINT,
                    Modality.CUPPING,
                    Modality.SWEDISH,
                ],
                "bio": "Noah works with chronic neck and back pain, and with cupping.",
            },
            {
                "email": "ines@riverside.demo.test",
                "display_name": "Inês Costa",
                "registration_number": "G3391",
                "gender": "woman",
                "pronouns": "she/her",
                "languages": ["English", "Portuguese", "French"],
                "modalities": [Modality.SWEDISH, Modality.LYMPHATIC_DRAINAGE, Modality.TMJ],
                "bio": "Inês offers manual lymphatic drainage after surgery and jaw treatment.",
            },
        ],
        "clinic": {
            "name": "Wyndham Street Clinic",
            "street": "40 Wyndham Street North",
            "city": "Guelph",
            "postal_code": "N1H 4E6",
            "latitude": 43.5449,
            "longitude": -80.2493,
            "access_notes": "Street parking on Wyndham; the clinic is on the ground floor.",
        },
        "areas": {},
        "services": [
            ("Massage therapy", Modality.SWEDISH, {30: "75.00", 60: "125.00"}),
            ("Deep tissue massage", Modality.DEEP_TISSUE, {60: "130.00"}),
            ("Manual lymphatic drainage", Modality.LYMPHATIC_DRAINAGE, {60: "130.00"}),
        ],
        "website": {
            "headline": "Registered massage therapy in downtown Guelph",
            "introduction": "Two RMTs by the river, open evenings and Saturdays.",
            "direct_billing": True,
            "direct_billing_insurers": "Sun Life, Manulife",
            "in_directory": True,
        },
    },
]


def load_neighbour_practices() -> list[Practice]:
    """Create the two practices (once: an existing one is left as it is)."""
    made = []
    for spec in NEIGHBOURS:
        existing = Practice.objects.filter(slug=spec["practice"]["slug"]).first()
        if existing is not None:
            made.append(existing)
            continue
        with transaction.atomic():
            made.append(_neighbour(spec))
    return made


def _person(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(
        email, DEMO_PASSWORD, full_name=full_name, email_verified_at=timezone.now()
    )


def _neighbour(spec: dict[str, Any]) -> Practice:
    practice = Practice.objects.create(province="ON", **spec["practice"])
    owner_email, owner_name = spec["owner"]
    StaffMember.objects.create(
        practice=practice, user=_person(owner_email, owner_name), role=Role.OWNER
    )
    places = []
    if spec["clinic"]:
        clinic = Location.objects.create(practice=practice, **spec["clinic"])
        for weekday in range(6):
            OpeningHours.objects.create(
                practice=practice,
                location=clinic,
                weekday=weekday,
                opens_at=time(9),
                closes_at=time(20) if weekday < 5 else time(15),
            )
        places.append(clinic)
    if spec["areas"]:
        mobile = Location.objects.create(
            practice=practice,
            name="Home visits",
            kind=Location.Kind.MOBILE,
            travel_base_fee=Decimal("15.00"),
            access_notes="The therapist brings a table, linens and oils.",
        )
        for name, (latitude, longitude, prefixes) in spec["areas"].items():
            area = ServiceArea.objects.create(
                practice=practice,
                name=name,
                centroid_latitude=latitude,
                centroid_longitude=longitude,
                postal_prefixes=prefixes,
            )
            mobile.service_areas.add(area)
        places.append(mobile)
    for order, (name, modality, prices) in enumerate(spec["services"]):
        service = Service.objects.create(
            practice=practice,
            name=name,
            modality=modality,
            in_clinic=bool(spec["clinic"]),
            in_home=bool(spec["areas"]),
            buffer_after_minutes=10,
            display_order=order,
        )
        for minutes, price in prices.items():
            ServiceDuration.objects.create(
                practice=practice, service=service, minutes=minutes, price=Decimal(price)
            )
    for profile in spec["therapists"]:
        fields = dict(profile)
        user = _person(fields.pop("email"), fields["display_name"])
        StaffMember.objects.create(practice=practice, user=user, role=Role.THERAPIST)
        therapist = Therapist.objects.create(practice=practice, user=user, **fields)
        for weekday in range(5):
            WeeklyShift.objects.create(
                practice=practice,
                therapist=therapist,
                location=places[weekday % len(places)],
                weekday=weekday,
                starts_at=time(10),
                ends_at=time(18),
            )
    if not PracticeWebsite.objects.for_practice(practice).exists():
        save_website(practice, **spec["website"])
    return practice

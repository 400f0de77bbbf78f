"""Loads the demo practice. Idempotent: every record is found by a stable key before it is
made, so running it again changes nothing."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from fascia.accounts.models import StaffMember, User
from fascia.clients.actions import register_client
from fascia.clients.models import Client
from fascia.demo import catalogue
from fascia.demo.history import load_demo_history
from fascia.demo.neighbours import load_neighbour_practices
from fascia.demo.pay import load_demo_pay
from fascia.demo.records import load_demo_records
from fascia.practices.models import (
    Location,
    OpeningHours,
    Practice,
    Room,
    Service,
    ServiceArea,
    ServiceDuration,
    Therapist,
)
from fascia.records.selfcare_library import ensure_starter_library
from fascia.scheduling.models import TrafficWindow, WeeklyBreak, WeeklyShift
from fascia.website.actions import save_website, set_condition_note
from fascia.website.models import PracticeWebsite

LDU_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
NICKNAMES = {
    "Alexander": "Alex",
    "Alexandra": "Alex",
    "Christopher": "Chris",
    "Christina": "Chris",
    "Daniel": "Dan",
    "Elizabeth": "Liz",
    "Jennifer": "Jen",
    "Jessica": "Jess",
    "Katherine": "Kate",
    "Kimberly": "Kim",
    "Matthew": "Matt",
    "Michael": "Mike",
    "Nicholas": "Nick",
    "Patricia": "Trish",
    "Rebecca": "Becca",
    "Robert": "Rob",
    "Samantha": "Sam",
    "Stephanie": "Steph",
    "Thomas": "Tom",
    "Victoria": "Tori",
    "William": "Will",
    "Jonathan": "Jon",
    "Benjamin": "Ben",
    "Joseph": "Joe",
}
DEMO_HISTORY_DAYS = 3 * 365
CLIENT_PROGRESS_EVERY = 50


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def load_demo_practice(progress: Callable[[str], object] = print) -> Practice:
    with transaction.atomic():
        practice = _practice()
        areas = _service_areas(practice)
        _locations(practice, areas)
        _staff(practice)
        _services(practice)
        _website(practice)
        ensure_starter_library(practice)
    _clients(practice, areas, progress)
    with transaction.atomic():
        _working_time(practice)
    made = load_demo_history(practice)
    if made:
        progress(f"  {made} appointments added")
    charted = load_demo_records(practice, progress)
    if charted:
        progress(f"  {charted} visits charted, invoiced and receipted")
    load_demo_pay(practice)
    load_neighbour_practices()
    return practice


def _practice() -> Practice:
    practice, _ = Practice.objects.get_or_create(
        slug=catalogue.PRACTICE_SLUG,
        defaults={
            "name": "Fascia Demo Massage Therapy Inc.",
            "display_name": "Fascia Demo Massage Therapy",
            "street": "24 Queen Street West",
            "city": "Brampton",
            "province": "ON",
            "postal_code": "L6Y 1L9",
            "phone": "+19055550142",
            "email": "hello@demo.test",
            "tax_number": "812345678 RT0001",
            "time_zone": "America/Toronto",
            "cancellation_notice_hours": 24,
            "cancellation_policy": (
                "Please give at least 24 hours' notice to cancel or move an appointment. "
                "Appointments cancelled with less notice, or missed, are charged 50% of the "
                "treatment fee. Insurers do not pay for missed appointments."
            ),
            "cancellation_policy_fr": (
                "Veuillez donner au moins 24 heures de préavis pour annuler ou déplacer un "
                "rendez-vous. Un rendez-vous annulé avec un plus court préavis, ou manqué, est "
                "facturé 50 % du prix du traitement. Les assureurs ne paient pas les "
                "rendez-vous manqués."
            ),
        },
    )
    return practice


def _service_areas(practice: Practice) -> list[ServiceArea]:
    areas = []
    for name, (latitude, longitude, prefixes) in catalogue.SERVICE_AREAS.items():
        area, _ = ServiceArea.objects.get_or_create(
            practice=practice,
            name=name,
            defaults={
                "centroid_latitude": Decimal(latitude),
                "centroid_longitude": Decimal(longitude),
                "postal_prefixes": sorted(prefixes),
            },
        )
        areas.append(area)
    return areas


def _website(practice: Practice) -> None:
    """The demo's website words and its notes on the conditions guide (once: the owner may
    have changed them since)."""
    if PracticeWebsite.objects.for_practice(practice).exists():
        return
    save_website(practice, **catalogue.WEBSITE)
    for condition, note in catalogue.CONDITION_NOTES.items():
        set_condition_note(
            practice,
            condition,
            hidden=False,
            note=note,
            note_fr=catalogue.CONDITION_NOTES_FR.get(condition, ""),
        )
    for condition in catalogue.CONDITIONS_HIDDEN:
        set_condition_note(practice, condition, hidden=True, note="")


def _locations(practice: Practice, areas: list[ServiceArea]) -> None:
    clinic, _ = Location.objects.get_or_create(
        practice=practice,
        name="Queen Street Clinic",
        defaults={
            "kind": Location.Kind.CLINIC,
            "street": "24 Queen Street West",
            "unit": "200",
            "city": "Brampton",
            "postal_code": "L6Y 1L9",
            "phone": "+19055550142",
            "access_notes": "Free parking behind the building; elevator to the second floor.",
            "name_fr": "Clinique de la rue Queen",
            "access_notes_fr": "Stationnement gratuit derrière l'immeuble; ascenseur jusqu'au "
            "deuxième étage.",
        },
    )
    for room_name in ("Room 1", "Room 2", "Room 3"):
        Room.objects.get_or_create(practice=practice, location=clinic, name=room_name)
    for weekday, opens, closes in catalogue.CLINIC_HOURS:
        OpeningHours.objects.get_or_create(
            practice=practice,
            location=clinic,
            weekday=weekday,
            defaults={
                "opens_at": time.fromisoformat(opens),
                "closes_at": time.fromisoformat(closes),
            },
        )
    mobile, created = Location.objects.get_or_create(
        practice=practice,
        name="In-home visits (GTA and Wellington)",
        defaults={
            "kind": Location.Kind.MOBILE,
            "access_notes": "The therapist brings a table, linens and oils.",
            "name_fr": "Visites à domicile (RGT et Wellington)",
            "access_notes_fr": "Le ou la massothérapeute apporte la table, la literie et les "
            "huiles.",
        },
    )
    if created:
        mobile.service_areas.set(areas)
    _mobile_rules(practice, clinic, mobile, areas)


def _mobile_rules(
    practice: Practice, clinic: Location, mobile: Location, areas: list[ServiceArea]
) -> None:
    """Positions, travel fees, Guelph on Tuesdays and a rush-hour window: set once."""
    if clinic.latitude is None:
        clinic.latitude, clinic.longitude = catalogue.CLINIC_POSITION
        clinic.save(update_fields=["latitude", "longitude"])
    if mobile.latitude is None:
        mobile.latitude, mobile.longitude = catalogue.CLINIC_POSITION  # sets out from the clinic
        mobile.postal_code = clinic.postal_code
        mobile.travel_base_fee, mobile.travel_free_km, mobile.travel_fee_per_km = (
            catalogue.TRAVEL_FEE
        )
        mobile.save()
        for area in areas:
            area.weekdays = catalogue.AREA_WEEKDAYS.get(area.name, [])
            area.save(update_fields=["weekdays"])
        starts, ends = catalogue.RUSH_HOUR
        TrafficWindow.objects.get_or_create(
            practice=practice,
            location=mobile,
            starts_at=time.fromisoformat(starts),
            defaults={
                "ends_at": time.fromisoformat(ends),
                "weekdays": [0, 1, 2, 3, 4],
                "note": "Weekday rush hour: no in-home starts",
            },
        )


def _staff(practice: Practice) -> None:
    for email, full_name, role in catalogue.STAFF:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                catalogue.DEMO_PASSWORD,
                full_name=full_name,
                email_verified_at=timezone.now(),
            )
        StaffMember.objects.get_or_create(practice=practice, user=user, defaults={"role": role})
        profile = catalogue.THERAPISTS.get(email)
        if profile is not None:
            Therapist.objects.get_or_create(
                practice=practice,
                user=user,
                defaults={"display_name": full_name, **profile},
            )


def _working_time(practice: Practice) -> None:
    locations = {
        "clinic": Location.objects.get(practice=practice, kind=Location.Kind.CLINIC),
        "mobile": Location.objects.get(practice=practice, kind=Location.Kind.MOBILE),
    }
    for email, shifts in catalogue.SHIFTS.items():
        therapist = Therapist.objects.get(practice=practice, user__email=email)
        for weekday, starts, ends, where in shifts:
            WeeklyShift.objects.get_or_create(
                practice=practice,
                therapist=therapist,
                weekday=weekday,
                starts_at=time.fromisoformat(starts),
                defaults={"ends_at": time.fromisoformat(ends), "location": locations[where]},
            )
        for weekday, starts, ends in catalogue.LUNCH_BREAKS.get(email, []):
            WeeklyBreak.objects.get_or_create(
                practice=practice,
                therapist=therapist,
                weekday=weekday,
                starts_at=time.fromisoformat(starts),
                defaults={"ends_at": time.fromisoformat(ends)},
            )


def _services(practice: Practice) -> None:
    for order, (name, modality, prices, in_clinic, in_home, before, after, taxable) in enumerate(
        catalogue.SERVICES
    ):
        service, created = Service.objects.get_or_create(
            practice=practice,
            name=name,
            defaults={
                "modality": modality,
                "in_clinic": in_clinic,
                "in_home": in_home,
                "buffer_before_minutes": before,
                "buffer_after_minutes": after,
                "taxable": taxable,
                "display_order": order,
                "name_fr": catalogue.SERVICE_NAMES_FR[name],
            },
        )
        if created:
            for minutes, price in prices.items():
                ServiceDuration.objects.create(
                    practice=practice, service=service, minutes=minutes, price=Decimal(price)
                )


def _clients(
    practice: Practice, areas: list[ServiceArea], progress: Callable[[str], object]
) -> None:
    faker = Faker("en_CA")
    faker.seed_instance(20261124)
    chooser = random.Random(20261124)
    existing = set(Client.objects.for_practice(practice).values_list("email", flat=True))
    created = 0
    for index in range(catalogue.CLIENT_COUNT):
        fields = _client_fields(index, faker, chooser, areas)
        if fields["email"] in existing:
            continue
        # Demo history: clients joined over the last three years, not all today.
        # Seeded by index, so a re-run that skips existing clients draws the same values.
        days_ago = random.Random(index).randint(0, DEMO_HISTORY_DAYS)
        joined = timezone.now() - timedelta(days=days_ago)
        register_client(practice, by=None, registered_at=joined, **fields)
        created += 1
        if created % CLIENT_PROGRESS_EVERY == 0:
            progress(f"  {created} clients added")
    portal_user = User.objects.filter(email="client@demo.test").first()
    if portal_user is None:
        portal_user = User.objects.create_user(
            "client@demo.test",
            catalogue.DEMO_PASSWORD,
            full_name="Alex Morgan",
            email_verified_at=timezone.now(),
        )
    if not Client.objects.for_practice(practice).filter(user=portal_user).exists():
        register_client(
            practice,
            by=None,
            user=portal_user,
            legal_first_name="Alexandra",
            legal_last_name="Morgan",
            preferred_name="Alex",
            pronouns="she/her",
            date_of_birth=date(1988, 4, 17),
            email="client@demo.test",
            phone="+14165550187",
            street="118 Main Street North",
            city="Brampton",
            province="ON",
            postal_code="L6V 1N6",
            emergency_contact_name="Chris Morgan",
            emergency_contact_relationship="Spouse",
            emergency_contact_phone="+14165550188",
            consents_to_email_reminders=True,
            consents_to_sms_reminders=True,
        )


def _pronouns(roll: float, woman: bool) -> str:
    if roll < 0.03:
        return "they/them"
    if roll < 0.55:
        return ""  # not given
    return "she/her" if woman else "he/him"


def _client_fields(
    index: int, faker: Faker, chooser: random.Random, areas: list[ServiceArea]
) -> dict[str, Any]:
    # Draw every value even for clients that already exist, so the sequence stays stable.
    woman = chooser.random() < 0.62  # most massage-therapy clients are women
    first = faker.first_name_female() if woman else faker.first_name_male()
    last = faker.last_name()
    area = chooser.choice(areas)
    prefix = chooser.choice(area.postal_prefixes)
    postal_code = (
        f"{prefix} {chooser.randint(0, 9)}{chooser.choice(LDU_LETTERS)}{chooser.randint(0, 9)}"
    )
    born = faker.date_of_birth(minimum_age=16, maximum_age=88)
    phone = (
        f"+1{chooser.choice(['416', '647', '905', '289', '519'])}555{chooser.randint(0, 9999):04d}"
    )
    relation = chooser.choice(["Spouse", "Partner", "Parent", "Sibling", "Friend", "Child"])
    emergency_first = faker.first_name()
    return {
        "legal_first_name": first,
        "legal_last_name": last,
        "preferred_name": NICKNAMES.get(first, "") if chooser.random() < 0.5 else "",
        "pronouns": _pronouns(chooser.random(), woman),
        "date_of_birth": born,
        "email": f"{ascii_slug(first)}.{ascii_slug(last)}{index}@example.com",
        "phone": phone,
        "street": faker.street_address(),
        "city": area.name if area.name != "Halton Hills" else "Georgetown",
        "province": "ON",
        "postal_code": postal_code,
        "preferred_language": "fr" if chooser.random() < 0.08 else "en",
        "emergency_contact_name": f"{emergency_first} {last}",
        "emergency_contact_relationship": relation,
        "emergency_contact_phone": f"+1905555{chooser.randint(0, 9999):04d}",
        "consents_to_email_reminders": chooser.random() < 0.9,
        "consents_to_sms_reminders": chooser.random() < 0.6,
        "consents_to_marketing_email": chooser.random() < 0.3,
    }

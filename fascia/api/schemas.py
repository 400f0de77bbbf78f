from decimal import Decimal

from ninja import Schema


class DurationOut(Schema):
    minutes: int
    price: Decimal


class ServiceOut(Schema):
    id: int
    name: str
    modality: str
    description: str
    taxable: bool
    in_clinic: bool
    in_home: bool
    durations: list[DurationOut]


class TherapistOut(Schema):
    id: int
    display_name: str
    credentials: str
    registration_number: str
    modalities: list[str]
    languages: list[str]
    bio: str
    accepting_new_clients: bool


class LocationOut(Schema):
    id: int
    name: str
    kind: str
    address_lines: list[str]
    service_areas: list[str]

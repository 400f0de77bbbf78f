"""The API's request and response shapes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field


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
    buffer_before_minutes: int
    buffer_after_minutes: int
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


class SlotOut(Schema):
    start: datetime
    end: datetime
    therapist: int
    location: int


class HomeVisitOut(Schema):
    """For in-home availability: where the visit would be and what travel costs."""

    location: int
    postal_code: str
    area: str
    days_served: str = Field(description="e.g. 'Tuesdays'; empty when every working day")
    travel_fee: Decimal
    road_km: Decimal | None


class AvailabilityOut(Schema):
    slots: list[SlotOut]
    home_visit: HomeVisitOut | None = None


class AddressIn(Schema):
    street: str
    city: str = ""
    postal_code: str
    unit: str = ""


class AppointmentIn(Schema):
    service: int
    start: datetime
    therapist: int | None = Field(None, description="Omit for the first therapist free then.")
    location: int | None = Field(None, description="Omit when only one location offers it.")
    minutes: int | None = Field(None, description="Omit when the service has one length.")
    client: int | None = Field(None, description="Staff only: whom the visit is for.")
    address: AddressIn | None = Field(None, description="For in-home visits.")
    idempotency_key: str | None = Field(None, max_length=80)
    accepts_cancellation_policy: bool = False
    hold_token: str | None = None
    note: str = Field("", max_length=300, description="Staff only: a front-desk note.")
    window_start: datetime | None = Field(
        None, description="In-home: the earliest the client can be seen (for the day planner)."
    )
    window_end: datetime | None = Field(None, description="In-home: the latest the visit may end.")


class AppointmentOut(Schema):
    id: int
    client: int
    client_name: str
    therapist: int
    therapist_name: str
    service: int
    service_name: str
    location: int
    room: int | None
    start: datetime
    end: datetime
    minutes: int
    price: Decimal
    status: str
    late_cancellation_fee_due: bool
    in_home_address: str
    travel_fee: Decimal
    warnings: list[str] = []


class RescheduleIn(Schema):
    start: datetime
    therapist: int | None = None
    location: int | None = None


class CancelIn(Schema):
    reason: str = Field("", max_length=300)
    by_practice: bool = Field(False, description="Staff only: the practice cancelled (no fee).")


class AttendanceIn(Schema):
    status: str = Field(description="arrived, completed or no_show")


class EndedEarlyIn(Schema):
    reason: str = Field(max_length=300, description="Why the treatment stopped early.")
    minutes_given: int | None = Field(None, ge=1, le=600)


class HoldIn(Schema):
    service: int
    therapist: int
    location: int
    start: datetime
    minutes: int | None = None
    postal_code: str = ""


class HoldOut(Schema):
    token: str
    expires_at: datetime


class PhysiotherapyIn(Schema):
    starts_at: datetime
    provider: str = Field("", max_length=150)
    note: str = Field("", max_length=300)
    client: int | None = Field(None, description="Staff only.")


class PhysiotherapyOut(Schema):
    id: int
    client: int
    starts_at: datetime
    provider: str
    note: str


class ClientIn(Schema):
    legal_first_name: str
    legal_last_name: str
    preferred_name: str = ""
    pronouns: str = ""
    date_of_birth: str | None = None
    email: str = ""
    phone: str = ""
    street: str = ""
    unit: str = ""
    city: str = ""
    province: str = "ON"
    postal_code: str = ""
    preferred_language: str = "en"
    consents_to_email_reminders: bool = True
    consents_to_sms_reminders: bool = False


class ClientOut(Schema):
    id: int
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    pronouns: str
    email: str
    phone: str
    city: str
    postal_code: str
    preferred_language: str


class TokenIn(Schema):
    email: str
    password: str
    label: str = ""


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    email: str
    full_name: str
    practice: str | None
    role: str | None
    client_records: list[int]


class Problem(Schema):
    detail: str
    field: str | None = None
    reasons: list[str] = []

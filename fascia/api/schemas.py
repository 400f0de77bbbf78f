"""The API's request and response shapes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from fascia.validation import Integer, Moment, Text


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
    street: Text
    city: Text = ""
    postal_code: Text
    unit: Text = ""


class AppointmentIn(Schema):
    service: Integer
    start: Moment
    therapist: Integer | None = Field(None, description="Omit for the first therapist free then.")
    location: Integer | None = Field(None, description="Omit when only one location offers it.")
    minutes: Integer | None = Field(None, description="Omit when the service has one length.")
    client: Integer | None = Field(None, description="Staff only: whom the visit is for.")
    address: AddressIn | None = Field(None, description="For in-home visits.")
    idempotency_key: Text | None = Field(None, max_length=80)
    accepts_cancellation_policy: bool = False
    hold_token: Text | None = None
    note: Text = Field("", max_length=300, description="Staff only: a front-desk note.")
    window_start: Moment | None = Field(
        None, description="In-home: the earliest the client can be seen (for the day planner)."
    )
    window_end: Moment | None = Field(None, description="In-home: the latest the visit may end.")


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
    confirmed: bool = False
    warnings: list[str] = []


class RescheduleIn(Schema):
    start: Moment
    therapist: Integer | None = None
    location: Integer | None = None
    tell_client: bool = Field(
        True, description="Staff only: send the client the change (false: they already know)."
    )


class CancelIn(Schema):
    reason: Text = Field("", max_length=300)
    by_practice: bool = Field(False, description="Staff only: the practice cancelled (no fee).")
    tell_client: bool = Field(
        True, description="Staff only: send the client the cancellation (false: they know)."
    )


class AttendanceIn(Schema):
    status: Text = Field(description="arrived, completed or no_show")


class EndedEarlyIn(Schema):
    reason: Text = Field(max_length=300, description="Why the treatment stopped early.")
    minutes_given: Integer | None = Field(None, ge=1, le=600)


class HoldIn(Schema):
    service: Integer
    therapist: Integer
    location: Integer
    start: Moment
    minutes: Integer | None = None
    postal_code: Text = ""


class HoldOut(Schema):
    token: str
    expires_at: datetime


class PhysiotherapyIn(Schema):
    starts_at: Moment
    provider: Text = Field("", max_length=150)
    note: Text = Field("", max_length=300)
    client: Integer | None = Field(None, description="Staff only.")


class PhysiotherapyOut(Schema):
    id: int
    client: int
    starts_at: datetime
    provider: str
    note: str


class ClientIn(Schema):
    legal_first_name: Text
    legal_last_name: Text
    preferred_name: Text = ""
    pronouns: Text = ""
    date_of_birth: Text | None = None
    email: Text = ""
    phone: Text = ""
    street: Text = ""
    unit: Text = ""
    city: Text = ""
    province: Text = "ON"
    postal_code: Text = ""
    preferred_language: Text = "en"
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
    street: str = ""
    unit: str = ""
    city: str
    postal_code: str
    preferred_language: str


class TokenIn(Schema):
    email: Text
    password: Text
    label: Text = ""
    expires_in_days: Annotated[int, Field(ge=1, le=3650)] | None = None


class TokenOut(Schema):
    token: str
    expires_at: datetime | None = None


class TokenOnFile(Schema):
    """One of the signed-in person's tokens, as its owner sees it (never the token)."""

    id: int
    label: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class MeOut(Schema):
    email: str
    full_name: str
    practice: str | None
    role: str | None
    client_records: list[int]


class Problem(Schema):
    """Every error: one sentence for the person; booking errors name the `field`, record
    errors list every `reasons` it cannot be done yet."""

    detail: str
    field: str | None = None
    reasons: list[str] = []


class ScheduleColumn(Schema):
    id: str
    title: str


class ScheduleStretch(Schema):
    column: str
    start: datetime
    end: datetime
    location: int | None = None


class ScheduleVisit(AppointmentOut):
    column: str
    location_name: str
    room_name: str
    flags: list[str] = Field(
        description="Icons: the status, then home, unpaid, note_unsigned, alert."
    )


class ScheduleOut(Schema):
    columns: list[ScheduleColumn]
    working: list[ScheduleStretch]
    off_hours: list[ScheduleStretch]
    visits: list[ScheduleVisit]


class QuoteOut(Schema):
    price: Decimal
    travel_fee: Decimal
    tax_name: str = Field(description="HST, GST, or empty when the practice charges no tax.")
    tax_rate: Decimal
    tax: Decimal
    total: Decimal
    area: str | None = Field(None, description="The service area a home is in.")
    days_served: str | None = None

"""Owners set working time here. Appointments, acceptances and feeds are shown read-only: they
change only through the booking actions (calendar, API, online booking)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fascia.practices.admin import PracticeScopedAdmin
from fascia.scheduling.models import (
    Appointment,
    CalendarFeed,
    PhysiotherapyAppointment,
    PolicyAcceptance,
    ShiftChange,
    TimeOff,
    TrafficWindow,
    WaitlistEntry,
    WaitlistOffer,
    WeeklyBreak,
    WeeklyShift,
)


class WorkingTimeAdmin(PracticeScopedAdmin):
    allow_delete = True
    list_filter = ["therapist"]


@admin.register(WeeklyShift)
class WeeklyShiftAdmin(WorkingTimeAdmin):
    list_display = [
        "therapist",
        "weekday",
        "starts_at",
        "ends_at",
        "location",
        "effective_from",
        "effective_until",
    ]
    list_filter = ["therapist", "weekday", "location"]


@admin.register(WeeklyBreak)
class WeeklyBreakAdmin(WorkingTimeAdmin):
    list_display = ["therapist", "weekday", "starts_at", "ends_at"]


@admin.register(ShiftChange)
class ShiftChangeAdmin(WorkingTimeAdmin):
    list_display = ["therapist", "date", "location", "starts_at", "ends_at", "note"]
    date_hierarchy = "date"


@admin.register(TimeOff)
class TimeOffAdmin(WorkingTimeAdmin):
    list_display = ["therapist", "starts_at", "ends_at", "reason"]


@admin.register(TrafficWindow)
class TrafficWindowAdmin(PracticeScopedAdmin):
    list_display = ["location", "weekdays", "starts_at", "ends_at", "note"]
    allow_delete = True


class ReadOnlyAdmin(PracticeScopedAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = [
        "starts_at",
        "client",
        "therapist",
        "service",
        "location",
        "room",
        "status",
        "late_cancellation_fee_due",
    ]
    list_filter = ["status", "therapist", "location", "channel"]
    date_hierarchy = "starts_at"
    search_fields = ["client__legal_last_name", "client__legal_first_name"]


@admin.register(PolicyAcceptance)
class PolicyAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["client", "accepted_at", "channel", "recorded_by"]


@admin.register(PhysiotherapyAppointment)
class PhysiotherapyAppointmentAdmin(ReadOnlyAdmin):
    list_display = ["client", "starts_at", "provider"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["therapist", "created_at", "revoked_at", "last_fetched_at"]
    exclude = ["token"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["client", "service", "therapist", "earliest_date", "latest_date", "status"]
    list_filter = ["status"]


@admin.register(WaitlistOffer)
class WaitlistOfferAdmin(ReadOnlyAdmin):
    list_display = ["entry", "therapist", "starts_at", "status", "expires_at"]
    list_filter = ["status"]

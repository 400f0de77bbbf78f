"""Check-ins and safety alerts are a log: shown, never edited here."""

from django.contrib import admin

from fascia.mobile.models import SafetyAlert, SafetyCheckIn
from fascia.scheduling.admin import ReadOnlyAdmin


@admin.register(SafetyCheckIn)
class SafetyCheckInAdmin(ReadOnlyAdmin):
    list_display = ["appointment", "therapist", "kind", "at"]
    list_filter = ["kind", "therapist"]


@admin.register(SafetyAlert)
class SafetyAlertAdmin(ReadOnlyAdmin):
    list_display = ["therapist", "appointment", "raised_at", "resolved_at"]

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fascia.audit.models import AuditEntry
from fascia.practices.admin import PracticeScopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(PracticeScopedAdmin):
    """Read-only: the owner can review who accessed what; nobody can alter the log."""

    list_display = [
        "at",
        "actor_label",
        "role",
        "action",
        "client",
        "record_type",
        "record_id",
        "ip_address",
    ]
    list_filter = ["action", "role", "record_type"]
    search_fields = ["actor_label", "client__legal_last_name", "record_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fascia.notifications.models import OutboundMessage
from fascia.practices.admin import PracticeScopedAdmin


@admin.register(OutboundMessage)
class OutboundMessageAdmin(PracticeScopedAdmin):
    """What was sent to whom, and what failed; read-only."""

    list_display = ["created_at", "channel", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["to", "subject"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fascia.notifications.models import OutboundMessage
from fascia.practices.admin import PracticeScopedAdmin


@admin.register(OutboundMessage)
class OutboundMessageAdmin(PracticeScopedAdmin):
    """What was sent to whom, and what failed; read-only."""

    list_display = ["created_at", "channel", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["to", "subject"]
    # Bodies and calendar files can hold health information (self-care advice, a visit's
    # details): the admin shows that a message went, never what it said.
    fields = (
        "channel",
        "to",
        "subject",
        "attachment",
        "status",
        "send_after",
        "attempts",
        "last_error",
        "sent_at",
        "created_at",
        "body_withheld",
    )
    readonly_fields = fields

    @admin.display(description=_("Body"))
    def body_withheld(self, message: OutboundMessage) -> str:
        return str(_("Not shown: messages may hold health information."))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

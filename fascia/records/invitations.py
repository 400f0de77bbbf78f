"""The health-history invitation sent with a booking confirmation: a single-use link for a
client who has no health history on file yet."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from fascia.records.history import issue_intake_link
from fascia.records.queries import current_history
from fascia.scheduling.models import Appointment


def health_history_invitation(appointment: Appointment, event: str) -> list[str]:
    if event != "booked" or current_history(appointment.client) is not None:
        return []
    token = issue_intake_link(appointment.client)
    url = getattr(settings, "FASCIA_BASE_URL", "").rstrip("/") + reverse(
        "public:intake", args=[token]
    )
    return [
        "Before your first visit, please fill in your health history (about 5 minutes; you "
        "may skip any question). This private link works once:",
        url,
        "",
    ]

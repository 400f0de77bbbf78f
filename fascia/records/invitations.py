"""The health-history invitation sent with a booking confirmation: a single-use link for a
client who has no health history on file yet. The link is made only when the message is sent
(`fascia.links`), so the queued message holds no way into the form."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from fascia.clients.models import Client
from fascia.links import absolute, link_marker
from fascia.records.history import issue_intake_link
from fascia.records.queries import current_history
from fascia.scheduling.models import Appointment


def health_history_invitation(appointment: Appointment, event: str) -> list[str]:
    if event != "booked" or current_history(appointment.client) is not None:
        return []
    return [
        _(
            "Before your first visit, please fill in your health history (about 5 minutes; "
            "you may skip any question). This private link works once:"
        ),
        link_marker("intake", appointment.client_id),
        "",
    ]


def intake_link_url(client_id: int) -> str:
    """The link itself, made as the message goes out (settings.FASCIA_LINKS["intake"])."""
    token = issue_intake_link(Client.objects.get(pk=client_id))
    return absolute(reverse("public:intake", args=[token]))

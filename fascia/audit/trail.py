"""The owner's questions of the audit log: "who accessed this client's record?" and "what did
this person access?", narrowed by dates and kind of access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from fascia.audit.models import AuditAction, AuditEntry
from fascia.practices.models import Practice


@dataclass(frozen=True)
class TrailQuestion:
    """What the owner asks: any of a client, a person, a first and last day, a kind of access."""

    client: Any = None
    actor: Any = None
    first_day: date | None = None
    last_day: date | None = None
    action: str = ""


def access_trail(practice: Practice, question: TrailQuestion) -> QuerySet[AuditEntry]:
    """The practice's audit entries that answer `question`, newest first; days are the
    practice's own (a day runs from its midnight to the next)."""
    entries = AuditEntry.objects.filter(practice=practice).select_related("client", "actor")
    if question.client is not None:
        entries = entries.filter(client=question.client)
    if question.actor is not None:
        entries = entries.filter(actor=question.actor)
    zone = practice.zone
    if question.first_day is not None:
        entries = entries.filter(at__gte=datetime.combine(question.first_day, time(), zone))
    if question.last_day is not None:
        after = question.last_day + timedelta(days=1)
        entries = entries.filter(at__lt=datetime.combine(after, time(), zone))
    if question.action in AuditAction.values:
        entries = entries.filter(action=question.action)
    return entries.order_by("-at", "-id")


EMERGENCIES_SHOWN_DAYS = 30


def emergency_openings(practice: Practice) -> QuerySet[AuditEntry]:
    """Records opened in an emergency (not in the therapist's care) or past the client's lock
    under a lawful exception, in the last 30 days: the owner's page flags each, with the
    reason given."""
    since = timezone.now() - timedelta(days=EMERGENCIES_SHOWN_DAYS)
    return (
        AuditEntry.objects.filter(
            practice=practice,
            action__in=(AuditAction.EMERGENCY, AuditAction.LOCKBOX),
            at__gte=since,
        )
        .select_related("client")
        .order_by("-at")
    )


def trail_rows(entries: QuerySet[AuditEntry], zone: Any) -> list[list[Any]]:
    """The entries as the CSV's rows (health content is never in an entry, only what was
    touched and by whom)."""
    return [
        [
            entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_label,
            entry.role,
            entry.get_action_display(),
            entry.client.display_name if entry.client else "",
            entry.record_type,
            entry.record_id,
            entry.detail,
            entry.ip_address or "",
            entry.sequence,
        ]
        for entry in entries
    ]

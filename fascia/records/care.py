"""Need to know: a therapist sees the clinical record of the clients in their care — a visit
with them that was not cancelled, or a client they brought to the practice — and no other,
unless they open it in an emergency ("break-glass"): a recorded reason, for a few hours, on the
audit log and on the owner's audit page. The owner sees every record; the front desk and the
bookkeeper never see clinical content (their policies keep them out before this rule is asked).

`refuse_unless_may_read` is the one check every page, API operation and document that shows a
client's clinical record calls: this rule, then the client's lockbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.models import Role
from fascia.accounts.practice_context import role_in
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.models import Therapist
from fascia.privacy.lockbox import refuse_if_whole_record_locked
from fascia.records.errors import RecordError
from fascia.records.models import EmergencyAccess
from fascia.scheduling.models import CANCELLED_STATUSES, Appointment

EMERGENCY_HOURS = 4
SHORTEST_REASON = 10  # characters: a reason someone else can judge


class NotInCare(RecordError):
    """The client is not in this therapist's care: the page offers the emergency opening."""

    status = 403

    def __init__(self, client: Client) -> None:
        super().__init__(
            _(
                "%(client)s is not in your care: you have no visit with them. Open their record "
                "in an emergency only, with the reason."
            )
            % {"client": client.display_name}
        )
        self.client = client


def visits_in_care(therapist: Therapist) -> QuerySet[Appointment]:
    """The visits that put a client in a therapist's care: any with them not cancelled."""
    return Appointment.objects.filter(therapist=therapist).exclude(status__in=CANCELLED_STATUSES)


def clients_in_care_of(therapist: Therapist) -> QuerySet[Client]:
    """The clients in a therapist's care: a visit with them that was not cancelled (past or
    coming), or brought to the practice by them."""
    return (
        Client.objects.filter(practice_id=therapist.practice_id)
        .filter(Q(pk__in=visits_in_care(therapist).values("client_id")) | Q(brought_by=therapist))
        .distinct()
        .order_by("legal_last_name", "legal_first_name", "pk")
    )


def in_their_care(user: Any, client: Client) -> bool:
    """Is `client` in the care of `user`, a therapist, by a visit or by having been brought to
    the practice by them (asked of this one client)? Not counting emergency openings."""
    therapist = Therapist.objects.filter(practice_id=client.practice_id, user=user).first()
    return therapist is not None and (
        client.brought_by_id == therapist.pk
        or visits_in_care(therapist).filter(client_id=client.pk).exists()
    )


def in_care(user: Any, client: Client, *, now: datetime | None = None) -> bool:
    """Is `client` in the care of `user`, a therapist: in their care as above, or opened by
    them in an emergency still in force?"""
    return in_their_care(user, client) or open_emergency_access(user, client, now=now) is not None


def refuse_unless_in_care(user: Any, client: Client) -> bool:
    """Raise `NotInCare` when `user` is a therapist of the client's practice and the client is
    not in their care. The owner sees every record; what other roles see is their policies'.
    Returns True when the reader is let in only by an emergency opening (which ends by the
    clock)."""
    if role_in(client.practice, user) != Role.THERAPIST or in_their_care(user, client):
        return False
    if open_emergency_access(user, client) is not None:
        return True
    raise NotInCare(client)


def refuse_unless_may_read(user: Any, client: Client) -> bool:
    """The one check before any of a client's clinical record is shown: in the reader's care
    (need to know) and not locked from them as a whole by the client (the lockbox); parts the
    client locked are marked by the page itself (`privacy.lockbox.locked_for`).

    Returns whether the permission stands until the client's record changes: False when it
    rests on something that ends by the clock (an emergency opening, or a lockbox whose
    lawful-exception openings end after a few hours)."""
    by_emergency = refuse_unless_in_care(user, client)
    locked = refuse_if_whole_record_locked(user, client)
    return not by_emergency and not locked.directives


def open_emergency_access(
    user: Any, client: Client, *, now: datetime | None = None
) -> EmergencyAccess | None:
    """The user's emergency opening of the client's record still in force, if any."""
    now = now or timezone.now()
    return (
        EmergencyAccess.objects.filter(client=client, opened_by=user, ends_at__gt=now)
        .order_by("-ends_at")
        .first()
    )


def open_in_emergency(
    client: Client, *, by: Any, reason: str, request: Any = None, now: datetime | None = None
) -> EmergencyAccess:
    """Open a client's record not in the therapist's care, for `EMERGENCY_HOURS`, with the
    reason; on the audit log as an emergency access."""
    reason = (reason or "").strip()
    if role_in(client.practice, by) != Role.THERAPIST:
        raise RecordError(_("Only a therapist of the practice opens a record in an emergency."))
    if len(reason) < SHORTEST_REASON:
        raise RecordError(
            _("Say why you need this record now, in a sentence someone else can judge.")
        )
    now = now or timezone.now()
    with transaction.atomic():
        opened = EmergencyAccess.objects.create(
            practice=client.practice,
            client=client,
            opened_by=by,
            reason=reason,
            opened_at=now,
            ends_at=now + timedelta(hours=EMERGENCY_HOURS),
        )
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.EMERGENCY,
            record=opened,
            client=client,
            request=request,
            detail=reason[:255],
        )
    return opened

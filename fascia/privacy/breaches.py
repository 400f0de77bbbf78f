"""Recording a privacy breach, telling the clients it affected, and the yearly statistics the
IPC asks of every custodian by March 1. Only the owner (the custodian's contact person) keeps
the breach log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fascia.accounts.models import Role
from fascia.accounts.practice_context import role_in
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.documents import document_language
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, enqueue
from fascia.practices.models import Practice
from fascia.privacy.models import (
    BreachKind,
    BreachNotice,
    BreachStatus,
    IpcCategory,
    NoticeMethod,
    PrivacyBreach,
)

IPC_URL = "https://www.ipc.on.ca/"


class BreachError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BreachReport:
    """What the owner records about a breach."""

    discovered_at: datetime
    kind: str
    what_happened: str
    records_affected: str
    containment: str = ""
    status: str = BreachStatus.SUSPECTED
    occurred_on: Any = None
    ipc_categories: tuple[str, ...] = ()
    reported_to_ipc_on: Any = None
    others_affected: int = 0  # people affected who are not clients of the practice


def _refuse_unless_owner(practice: Practice, by: Any) -> None:
    if role_in(practice, by) != Role.OWNER:
        raise BreachError(_("Only the owner keeps the privacy breach log."))


def _checked(report: BreachReport) -> BreachReport:
    if report.kind not in BreachKind.values:
        raise BreachError(_("Choose what kind of breach it was."))
    if report.status not in BreachStatus.values:
        raise BreachError(_("Choose whether the breach is suspected or confirmed."))
    unknown = set(report.ipc_categories) - set(IpcCategory.values)
    if unknown:
        raise BreachError(
            _("Not one of the IPC's reasons: %(codes)s.") % {"codes": sorted(unknown)}
        )
    if not report.what_happened.strip() or not report.records_affected.strip():
        raise BreachError(_("Say what happened and which records it touched."))
    if report.discovered_at > timezone.now():
        raise BreachError(_("A breach cannot be discovered in the future."))
    if report.reported_to_ipc_on and report.reported_to_ipc_on < report.discovered_at.date():
        raise BreachError(_("The IPC cannot be told before the breach was discovered."))
    return report


def record_breach(
    practice: Practice,
    report: BreachReport,
    *,
    clients: Iterable[Client] = (),
    by: Any,
    request: Any = None,
) -> PrivacyBreach:
    """Log a suspected or confirmed breach and the clients it affected."""
    _refuse_unless_owner(practice, by)
    report = _checked(report)
    affected = list(clients)
    if any(client.practice_id != practice.pk for client in affected):
        raise BreachError(_("A client of another practice cannot be named here."))
    with transaction.atomic():
        breach = PrivacyBreach.objects.create(
            practice=practice,
            recorded_by=by,
            people_affected=len(affected) + max(report.others_affected, 0),
            **_fields(report),
        )
        breach.clients.set(affected)
        record_access(
            practice=practice,
            actor=by,
            action=AuditAction.CREATE,
            record=breach,
            request=request,
            detail=f"privacy breach ({breach.kind}), {len(affected)} client(s)",
        )
    return breach


def update_breach(
    breach: PrivacyBreach,
    report: BreachReport,
    *,
    clients: Iterable[Client],
    by: Any,
    request: Any = None,
) -> PrivacyBreach:
    """Bring a breach up to date: confirmed or not, contained, the IPC told."""
    _refuse_unless_owner(breach.practice, by)
    report = _checked(report)
    affected = list(clients)
    if any(client.practice_id != breach.practice_id for client in affected):
        raise BreachError(_("A client of another practice cannot be named here."))
    with transaction.atomic():
        for name, value in _fields(report).items():
            setattr(breach, name, value)
        breach.people_affected = len(affected) + max(report.others_affected, 0)
        breach.save()
        breach.clients.set(affected)
        record_access(
            practice=breach.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=breach,
            request=request,
            detail=f"privacy breach ({breach.status})",
        )
    return breach


def _fields(report: BreachReport) -> dict[str, Any]:
    return {
        "discovered_at": report.discovered_at,
        "occurred_on": report.occurred_on,
        "kind": report.kind,
        "status": report.status,
        "what_happened": report.what_happened.strip(),
        "records_affected": report.records_affected.strip(),
        "containment": report.containment.strip(),
        "ipc_categories": sorted(set(report.ipc_categories)),
        "reported_to_ipc_on": report.reported_to_ipc_on,
    }


def notice_text(breach: PrivacyBreach, client: Client) -> tuple[str, str]:
    """The notice to one client, in their language: what happened, what was done, and their
    right to complain to the IPC."""
    practice = breach.practice
    with translation.override(document_language(client)):
        subject = _("About your personal health information at %(practice)s") % {
            "practice": practice.public_name
        }
        body = _(
            "Dear %(name)s,\n\nWe are writing to tell you that your personal health "
            "information held by %(practice)s was %(kind)s.\n\nWhat happened: %(what)s\n\n"
            "What we have done: %(containment)s\n\nIf you have questions, contact us at "
            "%(contact)s. You have the right to make a complaint to the Information and Privacy "
            "Commissioner of Ontario: %(ipc)s\n\n%(practice)s"
        ) % {
            "name": client.preferred_name or client.legal_first_name,
            "practice": practice.public_name,
            "kind": str(breach.get_kind_display()).lower(),
            "what": breach.what_happened,
            "containment": breach.containment or _("we are looking into it and will write again."),
            "contact": practice.email or practice.phone,
            "ipc": IPC_URL,
        }
    return subject, body


def tell_affected_clients(
    breach: PrivacyBreach, *, by: Any, request: Any = None, now: datetime | None = None
) -> list[Client]:
    """Email the notice to every affected client with an email address not yet told; returns
    those still to be told another way (no email address)."""
    _refuse_unless_owner(breach.practice, by)
    if breach.status == BreachStatus.NOT_A_BREACH:
        raise BreachError(_("This was not a breach: there is nothing to tell the clients."))
    now = now or timezone.now()
    told = set(breach.notices.values_list("client_id", flat=True))
    still: list[Client] = []
    for client in breach.clients.order_by("pk"):
        if client.pk in told:
            continue
        if not client.email:
            still.append(client)
            continue
        subject, body = notice_text(breach, client)
        with transaction.atomic():
            enqueue(
                breach.practice,
                Message(
                    channel=Channel.EMAIL,
                    to=client.email,
                    subject=subject,
                    body=body,
                    dedupe_key=f"breach-notice:{breach.pk}:{client.pk}",
                ),
            )
            record_notice(breach, client, method="email", by=by, request=request, now=now)
    return still


def record_notice(
    breach: PrivacyBreach,
    client: Client,
    *,
    method: str,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> BreachNotice:
    """Record that a client was told (by email, or another way: phone, letter, in person)."""
    _refuse_unless_owner(breach.practice, by)
    if not breach.clients.filter(pk=client.pk).exists():
        raise BreachError(_("This client is not named in the breach."))
    if method not in NoticeMethod.values:
        raise BreachError(_("Say how the client was told."))
    with transaction.atomic():
        notice, _created = BreachNotice.objects.get_or_create(
            breach=breach,
            client=client,
            defaults={
                "practice": breach.practice,
                "sent_at": now or timezone.now(),
                "method": method,
                "sent_by": by,
            },
        )
        record_access(
            practice=breach.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=notice,
            client=client,
            request=request,
            detail=f"told of privacy breach {breach.pk} ({method})",
        )
    return notice


def yearly_statistics(practice: Practice, year: int) -> list[list[Any]]:
    """The IPC's yearly statistics for `year`: for each kind, the confirmed breaches and the
    people they affected; then the total."""
    breaches = PrivacyBreach.objects.filter(
        practice=practice, discovered_at__year=year, status=BreachStatus.CONFIRMED
    )
    rows = []
    for kind in BreachKind:
        of_kind = [breach for breach in breaches if breach.kind == kind]
        rows.append(
            [str(kind.label), len(of_kind), sum(breach.people_affected for breach in of_kind)]
        )
    rows.append([_("Total"), sum(row[1] for row in rows), sum(row[2] for row in rows)])
    return rows

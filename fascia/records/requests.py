"""A client's requests to see or to correct their record (PHIPA ss. 52-55): logged with the
day received, answered within 30 days — or, once, up to 30 more with a notice to the client
saying why — and closed with the outcome; a refusal says why. A correction is made as an
amendment beside the original, never by rewriting it. Requests still open past their deadline
show on the owner's home page."""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
from fascia.records.errors import RecordError
from fascia.records.models import (
    RecordRequest,
    RecordRequestKind,
    RecordRequestOutcome,
    TreatmentNote,
)
from fascia.records.notes import amend_note

DAYS_TO_ANSWER = 30
LONGEST_EXTENSION = 30


def _refuse_unless_owner(practice: Practice, by: Any) -> None:
    if role_in(practice, by) != Role.OWNER:
        raise RecordError(_("Only the owner answers requests to see or correct a record."))


def log_record_request(
    client: Client,
    *,
    kind: str,
    received_on: date,
    asked_for: str,
    by: Any,
    request: Any = None,
) -> RecordRequest:
    """Log a request made to the practice (in writing, by email, in person)."""
    _refuse_unless_owner(client.practice, by)
    if kind not in RecordRequestKind.values:
        raise RecordError(_("Say whether the client asks to see or to correct their record."))
    today = timezone.localdate(timezone=client.practice.zone)
    if received_on > today:
        raise RecordError(_("A request cannot be received in the future."))
    if not asked_for.strip():
        raise RecordError(_("Write what the client asked for."))
    with transaction.atomic():
        logged = RecordRequest.objects.create(
            practice=client.practice,
            client=client,
            kind=kind,
            received_on=received_on,
            asked_for=asked_for.strip(),
            due_on=received_on + timedelta(days=DAYS_TO_ANSWER),
            logged_by=by,
        )
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=logged,
            client=client,
            request=request,
            detail=f"{kind} request received {received_on}",
        )
    return logged


def extend_record_request(
    asked: RecordRequest,
    *,
    days: int,
    reason: str,
    by: Any,
    request: Any = None,
) -> RecordRequest:
    """Take up to 30 more days, once, and tell the client why before the first 30 end."""
    _refuse_unless_owner(asked.practice, by)
    if asked.outcome:
        raise RecordError(_("This request is already answered."))
    if asked.extended_to is not None:
        raise RecordError(_("A request can be extended only once."))
    if not 1 <= days <= LONGEST_EXTENSION:
        raise RecordError(
            _("An extension is between 1 and %(days)s days.") % {"days": LONGEST_EXTENSION}
        )
    if not reason.strip():
        raise RecordError(_("Say why more time is needed: the client is told."))
    today = timezone.localdate(timezone=asked.practice.zone)
    if today > asked.due_on:
        raise RecordError(_("The 30 days have passed: an extension had to be given before."))
    with transaction.atomic():
        asked.extended_to = asked.due_on + timedelta(days=days)
        asked.extension_reason = reason.strip()
        asked.save(update_fields=["extended_to", "extension_reason"])
        _tell_client_of_extension(asked)
        record_access(
            practice=asked.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=asked,
            client=asked.client,
            request=request,
            detail=f"extended to {asked.extended_to}",
        )
    return asked


def _tell_client_of_extension(asked: RecordRequest) -> None:
    client = asked.client
    if not client.email:
        return
    with translation.override(document_language(client)):
        subject = _("Your request to %(practice)s about your record") % {
            "practice": asked.practice.public_name
        }
        body = _(
            "Dear %(name)s,\n\nWe received your request of %(received)s. We need more time to "
            "answer it: you will have our answer by %(until)s.\n\nWhy: %(reason)s\n\nYou have the "
            "right to complain about this extension to the Information and Privacy Commissioner "
            "of Ontario: https://www.ipc.on.ca/\n\n%(practice)s"
        ) % {
            "name": client.preferred_name or client.legal_first_name,
            "received": asked.received_on.isoformat(),
            "until": asked.extended_to.isoformat() if asked.extended_to else "",
            "reason": asked.extension_reason,
            "practice": asked.practice.public_name,
        }
    enqueue(
        asked.practice,
        Message(
            channel=Channel.EMAIL,
            to=client.email,
            subject=subject,
            body=body,
            dedupe_key=f"record-request-extension:{asked.pk}",
        ),
    )


def answer_record_request(
    asked: RecordRequest,
    *,
    outcome: str,
    note: str = "",
    refusal_reason: str = "",
    correct_note: TreatmentNote | None = None,
    correction: str = "",
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> RecordRequest:
    """Close a request with its outcome. A refusal (in whole or part) says why; a granted
    correction of a treatment note is written as an amendment beside the original."""
    _refuse_unless_owner(asked.practice, by)
    if asked.outcome:
        raise RecordError(_("This request is already answered."))
    if outcome not in RecordRequestOutcome.values:
        raise RecordError(_("Choose the outcome."))
    refused = outcome in (RecordRequestOutcome.REFUSED, RecordRequestOutcome.PARTLY)
    if refused and not refusal_reason.strip():
        raise RecordError(_("A refusal says why: the client has the right to know."))
    now = now or timezone.now()
    with transaction.atomic():
        if correct_note is not None:
            if asked.kind != RecordRequestKind.CORRECTION:
                raise RecordError(_("Only a correction request amends a note."))
            if correct_note.client_id != asked.client_id:
                raise RecordError(_("That note is another client's."))
            amend_note(
                correct_note,
                text=correction,
                reason=_("The client's correction request of %(day)s")
                % {"day": asked.received_on.isoformat()},
                by=by,
                request=request,
                now=now,
            )
        asked.outcome = outcome
        asked.outcome_note = note.strip()
        asked.refusal_reason = refusal_reason.strip()
        asked.answered_at = now
        asked.save(update_fields=["outcome", "outcome_note", "refusal_reason", "answered_at"])
        record_access(
            practice=asked.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=asked,
            client=asked.client,
            request=request,
            detail=f"{asked.kind} request answered: {outcome}",
        )
    return asked


def overdue_requests(practice: Practice, today: date | None = None) -> list[RecordRequest]:
    """Requests not answered by their deadline (the extended one, if extended)."""
    today = today or timezone.localdate(timezone=practice.zone)
    open_requests = RecordRequest.objects.for_practice(practice).filter(outcome="")
    return [asked for asked in open_requests.select_related("client") if asked.deadline < today]

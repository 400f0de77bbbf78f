"""Health histories: versions taken with the client or by a single-use link, and the
"any changes since last visit?" review."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.links import digest_of
from fascia.records import intake
from fascia.records.auditing import audit_record
from fascia.records.errors import RecordError
from fascia.records.models import (
    HealthHistory,
    HistoryReview,
    HistorySource,
    IntakeLink,
)
from fascia.records.queries import current_history
from fascia.scheduling.models import Appointment

INTAKE_LINK_LIFETIME = timedelta(days=14)


def submit_health_history(
    client: Client,
    *,
    answers: dict[str, Any],
    skipped: dict[str, str] | None = None,
    source: str,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> HealthHistory:
    """Record a new version of the client's health history (earlier ones stay readable)."""
    try:
        clean, reasons = intake.clean_answers(answers, skipped)
    except intake.IntakeError as error:
        raise RecordError(
            _("Some answers need another look."),
            [
                f"{intake.BY_ID[k].text if k in intake.BY_ID else k}: {v}"
                for k, v in error.errors.items()
            ],
        ) from error
    if source not in HistorySource.values:
        raise RecordError(f"Unknown source {source!r}.")
    with transaction.atomic():
        # Lock the client so two submissions do not claim the same version number.
        Client.objects.select_for_update().filter(pk=client.pk).first()
        latest = HealthHistory.objects.filter(client=client).aggregate(v=Max("version"))["v"]
        history = HealthHistory.objects.create(
            practice=client.practice,
            client=client,
            version=(latest or 0) + 1,
            answers=clean,
            skipped=reasons,
            source=source,
            recorded_by=acting_user(by),
            created_at=now or timezone.now(),
        )
        audit_record(AuditAction.CREATE, history, client, by, request, f"version {history.version}")
    return history


def review_history(
    appointment: Appointment,
    *,
    changes: dict[str, Any] | None = None,
    skipped: dict[str, str] | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> HistoryReview:
    """ "Any changes since last visit?": with no changes, confirm the current version; with
    changes, they are merged into a new version."""
    client = appointment.client
    now = now or timezone.now()
    with transaction.atomic():
        history = current_history(client)
        if history is None and not changes:
            raise RecordError(_("There is no health history yet: take one first."))
        if changes:
            merged = dict(history.answers if history else {})
            merged.update(changes)
            reasons = dict(history.skipped if history else {})
            for key in changes:
                reasons.pop(key, None)
            reasons.update(skipped or {})
            history = submit_health_history(
                client,
                answers=merged,
                skipped=reasons,
                source=HistorySource.VISIT_UPDATE,
                by=by,
                request=request,
                now=now,
            )
        assert history is not None
        review = HistoryReview.objects.create(
            practice=client.practice,
            client=client,
            appointment=appointment,
            history=history,
            changed=bool(changes),
            reviewed_by=acting_user(by),
            reviewed_at=now,
        )
        audit_record(AuditAction.CREATE, review, client, by, request)
    return review


def issue_intake_link(client: Client, *, by: Any = None, now: datetime | None = None) -> str:
    """A single-use token for the client's health-history form (only its digest is kept)."""
    token = secrets.token_urlsafe(32)
    IntakeLink.objects.create(
        practice=client.practice,
        client=client,
        digest=digest_of(token),
        expires_at=(now or timezone.now()) + INTAKE_LINK_LIFETIME,
    )
    return token


def intake_link(token: str, now: datetime | None = None) -> IntakeLink | None:
    """The open link for a token, or None (unknown, used or expired)."""
    return (
        IntakeLink.objects.select_related("client__practice")
        .filter(digest=digest_of(token), used_at=None, expires_at__gt=now or timezone.now())
        .first()
    )


def submit_through_link(
    token: str,
    *,
    answers: dict[str, Any],
    skipped: dict[str, str] | None = None,
    request: Any = None,
    now: datetime | None = None,
) -> HealthHistory:
    now = now or timezone.now()
    with transaction.atomic():
        link = intake_link(token, now)
        if link is None:
            raise RecordError(
                _("This link has been used or has expired; ask the clinic for a new one.")
            )
        used = IntakeLink.objects.filter(pk=link.pk, used_at=None).update(used_at=now)
        if not used:
            raise RecordError(_("This link has already been used."))
        return submit_health_history(
            link.client,
            answers=answers,
            skipped=skipped,
            source=HistorySource.LINK,
            request=request,
            now=now,
        )

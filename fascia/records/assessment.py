"""Assessment findings, outcome scores and range of motion, each after consent to assessment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.records import outcomes, rom
from fascia.records.auditing import audit_record
from fascia.records.errors import RecordError
from fascia.records.models import (
    Assessment,
    ConsentScope,
    OutcomeScore,
    RangeOfMotion,
    TestResult,
)
from fascia.records.queries import consent_on_file
from fascia.scheduling.models import Appointment

SIDES = ("", "left", "right", "bilateral")


def record_assessment(
    appointment: Appointment,
    *,
    posture: str = "",
    palpation: str = "",
    special_tests: list[dict[str, str]] | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Assessment:
    """Record the visit's assessment findings; consent to assessment comes first (CMTO)."""
    if not consent_on_file(appointment, (ConsentScope.ASSESSMENT, ConsentScope.TREATMENT)):
        raise RecordError(_("Record the client's consent to assessment first."))
    tests = special_tests or []
    reasons = []
    for number, test in enumerate(tests, start=1):
        if not str(test.get("name", "")).strip():
            reasons.append(f"Special test {number}: name the test.")
        if test.get("side", "") not in SIDES:
            reasons.append(f"Special test {number}: side is left, right or bilateral.")
        if test.get("result") not in TestResult.values:
            reasons.append(f"Special test {number}: result is positive, negative or inconclusive.")
    if not (posture.strip() or palpation.strip() or tests):
        reasons.append(_("Record at least one finding."))
    if reasons:
        raise RecordError(_("The assessment cannot be saved."), reasons)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            practice=appointment.practice,
            client=appointment.client,
            appointment=appointment,
            posture=posture.strip(),
            palpation=palpation.strip(),
            special_tests=[
                {"name": str(t["name"]).strip(), "side": t.get("side", ""), "result": t["result"]}
                for t in tests
            ],
            recorded_by=acting_user(by),
            recorded_at=now or timezone.now(),
        )
        audit_record(AuditAction.CREATE, assessment, appointment.client, by, request)
    return assessment


def record_outcome(
    client: Client,
    *,
    measure: str,
    answers: list[int | None],
    activities: list[str] | None = None,
    appointment: Appointment | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> OutcomeScore:
    try:
        result = outcomes.score(measure, answers)
    except outcomes.OutcomeError as error:
        raise RecordError(str(error)) from error
    with transaction.atomic():
        saved = OutcomeScore.objects.create(
            practice=client.practice,
            client=client,
            appointment=appointment,
            measure=measure,
            answers=answers,
            activities=activities or [],
            value=result.value,
            complete=result.complete,
            band=result.band,
            note=result.note,
            recorded_at=now or timezone.now(),
            recorded_by=acting_user(by),
        )
        audit_record(
            AuditAction.CREATE, saved, client, by, request, f"{measure}: {result.display()}"
        )
    return saved


def record_range_of_motion(
    client: Client,
    *,
    joint: str,
    movement: str,
    degrees: Decimal,
    side: str = "",
    active: bool = True,
    appointment: Appointment | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> RangeOfMotion:
    try:
        rom.check_measurement(joint, movement, side, Decimal(degrees))
    except rom.RangeError as error:
        raise RecordError(str(error)) from error
    with transaction.atomic():
        measured = RangeOfMotion.objects.create(
            practice=client.practice,
            client=client,
            appointment=appointment,
            joint=joint,
            movement=movement,
            side=side,
            degrees=Decimal(degrees),
            active=active,
            recorded_at=now or timezone.now(),
        )
        audit_record(AuditAction.CREATE, measured, client, by, request)
    return measured

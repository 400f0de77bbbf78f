"""Treatment plans, and the rules a plan's or note's areas, techniques and pressure follow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.modalities import Modality
from fascia.records import body
from fascia.records.auditing import audit_record
from fascia.records.errors import RecordError
from fascia.records.models import (
    Consent,
    ConsentScope,
    Pressure,
    TreatmentPlan,
)


def create_treatment_plan(
    client: Client,
    *,
    therapist: Any,
    goals: str,
    areas: list[str],
    techniques: list[str],
    pressure: str,
    frequency: str,
    visits_planned: int,
    after_effects: str,
    replaces: TreatmentPlan | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> TreatmentPlan:
    reasons = treatment_problems(areas, techniques, pressure)
    if not goals.strip():
        reasons.append(_("Write the plan's goals."))
    if not after_effects.strip():
        reasons.append(_("Record the expected after-effects and risks explained."))
    if not 1 <= visits_planned <= 100:
        reasons.append(_("Plan between 1 and 100 visits."))
    if (
        replaces is not None
        and not Consent.objects.filter(
            client=client,
            scope=ConsentScope.PLAN_CHANGE,
            given=True,
            withdrawn_at=None,
            recorded_at__gte=replaces.created_at,
        ).exists()
    ):
        reasons.append(_("Record the client's consent to changing the plan first."))
    if reasons:
        raise RecordError(_("The treatment plan is not complete."), reasons)
    with transaction.atomic():
        plan = TreatmentPlan.objects.create(
            practice=client.practice,
            client=client,
            therapist=therapist,
            goals=goals.strip(),
            areas=sorted(set(areas)),
            techniques=list(dict.fromkeys(techniques)),
            pressure=pressure,
            frequency=frequency.strip(),
            visits_planned=visits_planned,
            after_effects=after_effects.strip(),
            created_at=now or timezone.now(),
        )
        if replaces is not None:
            TreatmentPlan.objects.filter(pk=replaces.pk, replaced_by=None).update(replaced_by=plan)
        audit_record(AuditAction.CREATE, plan, client, by, request)
    return plan


def treatment_problems(areas: list[str], techniques: list[str], pressure: str) -> list[str]:
    reasons = []
    unknown = body.unknown_areas(areas)
    if unknown:
        reasons.append(f"Unknown body areas: {', '.join(unknown)}.")
    unknown_techniques = [t for t in techniques if t not in Modality.values]
    if unknown_techniques:
        reasons.append(f"Unknown techniques: {', '.join(unknown_techniques)}.")
    if pressure and pressure not in Pressure.values:
        reasons.append(_("Pressure is light, moderate, firm or deep."))
    return reasons

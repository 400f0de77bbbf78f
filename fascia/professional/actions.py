"""Every write to professional and equipment records. Each checks its input (ValidationError
with the reason, nothing saved) and runs in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from fascia.accounts.models import User
from fascia.practices.models import Location, Therapist
from fascia.professional.models import (
    ContinuingEducation,
    Equipment,
    EquipmentService,
    FirstAidCertificate,
    LiabilityInsurance,
)
from fascia.storage import check_document

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


def save_registration(
    therapist: Therapist,
    *,
    registration_number: str,
    registration_status: str,
    registration_expires_on: date | None,
    education_cycle_starts_on: date | None,
) -> Therapist:
    therapist.registration_number = registration_number.strip()
    therapist.registration_status = registration_status
    therapist.registration_expires_on = registration_expires_on
    therapist.education_cycle_starts_on = education_cycle_starts_on
    therapist.full_clean(exclude=["user"])
    therapist.save(
        update_fields=[
            "registration_number",
            "registration_status",
            "registration_expires_on",
            "education_cycle_starts_on",
        ]
    )
    return therapist


def add_insurance(
    therapist: Therapist,
    *,
    insurer: str,
    policy_number: str,
    coverage: Decimal,
    starts_on: date,
    expires_on: date,
) -> LiabilityInsurance:
    if expires_on < starts_on:
        raise ValidationError({"expires_on": _("The policy cannot end before it starts.")})
    if coverage <= 0:
        raise ValidationError({"coverage": _("Enter the coverage in dollars.")})
    policy = LiabilityInsurance(
        practice_id=therapist.practice_id,
        therapist=therapist,
        insurer=insurer.strip(),
        policy_number=policy_number.strip(),
        coverage=coverage,
        starts_on=starts_on,
        expires_on=expires_on,
    )
    policy.full_clean()
    policy.save()
    return policy


def add_education(
    therapist: Therapist,
    *,
    completed_on: date,
    title: str,
    provider: str,
    category: str,
    credits: Decimal,
    certificate: UploadedFile | None = None,
    today: date,
) -> ContinuingEducation:
    if completed_on > today:
        raise ValidationError({"completed_on": _("Record an activity once it is completed.")})
    if credits <= 0:
        raise ValidationError({"credits": _("Enter the hours or credits it earned.")})
    if certificate is not None:
        check_document(certificate, max_bytes=CERTIFICATE_MAX_BYTES, field="certificate")
    activity = ContinuingEducation(
        practice_id=therapist.practice_id,
        therapist=therapist,
        completed_on=completed_on,
        title=title.strip(),
        provider=provider.strip(),
        category=category,
        credits=credits,
    )
    activity.full_clean(exclude=["certificate"])
    with transaction.atomic():
        if certificate is not None:
            activity.certificate.save(certificate.name or "certificate", certificate, save=False)
        activity.save()
    return activity


def add_first_aid(
    therapist: Therapist, *, kind: str, provider: str, expires_on: date
) -> FirstAidCertificate:
    certificate = FirstAidCertificate(
        practice_id=therapist.practice_id,
        therapist=therapist,
        kind=kind,
        provider=provider.strip(),
        expires_on=expires_on,
    )
    certificate.full_clean()
    certificate.save()
    return certificate


def add_equipment(location: Location, **fields: Any) -> Equipment:
    equipment = Equipment(practice_id=location.practice_id, location=location, **fields)
    equipment.full_clean()
    equipment.save()
    return equipment


def record_equipment_service(
    equipment: Equipment,
    *,
    kind: str,
    done_on: date,
    done_by: str,
    notes: str = "",
    by: User,
    today: date,
) -> EquipmentService:
    if done_on > today:
        raise ValidationError({"done_on": _("Record the service once it is done.")})
    service = EquipmentService(
        practice_id=equipment.practice_id,
        equipment=equipment,
        kind=kind,
        done_on=done_on,
        done_by=done_by.strip(),
        notes=notes.strip(),
        recorded_by=by,
    )
    service.full_clean()
    service.save()
    return service

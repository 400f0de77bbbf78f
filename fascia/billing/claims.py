"""Third-party claims (motor-vehicle and WSIB): invoices billed to the claim, what of the
approval is left, and the warning before a visit goes beyond it. Also the claim-ready data of a
visit, for a later direct-billing integration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.billing.errors import BillingError
from fascia.billing.models import InsurancePolicy, Invoice, ThirdPartyClaim
from fascia.billing.money import ZERO, AmountError, amount
from fascia.billing.totals import totals
from fascia.clients.models import Client
from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment


@dataclass(frozen=True)
class ClaimUse:
    claim: ThirdPartyClaim
    visits_billed: int
    amount_billed: Decimal

    @property
    def visits_left(self) -> int:
        return max(0, self.claim.approved_visits - self.visits_billed)

    @property
    def amount_left(self) -> Decimal | None:
        if self.claim.approved_amount is None:
            return None
        return max(ZERO, self.claim.approved_amount - self.amount_billed)


def claim_use(claim: ThirdPartyClaim) -> ClaimUse:
    invoices = Invoice.objects.filter(claim=claim, voided_at=None).prefetch_related(
        "lines", "payments"
    )
    return ClaimUse(
        claim,
        len(invoices),
        sum((totals(invoice).total for invoice in invoices), ZERO),
    )


def claim_warnings(client: Client, start: datetime, service: Any = None) -> list[str]:
    """Before booking: a visit beyond an active claim's approved visits is flagged."""
    day = timezone.localtime(start, client.practice.zone).date()
    warnings = []
    for claim in ThirdPartyClaim.objects.filter(client=client, is_active=True, starts_on__lte=day):
        if claim.ends_on and claim.ends_on < day:
            warnings.append(f"{claim}: the approval ended on {claim.ends_on:%B %-d, %Y}.")
            continue
        use = claim_use(claim)
        upcoming = Appointment.objects.filter(
            client=client, status__in=OCCUPYING_STATUSES, starts_at__gte=timezone.now()
        ).count()
        if use.visits_billed + upcoming > claim.approved_visits:
            warnings.append(
                f"{claim}: {claim.approved_visits} visits approved, {use.visits_billed} billed "
                f"and {upcoming} booked; this visit goes beyond the approval."
            )
    return warnings


def claim_data(invoice: Invoice, policy: InsurancePolicy | None = None) -> dict[str, Any]:
    """Everything a direct-billing submission needs for one visit, from the records as kept."""
    appointment = invoice.appointment
    practice = invoice.practice
    client = invoice.client
    sums = totals(invoice)
    therapist = appointment.therapist if appointment else None
    return {
        "provider": {
            "practice": practice.name,
            "address": practice.address_lines,
            "tax_number": invoice.tax_number,
            "therapist": therapist.display_name if therapist else "",
            "registration_number": therapist.registration_number if therapist else "",
            "profession": "Registered Massage Therapist",
        },
        "patient": {
            "first_name": client.legal_first_name,
            "last_name": client.legal_last_name,
            "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else None,
        },
        "coverage": (
            {
                "insurer": policy.insurer,
                "plan_number": policy.plan_number,
                "member_id": policy.member_id,
                "subscriber": policy.subscriber_name,
                "relationship": policy.relationship,
            }
            if policy
            else None
        ),
        "claim": (
            {
                "kind": invoice.claim.kind,
                "payer": invoice.claim.payer,
                "claim_number": invoice.claim.claim_number,
            }
            if invoice.claim
            else None
        ),
        "service": {
            "date": (
                timezone.localtime(appointment.starts_at, practice.zone).date().isoformat()
                if appointment
                else None
            ),
            "description": appointment.service.name if appointment else "",
            "modality": appointment.service.modality if appointment else "",
            "minutes": appointment.duration_minutes if appointment else None,
        },
        "amounts": {
            "fee": str(sums.net),
            "tax": str(sums.tax),
            "total": str(sums.total),
            "paid": str(sums.paid),
        },
        "invoice_number": invoice.number,
    }


CLAIM_FIELDS = (
    "kind",
    "payer",
    "claim_number",
    "adjuster",
    "plan_submitted_by",
    "approved_visits",
    "approved_amount",
    "starts_on",
    "ends_on",
    "is_active",
)


def claim_problems(
    practice: Any, fields: dict[str, Any], *, claim: ThirdPartyClaim | None = None
) -> list[str]:
    """What is wrong with a claim's fields (empty when nothing is)."""
    problems = []
    if fields.get("approved_amount") is not None:
        try:
            amount(fields["approved_amount"], what=_("The approved amount"))
        except AmountError as error:
            problems.append(str(error))
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts and ends and ends < starts:
        problems.append(_("The approval ends after it starts."))
    number = str(fields.get("claim_number") or "").strip()
    if (
        number
        and ThirdPartyClaim.objects.filter(
            practice=practice, kind=fields.get("kind"), claim_number=number
        )
        .exclude(pk=claim.pk if claim else None)
        .exists()
    ):
        problems.append(f"Claim {number} is already on file.")
    return problems


def save_third_party_claim(
    client: Client,
    *,
    claim: ThirdPartyClaim | None = None,
    by: Any = None,
    request: Any = None,
    **fields: Any,
) -> ThirdPartyClaim:
    """Add a client's approved motor-vehicle or WSIB claim, or change one (`claim`); audited."""
    unknown = sorted(set(fields) - set(CLAIM_FIELDS))
    if unknown:
        raise BillingError(f"Not a claim field: {', '.join(unknown)}.")
    if claim is not None and claim.client_id != client.pk:
        raise BillingError(_("That claim is another client's."))
    if fields.get("approved_amount") is not None:
        try:
            fields["approved_amount"] = amount(
                fields["approved_amount"], what=_("The approved amount")
            )
        except AmountError as error:
            raise BillingError(str(error)) from error
    if (
        fields.get("ends_on")
        and fields.get("starts_on")
        and fields["ends_on"] < fields["starts_on"]
    ):
        raise BillingError(_("The approval ends after it starts."))
    with transaction.atomic():
        if claim is None:
            claim = ThirdPartyClaim(practice=client.practice, client=client)
        for name, value in fields.items():
            setattr(claim, name, value.strip() if isinstance(value, str) else value)
        try:
            claim.full_clean(exclude=["practice", "client"])
        except ValidationError as invalid:
            raise BillingError(" ".join(invalid.messages)) from invalid
        creating = claim.pk is None
        claim.save()
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.CREATE if creating else AuditAction.CHANGE,
            record=claim,
            client=client,
            request=request,
        )
    return claim

"""Clients' insurance policies: their fields' rules and the one action that saves them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.billing.errors import BillingError
from fascia.billing.models import (
    InsurancePolicy,
)
from fascia.billing.money import AmountError, amount

POLICY_FIELDS = (
    "insurer",
    "plan_number",
    "member_id",
    "subscriber_name",
    "relationship",
    "year_starts",
    "annual_maximum",
    "per_visit_maximum",
    "percent_covered",
    "referral_required",
    "is_active",
)


def policy_problems(fields: dict[str, Any]) -> list[str]:
    """What is wrong with a policy's fields (empty when nothing is)."""
    problems = []
    for name, label in (
        ("annual_maximum", _("The annual maximum")),
        ("per_visit_maximum", _("The per-visit maximum")),
    ):
        if fields.get(name) is not None:
            try:
                amount(fields[name], what=label)
            except AmountError as error:
                problems.append(str(error))
    percent = fields.get("percent_covered")
    if percent is not None and not Decimal("0") < Decimal(str(percent)) <= Decimal("100"):
        problems.append(_("The share the plan covers is between 1 and 100 percent."))
    for name in ("insurer", "member_id", "subscriber_name"):
        if name in fields and not str(fields[name] or "").strip():
            problems.append(f"Give the {name.replace('_', ' ')}.")
    return problems


def save_insurance_policy(
    client: Any,
    *,
    policy: InsurancePolicy | None = None,
    by: Any = None,
    request: Any = None,
    **fields: Any,
) -> InsurancePolicy:
    """Add a client's extended-health policy, or change one (`policy`); audited."""
    unknown = sorted(set(fields) - set(POLICY_FIELDS))
    if unknown:
        raise BillingError(f"Not a policy field: {', '.join(unknown)}.")
    if policy is not None and policy.client_id != client.pk:
        raise BillingError(_("That policy is another client's."))
    problems = policy_problems(fields)
    if problems:
        raise BillingError(" ".join(problems))
    with transaction.atomic():
        if policy is None:
            policy = InsurancePolicy(practice=client.practice, client=client)
        for name, value in fields.items():
            setattr(policy, name, value.strip() if isinstance(value, str) else value)
        try:
            policy.full_clean(exclude=["practice", "client"])
        except ValidationError as invalid:
            raise BillingError(" ".join(invalid.messages)) from invalid
        creating = policy.pk is None
        policy.save()
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.CREATE if creating else AuditAction.CHANGE,
            record=policy,
            client=client,
            request=request,
        )
    return policy

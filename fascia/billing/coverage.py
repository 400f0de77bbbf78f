"""How much of a client's extended-health coverage for massage therapy is left this year.

Per policy and coverage year: what the insurer paid directly, plus, for treatments receipted to
the client (who claims them), the share the plan would pay (the percentage covered, capped at
the per-visit maximum). Remaining = annual maximum - used, never below zero."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from fascia.billing.models import InsurancePolicy, Invoice, LineKind, Payer, Receipt
from fascia.billing.money import ZERO, cents
from fascia.billing.totals import totals
from fascia.clients.models import Client


@dataclass(frozen=True)
class Coverage:
    policy: InsurancePolicy
    year_start: date
    year_end: date  # inclusive
    used: Decimal
    remaining: Decimal


def coverage_year(policy: InsurancePolicy, on: date) -> tuple[date, date]:
    """The coverage year holding `on`."""
    month, day = policy.year_starts.month, policy.year_starts.day

    def start_in(year: int) -> date:
        try:
            return date(year, month, day)
        except ValueError:  # 29 February in a common year
            return date(year, 2, 28)

    start = start_in(on.year)
    if start > on:
        start = start_in(on.year - 1)
    next_start = start_in(start.year + 1)
    return start, next_start - timedelta(days=1)


def plan_share(policy: InsurancePolicy, fee: Decimal) -> Decimal:
    share = cents(fee * policy.percent_covered / 100)
    if policy.per_visit_maximum is not None:
        share = min(share, policy.per_visit_maximum)
    return share


def client_coverage(client: Client, on: date | None = None) -> list[Coverage]:
    on = on or timezone.localdate(timezone=client.practice.zone)
    policies = list(InsurancePolicy.objects.filter(client=client, is_active=True))
    result = []
    for policy in policies:
        start, end = coverage_year(policy, on)
        used = ZERO
        invoices = (
            Invoice.objects.filter(
                client=client,
                voided_at=None,
                appointment__starts_at__date__gte=start,
                appointment__starts_at__date__lte=end,
            )
            .prefetch_related("lines", "payments")
            .distinct()
        )
        receipted = set(
            Receipt.objects.filter(invoice__in=invoices).values_list("invoice_id", flat=True)
        )
        for invoice in invoices:
            direct = sum(
                (
                    p.signed_amount
                    for p in invoice.payments.all()
                    if p.payer == Payer.INSURER and p.policy_id == policy.pk
                ),
                ZERO,
            )
            if direct:
                used += direct
            elif invoice.pk in receipted:
                treatment = sum(
                    (
                        line.total
                        for line in invoice.lines.all()
                        if line.kind == LineKind.TREATMENT and line.in_scope
                    ),
                    ZERO,
                )
                client_paid = totals(invoice).paid
                used += plan_share(policy, min(treatment, client_paid))
        result.append(Coverage(policy, start, end, used, max(ZERO, policy.annual_maximum - used)))
    return result

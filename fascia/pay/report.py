"""The pay report: for a period and each therapist, every line of income a rule pays on and
what the therapist earns from it, on the accrual basis (what was invoiced in the period) or
the cash basis (what was received in the period, less refunds).

On the cash basis each payment is shared among its invoice's lines in proportion to their
totals, so a part-paid visit earns part of its pay, and a refund takes its share back. Fixed
fees (per visit, per hour) follow the same rule: earned as the visit is invoiced (accrual) or
as it is paid (cash). Products count only under a rule for products; an invoice not tied to a
visit (a sale at the desk) is no therapist's income."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from fascia.billing.models import Invoice, InvoiceLine, LineKind, Payment
from fascia.billing.money import ZERO, cents
from fascia.clients.models import Client
from fascia.pay.models import CompensationRule, IncomeCategory, PayBasis
from fascia.practices.models import Practice, Therapist

CATEGORY_OF_LINE = {
    LineKind.TREATMENT: IncomeCategory.TREATMENTS,
    LineKind.TRAVEL: IncomeCategory.TRAVEL,
    LineKind.LATE_CANCELLATION: IncomeCategory.MISSED,
    LineKind.NO_SHOW: IncomeCategory.MISSED,
    LineKind.PRODUCT: IncomeCategory.PRODUCTS,
}
ACCRUAL, CASH = "accrual", "cash"


@dataclass(frozen=True)
class PayLine:
    therapist: Therapist
    day: date
    client: str
    invoice: int
    description: str
    category: str
    income: Decimal  # before tax: invoiced (accrual) or this payment's share (cash)
    rule: CompensationRule | None
    pay: Decimal

    @property
    def rule_text(self) -> str:
        return self.rule.describe() if self.rule is not None else _("No rule applies")


@dataclass(frozen=True)
class TherapistPay:
    therapist: Therapist
    lines: list[PayLine]

    @property
    def income(self) -> Decimal:
        return sum((line.income for line in self.lines), ZERO)

    @property
    def pay(self) -> Decimal:
        return sum((line.pay for line in self.lines), ZERO)


def rule_for(
    rules: list[CompensationRule], *, day: date, category: str, service_id: int | None, own: bool
) -> CompensationRule | None:
    """The most specific rule in force that day: own clients over everyone, one service over
    every service."""
    fitting = [
        rule
        for rule in rules
        if rule.category == category
        and rule.starts_on <= day
        and (rule.ends_on is None or day <= rule.ends_on)
        and (rule.service_id is None or rule.service_id == service_id)
        and (own or not rule.own_clients)
    ]
    if not fitting:
        return None
    return max(fitting, key=lambda rule: (rule.own_clients, rule.service_id is not None))


def _earned(rule: CompensationRule | None, line: InvoiceLine, share: Decimal) -> Decimal:
    """What `rule` pays on `share` (0..1) of `line`."""
    if rule is None:
        return ZERO
    if rule.basis == PayBasis.SPLIT:
        return cents(line.net * share * (rule.percent or ZERO) / 100)
    if line.kind != LineKind.TREATMENT:
        return ZERO
    fee = rule.amount or ZERO
    if rule.basis == PayBasis.PER_HOUR:
        visit = line.invoice.appointment
        fee = fee * Decimal(visit.duration_minutes if visit is not None else 0) / 60
    return cents(fee * share)


def _lines(
    therapist_rules: dict[int, list[CompensationRule]],
    invoice: Invoice,
    day: date,
    share: Decimal,
    *,
    own_clients: dict[int, int | None],
) -> Iterator[PayLine]:
    appointment = invoice.appointment
    if appointment is None:
        return  # a sale at the desk is no therapist's income
    therapist = appointment.therapist
    own = own_clients.get(invoice.client_id) == therapist.pk
    for line in invoice.lines.all():
        category = CATEGORY_OF_LINE.get(line.kind)
        if category is None:
            continue  # gift cards and other lines are never pay
        rules = therapist_rules.get(therapist.pk, [])
        rule = rule_for(
            rules, day=day, category=category, service_id=appointment.service_id, own=own
        )
        if rule is None and category == IncomeCategory.PRODUCTS:
            continue  # products only count when a rule says so
        yield PayLine(
            therapist=therapist,
            day=day,
            client=invoice.client.display_name,
            invoice=invoice.number,
            description=line.description,
            category=str(IncomeCategory(category).label),
            income=cents(line.net * share),
            rule=rule,
            pay=_earned(rule, line, share),
        )


def pay_report(
    practice: Practice,
    first: date,
    last: date,
    *,
    basis: str = ACCRUAL,
    therapist: Therapist | None = None,
) -> list[TherapistPay]:
    """Each therapist's pay for the practice's days `first`..`last`, with its lines."""
    start, end = practice.day_bounds(first)[0], practice.day_bounds(last)[1]
    therapists = Therapist.objects.for_practice(practice).order_by("display_name")
    if therapist is not None:
        therapists = therapists.filter(pk=therapist.pk)
    chosen = list(therapists)
    rules: dict[int, list[CompensationRule]] = {}
    for rule in CompensationRule.objects.filter(
        therapist__in=chosen, starts_on__lte=last
    ).select_related("service"):
        rules.setdefault(rule.therapist_id, []).append(rule)
    invoices = (
        Invoice.objects.filter(practice=practice, voided_at=None, appointment__therapist__in=chosen)
        .select_related("client", "appointment__therapist")
        .prefetch_related("lines", "payments")
    )
    own_clients = dict(
        Client.objects.for_practice(practice)
        .exclude(brought_by=None)
        .values_list("pk", "brought_by_id")
    )
    found: list[PayLine] = []
    zone = practice.zone
    if basis == CASH:
        paid_invoices = {
            invoice.pk: invoice
            for invoice in invoices.filter(
                payments__received_at__gte=start, payments__received_at__lt=end
            ).distinct()
        }
        for payment in Payment.objects.filter(
            invoice_id__in=paid_invoices, received_at__gte=start, received_at__lt=end
        ).order_by("received_at", "pk"):
            invoice = paid_invoices[payment.invoice_id]
            total = sum((line.total for line in invoice.lines.all()), ZERO)
            if total <= 0:
                continue
            share = payment.signed_amount / total
            found += _lines(
                rules,
                invoice,
                payment.received_at.astimezone(zone).date(),
                share,
                own_clients=own_clients,
            )
    else:
        for invoice in invoices.filter(issued_at__gte=start, issued_at__lt=end).order_by(
            "issued_at", "pk"
        ):
            found += _lines(
                rules,
                invoice,
                invoice.issued_at.astimezone(zone).date(),
                Decimal(1),
                own_clients=own_clients,
            )
    by_therapist: dict[int, list[PayLine]] = {}
    for line in found:
        by_therapist.setdefault(line.therapist.pk, []).append(line)
    return [TherapistPay(member, by_therapist.get(member.pk, [])) for member in chosen]


def csv_lines(report: list[TherapistPay]) -> Iterator[list[Any]]:
    yield [
        _("Therapist"),
        _("Date"),
        _("Client"),
        _("Invoice"),
        _("Line"),
        _("Income"),
        _("Before tax"),
        _("Rule"),
        _("Pay"),
    ]
    for therapist_pay in report:
        for line in therapist_pay.lines:
            yield [
                line.therapist.display_name,
                line.day.isoformat(),
                line.client,
                line.invoice,
                line.description,
                line.category,
                line.income,
                line.rule_text,
                line.pay,
            ]
        yield [
            therapist_pay.therapist.display_name,
            "",
            "",
            "",
            _("Total"),
            "",
            therapist_pay.income,
            "",
            therapist_pay.pay,
        ]

"""Checkout at the front desk, in one step: the visit is marked completed, invoiced, paid (by
one or more payments: the client's card and cash, an insurer's direct payment) and, once
nothing is owing, its receipt issued — all or nothing. A day's cash-out adds up what was taken
by each payment method."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.billing import actions
from fascia.billing.coverage import client_coverage, plan_share
from fascia.billing.errors import BillingError
from fascia.billing.models import (
    InsurancePolicy,
    Invoice,
    Payer,
    Payment,
    PaymentMethod,
    Receipt,
)
from fascia.billing.money import ZERO
from fascia.billing.quotes import VisitQuote, quote_visit
from fascia.billing.receipts import issue_receipt, receipt_refusal
from fascia.billing.totals import Totals, totals
from fascia.practices.models import Practice
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.errors import BookingError
from fascia.scheduling.models import Appointment, AppointmentStatus


@dataclass(frozen=True)
class PaymentRequest:
    """One payment taken at checkout. With a policy, the insurer pays directly."""

    amount: object
    method: str
    policy: InsurancePolicy | None = None
    reference: str = ""


@dataclass
class CheckoutResult:
    invoice: Invoice
    payments: list[Payment]
    receipt: Receipt | None
    totals: Totals


@dataclass(frozen=True)
class InsurerShare:
    """What a direct-billed plan would pay of this visit: its share, capped at what is left
    of the year's maximum."""

    policy: InsurancePolicy
    share: Decimal
    remaining: Decimal


@dataclass
class Owed:
    """What the front desk sees before taking payment."""

    appointment: Appointment
    invoice: Invoice | None
    quote: VisitQuote | None  # before the visit is invoiced: what its invoice will say
    totals: Totals | None
    insurer_shares: list[InsurerShare] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        if self.totals is not None:
            return self.totals.balance
        assert self.quote is not None
        return self.quote.total


def live_invoice(appointment: Appointment) -> Invoice | None:
    return (
        Invoice.objects.filter(appointment=appointment, voided_at=None)
        .prefetch_related("lines", "payments", "receipts")
        .first()
    )


def what_is_owed(appointment: Appointment) -> Owed:
    """The visit's invoice and balance, or, before it is invoiced, the invoice it will get;
    with each direct-billed plan's likely share."""
    invoice = live_invoice(appointment)
    sums = totals(invoice) if invoice is not None else None
    quote = None
    if invoice is None:
        quote = quote_visit(
            appointment.practice,
            appointment.service,
            appointment.price,
            travel_fee=appointment.travel_fee or ZERO,
        )
    treatment_fee = appointment.price
    shares = [
        InsurerShare(
            coverage.policy,
            min(plan_share(coverage.policy, treatment_fee), coverage.remaining),
            coverage.remaining,
        )
        for coverage in client_coverage(appointment.client)
    ]
    return Owed(appointment, invoice, quote, sums, shares)


def check_out_visit(
    appointment: Appointment,
    *,
    payments: list[PaymentRequest],
    discount: Decimal = ZERO,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> CheckoutResult:
    """Complete, invoice, take payment for and receipt one visit, all or nothing. A payment
    for less than is owing is taken and the receipt waits for the rest; more than is owing is
    refused."""
    now = now or timezone.now()
    if appointment.status == AppointmentStatus.CANCELLED or (
        appointment.status != AppointmentStatus.COMPLETED
        and appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED)
        and not appointment.late_cancellation_fee_due
    ):
        raise BillingError(_("This visit has nothing to pay for."))
    if not payments:
        raise BillingError(_("Enter the payment the client is making."))
    try:
        with transaction.atomic():
            if appointment.status in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
                set_attendance(
                    appointment, AppointmentStatus.COMPLETED, by=by, request=request, now=now
                )
            invoice = live_invoice(appointment)
            if invoice is None:
                invoice = actions.invoice_appointment(
                    appointment, discount=discount, by=by, request=request, now=now
                )
            elif discount:
                raise BillingError(
                    _("This visit is already invoiced; a discount now needs a corrected invoice.")
                )
            taken = [
                actions.record_payment(
                    invoice,
                    amount_paid=payment.amount,
                    method=PaymentMethod.INSURER_DIRECT if payment.policy else payment.method,
                    payer=Payer.INSURER if payment.policy else Payer.CLIENT,
                    policy=payment.policy,
                    reference=payment.reference,
                    by=by,
                    request=request,
                    now=now,
                )
                for payment in payments
            ]
            invoice = Invoice.objects.prefetch_related("lines", "payments").get(pk=invoice.pk)
            receipt = None
            if receipt_refusal(invoice, now) is None:
                receipt = issue_receipt(invoice, by=by, request=request, now=now)
    except BookingError as refused:
        raise BillingError(refused.message) from refused
    return CheckoutResult(invoice, taken, receipt, totals(invoice))


@dataclass(frozen=True)
class MethodTotal:
    method: str
    label: str
    payments: int
    refunds: int
    total: Decimal  # refunds taken off


def cash_out(practice: Practice, day: date) -> tuple[list[MethodTotal], Decimal]:
    """What was taken on the practice's `day`, by payment method (refunds subtracted), and the
    day's total: the front desk's end-of-day count."""
    start, end = practice.day_bounds(day)
    counted: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for method, amount, is_refund in (
        Payment.objects.for_practice(practice)
        .filter(received_at__gte=start, received_at__lt=end)
        .values_list("method", "amount", "is_refund")
    ):
        row = counted[method]
        row[0 if not is_refund else 1] += 1
        row[2] += -amount if is_refund else amount
    labels = dict(PaymentMethod.choices)
    rows = [
        MethodTotal(method, str(labels.get(method, method)), int(n), int(r), total)
        for method, _label in PaymentMethod.choices
        if method in counted
        for n, r, total in [counted[method]]
    ]
    return rows, sum((row.total for row in rows), ZERO)

"""Every write to the books: invoice a visit, record a payment or refund, cancel an
invoice by a credit note. Each validates, writes in one transaction and is audited.

The money rule, everywhere: each line's tax is rounded to the cent (half up); an invoice's
total is the sum of its lines' net amounts and taxes; its balance is the total less payments
plus refunds."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.practice_context import acting_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.billing.errors import BillingError
from fascia.billing.models import (
    CreditNote,
    Invoice,
    InvoiceLine,
    LineKind,
    Payer,
    Payment,
    PaymentMethod,
)
from fascia.billing.money import ZERO, AmountError, amount, as_money, cents
from fascia.billing.receipts import withdraw_receipts
from fascia.billing.sequences import lock_practice, next_number
from fascia.billing.tax import tax_for, tax_on
from fascia.billing.totals import totals
from fascia.practice_words import as_written, in_each_language
from fascia.practices.models import Practice
from fascia.scheduling.models import Appointment, AppointmentStatus


@dataclass(frozen=True)
class LineRequest:
    kind: str
    description: str
    unit_price: Decimal
    in_scope: bool = False
    taxable: bool = True
    quantity: int = 1
    discount: Decimal = ZERO
    in_french: str = ""  # the description in French, when Fascia or the practice wrote one


def _line(practice: Practice, invoice: Invoice, request: LineRequest) -> InvoiceLine:
    net = request.unit_price * request.quantity - request.discount
    if net < 0:
        raise BillingError(
            _("The discount on %(description)s is more than its price.")
            % {"description": request.description}
        )
    applied, tax = tax_on(practice, net, taxable=request.taxable)
    return InvoiceLine(
        practice=practice,
        invoice=invoice,
        kind=request.kind,
        **as_written("description", {"en": request.description, "fr": request.in_french}),
        in_scope=request.in_scope,
        quantity=request.quantity,
        unit_price=request.unit_price,
        discount=request.discount,
        tax_rate=applied,
        tax=tax,
    )


def appointment_lines(appointment: Appointment, *, discount: Decimal = ZERO) -> list[LineRequest]:
    """What a visit is billed for: the treatment (and travel) when given; the policy's fee
    for a late cancellation or no-show."""
    service = appointment.service
    when = timezone.localtime(appointment.starts_at, appointment.practice.zone)
    if appointment.status == AppointmentStatus.COMPLETED:
        treatment = in_each_language(
            lambda: f"{service.name}, {appointment.duration_minutes} min, {when:%Y-%m-%d}"
        )
        lines = [
            LineRequest(
                LineKind.TREATMENT,
                treatment["en"],
                appointment.price,
                in_scope=not service.is_complimentary,
                taxable=service.taxable,
                discount=discount,
                in_french=treatment["fr"],
            )
        ]
        if appointment.travel_fee:
            travel = in_each_language(lambda: _("Travel to your home"))
            lines.append(
                LineRequest(
                    LineKind.TRAVEL,
                    travel["en"],
                    appointment.travel_fee,
                    in_french=travel["fr"],
                )
            )
        return lines
    if appointment.late_cancellation_fee_due:
        fee = late_cancellation_fee(appointment)
        kind = (
            LineKind.NO_SHOW
            if appointment.status == AppointmentStatus.NO_SHOW
            else LineKind.LATE_CANCELLATION
        )
        fee_for = in_each_language(
            lambda: (
                (
                    _("Missed-appointment fee, %(day)s")
                    if kind == LineKind.NO_SHOW
                    else _("Late-cancellation fee, %(day)s")
                )
                % {"day": f"{when:%Y-%m-%d}"}
            )
        )
        return [LineRequest(kind, fee_for["en"], fee, taxable=True, in_french=fee_for["fr"])]
    raise BillingError(
        _("A %(status)s visit has nothing to bill: invoice it once the treatment is completed.")
        % {"status": appointment.get_status_display().lower()}
    )


def _money(value: object, what: str, *, allow_zero: bool = False) -> Decimal:
    """An amount as entered, or BillingError saying what is wrong with it."""
    try:
        return amount(value, what=what, allow_zero=allow_zero)
    except AmountError as error:
        raise BillingError(str(error)) from error


def _create_invoice(
    practice: Practice,
    client: Any,
    lines: list[LineRequest],
    *,
    appointment: Appointment | None = None,
    claim: Any = None,
    by: Any,
    request: Any,
    now: datetime | None,
) -> Invoice:
    """Number, tax and write an invoice with its lines, audited (callers validated it)."""
    for line in lines:
        _money(line.unit_price, line.description, allow_zero=True)
        _money(line.discount, _("The discount"), allow_zero=True)
    with transaction.atomic():
        lock_practice(practice)
        if (
            appointment is not None
            and Invoice.objects.filter(appointment=appointment, voided_at=None).exists()
        ):
            raise BillingError(_("This visit is already invoiced."))
        tax_name, _rate = tax_for(practice)
        invoice = Invoice.objects.create(
            practice=practice,
            client=client,
            appointment=appointment,
            number=next_number(Invoice, practice),
            issued_at=now or timezone.now(),
            tax_name=tax_name,
            tax_number=practice.tax_number if tax_name else "",
            claim=claim,
            created_by=acting_user(by),
        )
        InvoiceLine.objects.bulk_create(_line(practice, invoice, line) for line in lines)
        record_access(
            practice=practice,
            actor=by,
            action=AuditAction.CREATE,
            record=invoice,
            client=client,
            request=request,
        )
    return invoice


def invoice_appointment(
    appointment: Appointment,
    *,
    discount: Decimal = ZERO,
    extra_lines: list[LineRequest] = (),  # type: ignore[assignment]
    claim: Any = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Invoice:
    """The visit's invoice (one per visit): treatment, travel, and any products sold with it;
    or the late-cancellation / no-show fee."""
    if claim is not None and (claim.client_id != appointment.client_id or not claim.is_active):
        raise BillingError(_("That claim is not an active claim of this client."))
    lines = appointment_lines(appointment, discount=discount) + list(extra_lines)
    return _create_invoice(
        appointment.practice,
        appointment.client,
        lines,
        appointment=appointment,
        claim=claim,
        by=by,
        request=request,
        now=now,
    )


def invoice_sale(
    client: Any,
    *,
    lines: list[LineRequest],
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Invoice:
    """An invoice not tied to a visit: products, packages, gift cards. These are never
    receipted as massage therapy."""
    if not lines:
        raise BillingError(_("Add at least one item."))
    if any(line.kind == LineKind.TREATMENT for line in lines):
        raise BillingError(_("Treatments are invoiced from their visit."))
    # Never massage therapy; and a gift card is not taxed when sold (only what it buys is).
    out_of_scope = [
        replace(line, in_scope=False, taxable=line.taxable and line.kind != LineKind.GIFT_CARD)
        for line in lines
    ]
    return _create_invoice(client.practice, client, out_of_scope, by=by, request=request, now=now)


def late_cancellation_fee(appointment: Any) -> Decimal:
    """The practice's fee for a visit cancelled late or missed: its share of the visit's
    price."""
    return cents(appointment.price * appointment.practice.late_cancellation_fee_percent / 100)


def client_balance(client: Any) -> Decimal:
    """What the client owes across open invoices (negative: in credit)."""
    invoices = Invoice.objects.filter(client=client, voided_at=None).prefetch_related(
        "lines", "payments"
    )
    return sum((totals(invoice).balance for invoice in invoices), ZERO)


def record_payment(
    invoice: Invoice,
    *,
    amount_paid: object,
    method: str,
    payer: str = Payer.CLIENT,
    payer_name: str = "",
    reference: str = "",
    policy: Any = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Payment:
    """Money received against an invoice; more than the balance is refused (no overpayment).
    An insurer's direct payment names the client's policy it came under."""
    paid = _money(amount_paid, _("The payment"))
    if method not in PaymentMethod.values:
        raise BillingError(f"Unknown payment method {method!r}.")
    if payer not in Payer.values:
        raise BillingError(f"Unknown payer {payer!r}.")
    if policy is not None:
        if policy.client_id != invoice.client_id:
            raise BillingError(_("That policy is another client's."))
        payer, payer_name = Payer.INSURER, payer_name or policy.insurer
    if payer != Payer.CLIENT and not payer_name.strip():
        raise BillingError(_("Name the insurer or third party that paid."))
    with transaction.atomic():
        current = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if current.voided_at is not None:
            raise BillingError(_("This invoice is void."))
        balance = totals(current).balance
        if paid > balance:
            raise BillingError(
                _("%(paid)s is more than the %(balance)s owing; record %(balance)s instead.")
                % {"paid": as_money(paid), "balance": as_money(balance)}
            )
        payment = Payment.objects.create(
            practice=current.practice,
            invoice=current,
            amount=paid,
            method=method,
            payer=payer,
            payer_name=payer_name.strip(),
            reference=reference.strip(),
            policy=policy,
            received_at=now or timezone.now(),
            recorded_by=acting_user(by),
        )
        record_access(
            practice=current.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=payment,
            client=current.client,
            request=request,
        )
    return payment


def refund(
    invoice: Invoice,
    *,
    amount_refunded: object,
    method: str,
    reason: str,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Payment:
    """Give money back; never more than was paid."""
    back = _money(amount_refunded, _("The refund"))
    if method not in PaymentMethod.values:
        raise BillingError(f"Unknown payment method {method!r}.")
    if not reason.strip():
        raise BillingError(_("Give the reason for the refund."))
    with transaction.atomic():
        current = Invoice.objects.select_for_update().get(pk=invoice.pk)
        paid = totals(current).paid
        if back > paid:
            raise BillingError(
                _("%(back)s is more than the %(paid)s paid.")
                % {"back": as_money(back), "paid": as_money(paid)}
            )
        now = now or timezone.now()
        payment = Payment.objects.create(
            practice=current.practice,
            invoice=current,
            amount=back,
            method=method,
            reference=reason.strip(),
            is_refund=True,
            received_at=now,
            recorded_by=acting_user(by),
        )
        # A receipt says what was paid: after money goes back it no longer does.
        withdrawn = withdraw_receipts(
            current, reason=f"Refund of ${back}: {reason.strip()}", by=by, now=now
        )
        record_access(
            practice=current.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=payment,
            client=current.client,
            request=request,
            detail=gettext_noop("refund")
            + (f"; receipt {', '.join(withdrawn)} withdrawn" if withdrawn else ""),
        )
    return payment


def void_invoice(
    invoice: Invoice,
    *,
    reason: str,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> CreditNote:
    """Cancel an invoice with a credit note for its whole amount (numbered, with the reason,
    final). Money received must be refunded first; the visit can then be invoiced again."""
    if not reason.strip():
        raise BillingError(_("Give the reason for cancelling the invoice."))
    now = now or timezone.now()
    with transaction.atomic():
        lock_practice(invoice.practice)
        current = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if current.voided_at is not None:
            raise BillingError(_("This invoice is already cancelled."))
        sums = totals(current)
        if sums.paid != 0:
            raise BillingError(
                _("%(paid)s has been paid on this invoice: refund it before cancelling.")
                % {"paid": as_money(sums.paid)}
            )
        withdraw_receipts(current, reason=f"Invoice cancelled: {reason.strip()}", by=by, now=now)
        credit = CreditNote.objects.create(
            practice=current.practice,
            invoice=current,
            number=next_number(CreditNote, current.practice),
            amount=sums.total,
            reason=reason.strip(),
            issued_at=now,
            issued_by=acting_user(by),
        )
        Invoice.objects.filter(pk=current.pk).update(voided_at=now)
        invoice.voided_at = now
        record_access(
            practice=current.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=current,
            client=current.client,
            request=request,
            detail=f"cancelled by credit note {credit.number}: {reason.strip()[:80]}",
        )
    return credit

"""Billing through the API: invoice a visit, record payments, issue receipts and download them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from fascia.accounts.access import BILLING, SIGNED_IN
from fascia.api.booking import ERRORS
from fascia.api.lookups import appointment_for, client_of
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.billing import actions, receipts
from fascia.billing.claims import claim_data
from fascia.billing.coverage import client_coverage
from fascia.billing.models import InsurancePolicy, Invoice, Receipt
from fascia.billing.receipts import email_receipt, receipt_download
from fascia.billing.totals import totals
from fascia.validation import Integer, Text

router = Router(tags=["billing"])


class LineOut(Schema):
    kind: str
    description: str
    in_scope: bool
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax: Decimal


class InvoiceOut(Schema):
    id: int
    number: int
    client: int
    appointment: int | None
    lines: list[LineOut]
    total: Decimal
    tax: Decimal
    paid: Decimal
    balance: Decimal
    cancelled_by_credit_note: int | None = Field(
        None, description="The credit note's number, once the invoice is cancelled."
    )


class InvoiceIn(Schema):
    discount: Decimal = Field(Decimal("0.00"), description="Off the treatment's price.")


class PaymentIn(Schema):
    amount: Text = Field(description="Dollars and cents, e.g. 60.00")
    method: Text = Field(description="cash, debit, credit, e_transfer, gift_card or insurer")
    payer: Text = Field("client", description="client, insurer or third_party")
    payer_name: Text = ""
    reference: Text = ""


class RefundIn(Schema):
    amount: Text = Field(description="Dollars and cents, no more than was paid")
    method: Text = Field(description="cash, debit, credit, e_transfer or gift_card")
    reason: Text


class CancelInvoiceIn(Schema):
    reason: Text


class CreditNoteOut(Schema):
    number: int
    invoice: int
    amount: Decimal
    reason: str
    issued_at: datetime


class EmailReceiptIn(Schema):
    to: Text = Field("", description="Another address; the client's own by default")


class ReceiptOut(Schema):
    id: int
    number: int
    kind: str
    issued_at: datetime
    pdf: str


def _invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    found = Invoice.objects.for_practice(request.practice).filter(pk=invoice_id).first()  # type: ignore[attr-defined]
    if found is None:
        raise HttpError(404, _("No invoice %(invoice_id)s.") % {"invoice_id": invoice_id})
    return found


def _invoice_out(invoice: Invoice) -> dict[str, Any]:
    sums = totals(invoice)
    return {
        "id": invoice.pk,
        "number": invoice.number,
        "client": invoice.client_id,
        "appointment": invoice.appointment_id,
        "lines": [
            {
                "kind": line.kind,
                "description": line.description,
                "in_scope": line.in_scope,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "discount": line.discount,
                "tax": line.tax,
            }
            for line in invoice.lines.all()
        ],
        "total": sums.total,
        "tax": sums.tax,
        "paid": sums.paid,
        "balance": sums.balance,
        "cancelled_by_credit_note": (
            invoice.credit_note.number if invoice.voided_at is not None else None
        ),
    }


def _receipt_out(receipt: Receipt) -> dict[str, Any]:
    return {
        "id": receipt.pk,
        "number": receipt.number,
        "kind": receipt.kind,
        "issued_at": receipt.issued_at,
        "pdf": f"/api/v1/receipts/{receipt.pk}.pdf",
    }


@router.post(
    "/appointments/{appointment_id}/invoice",
    response={201: InvoiceOut, **ERRORS},
    auth=BILLING.api(),
)
def invoice_appointment(request: HttpRequest, appointment_id: Integer, payload: InvoiceIn) -> Any:
    appointment, _ = appointment_for(request, appointment_id)
    invoice = actions.invoice_appointment(
        appointment, discount=payload.discount, by=request.user, request=request
    )
    return Status(201, _invoice_out(invoice))


@router.get("/invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS}, auth=BILLING.api())
def get_invoice(request: HttpRequest, invoice_id: Integer) -> Any:
    return _invoice_out(_invoice(request, invoice_id))


@router.post(
    "/invoices/{invoice_id}/payments",
    response={201: InvoiceOut, **ERRORS},
    auth=BILLING.api(),
)
def record_payment(request: HttpRequest, invoice_id: Integer, payload: PaymentIn) -> Any:
    """Record money received; more than the balance is refused (422)."""
    invoice = _invoice(request, invoice_id)
    actions.record_payment(
        invoice,
        amount_paid=payload.amount,
        method=payload.method,
        payer=payload.payer,
        payer_name=payload.payer_name,
        reference=payload.reference,
        by=request.user,
        request=request,
    )
    return Status(201, _invoice_out(invoice))


@router.post(
    "/invoices/{invoice_id}/refunds",
    response={201: InvoiceOut, **ERRORS},
    auth=BILLING.api(),
)
def record_refund(request: HttpRequest, invoice_id: Integer, payload: RefundIn) -> Any:
    """Give money back (never more than was paid, 422); a receipt in force is withdrawn."""
    invoice = _invoice(request, invoice_id)
    actions.refund(
        invoice,
        amount_refunded=payload.amount,
        method=payload.method,
        reason=payload.reason,
        by=request.user,
        request=request,
    )
    return Status(201, _invoice_out(invoice))


@router.post(
    "/invoices/{invoice_id}/cancel",
    response={201: CreditNoteOut, **ERRORS},
    auth=BILLING.api(),
)
def cancel_invoice(request: HttpRequest, invoice_id: Integer, payload: CancelInvoiceIn) -> Any:
    """Cancel the invoice with a credit note for its whole amount (422 while money received
    on it is not refunded); the visit can then be invoiced again."""
    credit = actions.void_invoice(
        _invoice(request, invoice_id), reason=payload.reason, by=request.user, request=request
    )
    return Status(
        201,
        {
            "number": credit.number,
            "invoice": credit.invoice_id,
            "amount": credit.amount,
            "reason": credit.reason,
            "issued_at": credit.issued_at,
        },
    )


@router.post(
    "/receipts/{receipt_id}/email",
    response={202: ReceiptOut, **ERRORS},
    auth=BILLING.api(),
)
def send_receipt(request: HttpRequest, receipt_id: Integer, payload: EmailReceiptIn) -> Any:
    """Queue the receipt's PDF by email to the client (202: the worker sends it)."""
    receipt = Receipt.objects.for_practice(request.practice).filter(pk=receipt_id).first()  # type: ignore[attr-defined]
    if receipt is None:
        raise HttpError(404, _("No receipt %(receipt_id)s.") % {"receipt_id": receipt_id})
    email_receipt(receipt, to=payload.to, by=request.user, request=request)
    return Status(202, _receipt_out(receipt))


@router.post(
    "/invoices/{invoice_id}/receipt",
    response={201: ReceiptOut, **ERRORS},
    auth=BILLING.api(),
)
def issue_receipt(request: HttpRequest, invoice_id: Integer) -> Any:
    """201 with the receipt (a duplicate if one was issued already); 409 with the reason when
    no receipt may be issued (unpaid, not yet given, cancelled or missed)."""
    receipt = receipts.issue_receipt(
        _invoice(request, invoice_id), by=request.user, request=request
    )
    return Status(201, _receipt_out(receipt))


@router.get("/receipts/{receipt_id}.pdf", auth=SIGNED_IN.api(), response={200: None, **ERRORS})
def download_receipt(request: HttpRequest, receipt_id: Integer) -> HttpResponse:
    """The receipt as PDF: for billing staff of the practice, or the client it was issued to."""
    receipt = (
        Receipt.objects.select_related("invoice__client", "practice").filter(pk=receipt_id).first()
    )
    practice = getattr(request, "practice", None)
    staff = (
        receipt is not None
        and receipt.practice == practice
        and (getattr(request, "staff_role", None) in BILLING.roles)
    )
    own = receipt is not None and receipt.invoice.client.user_id == request.user.pk
    if receipt is None or not (staff or own):
        raise HttpError(404, _("No receipt %(receipt_id)s.") % {"receipt_id": receipt_id})
    return receipt_download(receipt, request=request, role="" if staff else "client")


class CoverageOut(Schema):
    policy: int
    insurer: str
    member_id: str
    year_start: date
    year_end: date
    annual_maximum: Decimal
    used: Decimal
    remaining: Decimal
    referral_required: bool


@router.get(
    "/clients/{client_id}/coverage",
    response={200: list[CoverageOut], **ERRORS},
    auth=SIGNED_IN.api(),
)
def coverage(request: HttpRequest, client_id: Integer) -> Any:
    """Each active policy's coverage year, what is used and what is left: for the practice's
    staff, and for the client themselves."""
    client = client_of(request, client_id)
    return [
        {
            "policy": item.policy.pk,
            "insurer": item.policy.insurer,
            "member_id": item.policy.member_id,
            "year_start": item.year_start,
            "year_end": item.year_end,
            "annual_maximum": item.policy.annual_maximum,
            "used": item.used,
            "remaining": item.remaining,
            "referral_required": item.policy.referral_required,
        }
        for item in client_coverage(client)
    ]


@router.get(
    "/invoices/{invoice_id}/claim",
    response={200: dict[str, Any], **ERRORS},
    auth=BILLING.api(),
)
def claim_file(request: HttpRequest, invoice_id: Integer, policy: Integer | None = None) -> Any:
    """The visit's claim-ready data (provider, patient, coverage or claim, service, amounts),
    for a direct-billing integration to submit."""
    invoice = _invoice(request, invoice_id)
    chosen = (
        InsurancePolicy.objects.filter(client=invoice.client, pk=policy).first() if policy else None
    )
    if policy and chosen is None:
        raise HttpError(404, _("No policy %(policy)s for this client.") % {"policy": policy})
    record_access(
        practice=invoice.practice,
        actor=request.user,
        action=AuditAction.EXPORT,
        record=invoice,
        client=invoice.client,
        request=request,
        detail=gettext_noop("claim file"),
    )
    return claim_data(invoice, chosen)

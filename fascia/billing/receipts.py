"""What a receipt says, frozen at issue, and its PDF.

Everything CMTO and insurers require: the practice's name, address and HST/GST number; the
therapist's full name, signature and registration number; the client; the date, time and
length of the treatment; the service, fee, tax, amount paid and how; the receipt number. Only
massage therapy within the RMT scope is receipted as "Massage therapy treatment" with the
registration number; anything else (travel, products, fees) is receipted as what it is, and a
missed-appointment fee never looks like a treatment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.practice_context import acting_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.billing.errors import BillingError, ReceiptRefused
from fascia.billing.models import (
    Invoice,
    LineKind,
    Receipt,
    ReceiptCancellation,
    ReceiptKind,
)
from fascia.billing.sequences import lock_practice, next_number
from fascia.billing.totals import totals
from fascia.documents import document_language, pdf_response, render_document, render_pdf
from fascia.notifications.models import Channel, OutboundMessage
from fascia.notifications.outbox import Message, enqueue
from fascia.practice_words import written_in
from fascia.scheduling.models import DID_NOT_HAPPEN, AppointmentStatus
from fascia.scheduling.wording import full_date_text

# Stored in English in the receipt as issued; translated when it is printed.
TREATMENT_LABEL = gettext_noop("Massage therapy treatment")


def receipt_content(invoice: Invoice, now: datetime) -> dict[str, Any]:
    """What the receipt says, frozen at issue: its words in English, Fascia's own language,
    whatever language is active, so it reads the same printed in either (the labels are
    translated when it is drawn)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _receipt_content(invoice, now)


def _receipt_content(invoice: Invoice, now: datetime) -> dict[str, Any]:
    practice = invoice.practice
    appointment = invoice.appointment
    zone = practice.zone
    therapist = appointment.therapist if appointment else None
    sums = totals(invoice)
    lines = []
    for line in invoice.lines.all():
        treatment = line.kind == LineKind.TREATMENT and line.in_scope
        lines.append(
            {
                "label": TREATMENT_LABEL if treatment else line.get_kind_display(),
                "description": line.description,
                "description_fr": written_in(line, "description", "fr"),
                "quantity": line.quantity,
                "fee": str(line.net),
                "tax": str(line.tax),
                "total": str(line.total),
                "treatment": treatment,
            }
        )
    in_scope = any(line["treatment"] for line in lines)
    payments = [
        {
            "method": payment.get_method_display(),
            "payer": payment.payer_name or payment.get_payer_display(),
            "amount": str(payment.signed_amount),
            "date": timezone.localtime(payment.received_at, zone).date().isoformat(),
        }
        for payment in invoice.payments.all()
    ]
    starts = timezone.localtime(appointment.starts_at, zone) if appointment else None
    return {
        "practice": {
            "name": practice.public_name,
            "legal_name": practice.name,
            "address": practice.address_lines,
            "phone": str(practice.phone or ""),
            "tax_name": invoice.tax_name,
            "tax_number": invoice.tax_number,
        },
        "therapist": {
            "name": f"{therapist.display_name}, {therapist.credentials}" if therapist else "",
            # The registration number appears only on receipts for massage therapy that
            # therapist personally gave.
            "registration_number": therapist.registration_number
            if (therapist and in_scope)
            else "",
            "signature": f"Electronically signed by {therapist.display_name}" if therapist else "",
            "signed_by": therapist.display_name if therapist else "",
        },
        "client": invoice.client.legal_name,
        "service_date": starts.date().isoformat() if starts else "",
        "service_time": starts.strftime("%-I:%M %p") if starts else "",
        "service_starts": starts.isoformat() if starts else "",
        "duration_minutes": appointment.duration_minutes if appointment else None,
        "service": appointment.service.name if appointment else "",
        "lines": lines,
        "fee": str(sums.net),
        "tax": str(sums.tax),
        "total": str(sums.total),
        "paid": str(sums.paid),
        "payments": payments,
        "invoice_number": invoice.number,
        "issued": timezone.localtime(now, zone).date().isoformat(),
    }


RECEIPT_TEMPLATE = "billing/receipt_pdf.html"


def _receipt_context(receipt: Receipt) -> dict[str, Any]:
    return {
        "receipt": receipt,
        "content": receipt.content,
        "cancelled": getattr(receipt, "cancellation", None),
    }


def receipt_pdf(receipt: Receipt, language: str | None = None) -> bytes:
    """The receipt as PDF, in `language` (the client's preferred one when not given)."""
    return render_pdf(
        RECEIPT_TEMPLATE,
        _receipt_context(receipt),
        language or document_language(receipt.invoice.client),
    )


def receipt_download(
    receipt: Receipt, *, request: Any, role: str = "", as_html: bool = False
) -> HttpResponse:
    """The receipt as PDF (or as a web page) for whoever asked (staff, or the client
    themselves: `role="client"`), written to the audit log as printed or viewed."""
    record_access(
        practice=receipt.practice,
        actor=request.user,
        action=AuditAction.VIEW if as_html else AuditAction.PRINT,
        record=receipt,
        client=receipt.invoice.client,
        request=request,
        **({"role": role} if role else {}),
    )
    # The client reads it in the language of the page they are on; staff print it in the
    # client's language unless they ask for the other one (`?document_language=`).
    client = receipt.invoice.client
    language = (
        translation.get_language() if role == "client" else document_language(client, request)
    )
    if as_html:
        return HttpResponse(render_document(RECEIPT_TEMPLATE, _receipt_context(receipt), language))
    return pdf_response(receipt_pdf(receipt, language), f"receipt-{receipt.number}.pdf")


def receipt_attachment(receipt_id: int) -> tuple[str, bytes, str]:
    """The receipt's PDF for an email (settings.FASCIA_ATTACHMENTS)."""
    receipt = Receipt.objects.select_related("cancellation").get(pk=receipt_id)
    return f"receipt-{receipt.number}.pdf", receipt_pdf(receipt), "application/pdf"


def email_receipt(
    receipt: Receipt, *, to: str = "", by: Any = None, request: Any = None
) -> OutboundMessage:
    """Send the receipt as a PDF to the client (or to the address given), through the outbox;
    recorded in the audit log as the record leaving the practice."""
    client = receipt.invoice.client
    address = (to or client.email or "").strip()
    if not address:
        raise BillingError(_("The client has no email address: add one, or give the address."))
    try:
        validate_email(address)
    except ValidationError as error:
        raise BillingError(
            _("“%(address)s” is not an email address.") % {"address": address}
        ) from error
    practice = receipt.practice
    with translation.override(document_language(client)):
        subject, body = _receipt_email(receipt, client.display_name)
    with transaction.atomic():
        queued = enqueue(
            practice,
            Message(
                channel=Channel.EMAIL,
                to=address,
                subject=subject,
                body=body,
                attachment=f"receipt:{receipt.pk}",
            ),
        )
        assert queued is not None  # no dedupe key: always queued
        record_access(
            practice=practice,
            actor=by,
            action=AuditAction.EXPORT,
            record=receipt,
            client=client,
            request=request,
            detail=f"receipt {receipt.number} emailed to {address}",
        )
    return queued


def _receipt_email(receipt: Receipt, name: str) -> tuple[str, str]:
    """The subject and body of the email a receipt is sent with, in the active language."""
    practice = receipt.practice.public_name
    content = receipt.content
    number = str(receipt.number)
    if receipt.kind != ReceiptKind.ORIGINAL:
        number = f"{number} ({receipt.get_kind_display()})"
    what = content.get("service") or _("your purchase")
    if content.get("service_date"):
        what = _("%(what)s on %(day)s") % {
            "what": what,
            "day": full_date_text(date.fromisoformat(content["service_date"])),
        }
    subject = _("Your receipt from %(practice)s") % {"practice": practice}
    body = _(
        "Hello %(name)s,\n\nAttached is receipt %(number)s for %(what)s, for your records "
        "and your insurance claim.\n\n%(practice)s"
    ) % {"name": name, "number": number, "what": what, "practice": practice}
    return subject, body


def receipts_in_force(invoice: Invoice) -> list[Receipt]:
    """The invoice's originals and corrections not cancelled (duplicates are copies of them)."""
    return list(
        Receipt.objects.filter(
            invoice=invoice,
            kind__in=[ReceiptKind.ORIGINAL, ReceiptKind.CORRECTION],
            cancellation__isnull=True,
        )
    )


def withdraw_receipts(invoice: Invoice, *, reason: str, by: Any, now: datetime) -> list[str]:
    """Cancel the invoice's receipts in force (kept, marked cancelled); their numbers."""
    withdrawn = receipts_in_force(invoice)
    ReceiptCancellation.objects.bulk_create(
        ReceiptCancellation(
            practice=invoice.practice,
            receipt=receipt,
            reason=reason,
            cancelled_at=now,
            cancelled_by=acting_user(by),
        )
        for receipt in withdrawn
    )
    return [str(receipt.number) for receipt in withdrawn]


def receipt_refusal(invoice: Invoice, now: datetime) -> str | None:
    """Why no receipt may be issued for the invoice now, or None."""
    appointment = invoice.appointment
    if invoice.voided_at is not None:
        return _("The invoice is void.")
    if appointment is not None:
        if appointment.status in DID_NOT_HAPPEN and any(
            line.kind == LineKind.TREATMENT for line in invoice.lines.all()
        ):
            return _("No treatment was given at a cancelled or missed visit.")
        if appointment.starts_at > now:
            return _("The visit has not happened yet; receipts are issued after treatment.")
        if appointment.status not in (AppointmentStatus.COMPLETED, *DID_NOT_HAPPEN):
            return _("Mark the visit completed before issuing its receipt.")
    sums = totals(invoice)
    if sums.balance > 0:
        return f"${sums.balance} is still owing; a receipt is issued once it is paid."
    if sums.total > 0 and sums.paid <= 0:
        return _("Nothing has been paid.")
    return None


def issue_receipt(
    invoice: Invoice,
    *,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Receipt:
    """The receipt for a paid invoice of a treatment actually given (ReceiptRefused says why
    not). A second request gives a duplicate, marked as such."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_practice(invoice.practice)
        current = Invoice.objects.select_related(
            "practice", "client", "appointment__therapist", "appointment__service"
        ).get(pk=invoice.pk)
        refusal = receipt_refusal(current, now)
        if refusal:
            raise ReceiptRefused(refusal)
        original = (
            Receipt.objects.filter(
                invoice=current, kind__in=[ReceiptKind.ORIGINAL, ReceiptKind.CORRECTION]
            )
            .exclude(cancellation__isnull=False)
            .order_by("-issued_at")
            .first()
        )
        if original is None:
            receipt = Receipt.objects.create(
                practice=current.practice,
                invoice=current,
                number=next_number(Receipt, current.practice),
                kind=ReceiptKind.ORIGINAL,
                content=receipt_content(current, now),
                issued_at=now,
                issued_by=acting_user(by),
            )
        else:
            receipt = _duplicate(original, by, now)
        kind = receipt.kind
        record_access(
            practice=current.practice,
            actor=by,
            action=AuditAction.CREATE if kind == ReceiptKind.ORIGINAL else AuditAction.PRINT,
            record=receipt,
            client=current.client,
            request=request,
            detail=f"receipt {receipt.number} ({receipt.get_kind_display().lower()})",
        )
    return receipt


def _duplicate(original: Receipt, by: Any, now: datetime) -> Receipt:
    """A reissue: the original's number, date and content, marked DUPLICATE."""
    return Receipt.objects.create(
        practice=original.practice,
        invoice=original.invoice,
        number=original.number,
        kind=ReceiptKind.DUPLICATE,
        of_receipt=original,
        content={**original.content, "duplicate_of": original.number},
        issued_at=now,
        issued_by=acting_user(by),
    )


def correct_receipt(
    receipt: Receipt,
    *,
    reason: str,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Receipt:
    """Withdraw an issued receipt and issue a corrected one from the invoice as it is now; both
    are kept, the old one marked cancelled."""
    if not reason.strip():
        raise BillingError(_("Give the reason for the correction."))
    if receipt.kind == ReceiptKind.DUPLICATE:
        raise BillingError(_("Correct the original receipt, not a duplicate."))
    now = now or timezone.now()
    with transaction.atomic():
        lock_practice(receipt.practice)
        if ReceiptCancellation.objects.filter(receipt=receipt).exists():
            raise BillingError(_("This receipt was already cancelled."))
        invoice = Invoice.objects.select_related(
            "practice", "client", "appointment__therapist", "appointment__service"
        ).get(pk=receipt.invoice_id)
        refusal = receipt_refusal(invoice, now)
        if refusal:
            raise ReceiptRefused(refusal)
        corrected = Receipt.objects.create(
            practice=receipt.practice,
            invoice=invoice,
            number=next_number(Receipt, receipt.practice),
            kind=ReceiptKind.CORRECTION,
            of_receipt=receipt,
            content={**receipt_content(invoice, now), "replaces": receipt.number},
            issued_at=now,
            issued_by=acting_user(by),
        )
        ReceiptCancellation.objects.create(
            practice=receipt.practice,
            receipt=receipt,
            replaced_by=corrected,
            reason=reason.strip(),
            cancelled_at=now,
            cancelled_by=acting_user(by),
        )
        record_access(
            practice=receipt.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=corrected,
            client=invoice.client,
            request=request,
            detail=f"receipt {corrected.number} corrects {receipt.number}: {reason.strip()[:80]}",
        )
    return corrected

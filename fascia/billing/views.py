"""The front desk's billing screen for one client: visits with their invoices and balances,
payments (client or insurer), receipts, and the client's remaining coverage."""

from __future__ import annotations

import csv
import tempfile
from datetime import date

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from fascia.accounts.access import BILLING, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.billing import actions
from fascia.billing import reports as billing_reports
from fascia.billing.coverage import client_coverage
from fascia.billing.models import (
    InsurancePolicy,
    Invoice,
    Payer,
    PaymentMethod,
    Receipt,
    ReferralNote,
)
from fascia.billing.receipts import receipt_pdf
from fascia.billing.referrals import SIGNATURES, upload_referral
from fascia.billing.statements import account_statement_pdf, write_statements_zip
from fascia.clients.models import Client
from fascia.documents import pdf_response
from fascia.scheduling.models import Appointment

VISITS_SHOWN = 20


@access(BILLING)
def client_billing(request: PracticeRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    if request.method == "POST":
        try:
            messages.success(request, _act(request, client))
        except actions.BillingError as refused:
            messages.error(request, refused.message)
        return redirect("billing:client", client_id=client.pk)
    record_access(
        practice=client.practice,
        actor=request.user,
        action=AuditAction.VIEW,
        record_type="billing.account",
        client=client,
        request=request,
    )
    visits = list(
        Appointment.objects.filter(client=client)
        .select_related("service", "therapist")
        .order_by("-starts_at")[:VISITS_SHOWN]
    )
    invoices = {
        invoice.appointment_id: invoice
        for invoice in Invoice.objects.filter(
            appointment__in=visits, voided_at=None
        ).prefetch_related("lines", "payments", "receipts")
    }
    rows = []
    for visit in visits:
        invoice = invoices.get(visit.pk)
        rows.append(
            {
                "visit": visit,
                "invoice": invoice,
                "totals": actions.totals(invoice) if invoice else None,
                "receipts": list(invoice.receipts.all()) if invoice else [],
            }
        )
    return render(
        request,
        "billing/client.html",
        {
            "client": client,
            "rows": rows,
            "coverage": client_coverage(client),
            "policies": InsurancePolicy.objects.filter(client=client, is_active=True),
            "methods": PaymentMethod.choices,
            "referrals": ReferralNote.objects.filter(client=client),
            "balance": actions.client_balance(client),
        },
    )


def _act(request: PracticeRequest, client: Client) -> str:
    action = request.POST.get("action")
    if action == "referral":
        document = request.FILES.get("document")
        if document is None:
            raise actions.BillingError("Choose the referral file to upload.")
        try:
            issued = date.fromisoformat(request.POST.get("issued_on", ""))
            expires_text = request.POST.get("expires_on", "")
            expires = date.fromisoformat(expires_text) if expires_text else None
        except ValueError as error:
            raise actions.BillingError("Give the referral's dates as YYYY-MM-DD.") from error
        note = upload_referral(
            client,
            document=document,
            physician=request.POST.get("physician", ""),
            issued_on=issued,
            expires_on=expires,
            by=request.user,
            request=request,
        )
        return f"Referral from {note.physician} saved."
    if action == "invoice":
        visit = get_object_or_404(Appointment, client=client, pk=request.POST.get("appointment"))
        invoice = actions.invoice_appointment(visit, by=request.user, request=request)
        return f"Invoice {invoice.number} created: ${actions.totals(invoice).total}."
    invoice = get_object_or_404(Invoice, client=client, pk=request.POST.get("invoice"))
    if action == "pay":
        policy = InsurancePolicy.objects.filter(
            client=client, pk=request.POST.get("policy") or 0
        ).first()
        payment = actions.record_payment(
            invoice,
            amount_paid=request.POST.get("amount", ""),
            method=request.POST.get("method", ""),
            payer=Payer.INSURER if policy else Payer.CLIENT,
            policy=policy,
            by=request.user,
            request=request,
        )
        return f"${payment.amount} recorded; ${actions.totals(invoice).balance} owing."
    if action == "receipt":
        receipt = actions.issue_receipt(invoice, by=request.user, request=request)
        return f"Receipt {receipt.number} issued ({receipt.get_kind_display().lower()})."
    raise actions.BillingError("Unknown billing action.")


@access(BILLING)
def receipt_pdf_view(request: PracticeRequest, receipt_id: int) -> HttpResponse:
    receipt = get_object_or_404(
        Receipt.objects.for_practice(request.practice).select_related("invoice__client"),
        pk=receipt_id,
    )
    record_access(
        practice=receipt.practice,
        actor=request.user,
        action=AuditAction.PRINT,
        record=receipt,
        client=receipt.invoice.client,
        request=request,
    )
    return pdf_response(receipt_pdf(receipt), f"receipt-{receipt.number}.pdf")


@access(BILLING)
def referral_file(request: PracticeRequest, referral_id: int) -> FileResponse:
    """A referral note's file, from protected storage, audited."""
    note = get_object_or_404(
        ReferralNote.objects.for_practice(request.practice).select_related("client"),
        pk=referral_id,
    )
    record_access(
        practice=note.practice,
        actor=request.user,
        action=AuditAction.VIEW,
        record=note,
        client=note.client,
        request=request,
    )
    head = note.document.open("rb").read(8)
    note.document.seek(0)
    kind = next((k for sig, k in SIGNATURES.items() if head.startswith(sig)), "pdf")
    content_type = "application/pdf" if kind == "pdf" else f"image/{kind}"
    return FileResponse(note.document.open("rb"), content_type=content_type)


@access(BILLING)
def reports(request: PracticeRequest) -> HttpResponse:
    """Revenue, outstanding balances and payer mix for a period; each exports as CSV."""
    today = timezone.localdate(timezone=request.practice.zone)
    try:
        first = (
            date.fromisoformat(request.GET.get("from", ""))
            if request.GET.get("from")
            else today.replace(month=1, day=1)
        )
        last = date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else today
    except ValueError:
        messages.error(request, "Give dates as YYYY-MM-DD.")
        first, last = today.replace(month=1, day=1), today
    practice = request.practice
    built = {
        "revenue": billing_reports.revenue(practice, first, last),
        "outstanding": billing_reports.outstanding(practice),
        "payers": billing_reports.payer_mix(practice, first, last),
    }
    record_access(
        practice=practice,
        actor=request.user,
        action=AuditAction.EXPORT if request.GET.get("csv") else AuditAction.VIEW,
        record_type="billing.report",
        request=request,
        detail=f"{request.GET.get('csv') or 'reports'} {first}..{last}",
    )
    wanted = request.GET.get("csv")
    if wanted in built:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{wanted}-{first}-{last}.csv"'
        writer = csv.writer(response)
        for row in billing_reports.csv_lines(built[wanted]):
            writer.writerow(row)
        return response
    return render(
        request,
        "billing/reports.html",
        {"reports": built.items(), "first": first, "last": last},
    )


@access(BILLING)
def year_end_statements(request: PracticeRequest) -> FileResponse:
    """Every client's statement of paid treatments for a year, as a ZIP of PDFs (written to a
    temporary file, then streamed)."""
    today = timezone.localdate(timezone=request.practice.zone)
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    record_access(
        practice=request.practice,
        actor=request.user,
        action=AuditAction.EXPORT,
        record_type="billing.statements",
        request=request,
        detail=f"year-end statements {year}",
    )
    # The response closes the file once it is sent.
    archive = tempfile.TemporaryFile()  # noqa: SIM115
    write_statements_zip(request.practice, year, archive)
    archive.seek(0)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"statements-{year}.zip",
        content_type="application/zip",
    )


@access(BILLING)
def account_statement_view(request: PracticeRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    record_access(
        practice=client.practice,
        actor=request.user,
        action=AuditAction.PRINT,
        record_type="billing.account",
        client=client,
        request=request,
    )
    return pdf_response(account_statement_pdf(client), f"account-{client.pk}.pdf")

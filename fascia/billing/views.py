"""The front desk's billing screen for one client: visits with their invoices and balances,
payments (client or insurer), receipts, and the client's remaining coverage."""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from fascia.accounts.access import BILLING, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.billing import actions, errors, policies, receipts
from fascia.billing import reports as billing_reports
from fascia.billing.claims import claim_use
from fascia.billing.coverage import client_coverage
from fascia.billing.forms import InsurancePolicyForm, SaleForm
from fascia.billing.models import (
    InsurancePolicy,
    Invoice,
    Payer,
    PaymentMethod,
    Receipt,
    ReceiptKind,
    ReferralNote,
    ThirdPartyClaim,
)
from fascia.billing.money import AmountError, amount
from fascia.billing.receipts import email_receipt, receipt_download
from fascia.billing.referrals import SIGNATURES, upload_referral
from fascia.billing.statements import account_statement_pdf, write_statements_zip
from fascia.billing.totals import totals
from fascia.clients.models import Client
from fascia.documents import pdf_response
from fascia.scheduling.models import Appointment, AppointmentStatus

INVOICES_PER_PAGE = 15
TO_INVOICE_SHOWN = 30
BILLABLE = (
    AppointmentStatus.COMPLETED,
    AppointmentStatus.LATE_CANCELLED,
    AppointmentStatus.NO_SHOW,
)


@access(BILLING)
def client_billing(request: PracticeRequest, client_id: int) -> HttpResponse:
    """The client's account: what is left to invoice, each invoice with its payments, receipts
    and what may be done next, insurance and coverage, claims, referrals, and sales."""
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    policy_form = InsurancePolicyForm(prefix="policy")
    sale_form = SaleForm(prefix="sale")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "policy":
                policy_form = InsurancePolicyForm(request.POST, prefix="policy")
                if policy_form.is_valid():
                    policy = policies.save_insurance_policy(
                        client, by=request.user, request=request, **policy_form.cleaned_data
                    )
                    messages.success(request, f"{policy.insurer} policy saved.")
                    return redirect("billing:client", client_id=client.pk)
                messages.error(request, "The policy could not be saved: see the form below.")
            elif action == "sale":
                sale_form = SaleForm(request.POST, prefix="sale")
                if sale_form.is_valid():
                    messages.success(request, _sell(request, client, sale_form.cleaned_data))
                    return redirect("billing:client", client_id=client.pk)
                messages.error(request, "The sale could not be recorded: see the form below.")
            else:
                messages.success(request, _act(request, client, action))
                return redirect(request.get_full_path())
        except errors.BillingError as refused:
            messages.error(request, refused.message)
            if action not in ("policy", "sale"):
                return redirect(request.get_full_path())
    record_access(
        practice=client.practice,
        actor=request.user,
        action=AuditAction.VIEW,
        record_type="billing.account",
        client=client,
        request=request,
    )
    invoiced = Invoice.objects.filter(client=client, voided_at=None, appointment__isnull=False)
    to_invoice = list(
        Appointment.objects.filter(client=client, status__in=BILLABLE)
        .exclude(pk__in=invoiced.values("appointment_id"))
        .exclude(~Q(status=AppointmentStatus.COMPLETED) & Q(late_cancellation_fee_due=False))
        .select_related("service", "therapist")
        .order_by("-starts_at")[:TO_INVOICE_SHOWN]
    )
    page = Paginator(
        Invoice.objects.filter(client=client)
        .select_related("appointment__service", "appointment__therapist", "credit_note", "claim")
        .prefetch_related(
            "lines",
            "payments",
            Prefetch(
                "receipts", queryset=Receipt.objects.select_related("cancellation").order_by("id")
            ),
        )
        .order_by("-issued_at", "-id"),
        INVOICES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    client_policies = list(
        InsurancePolicy.objects.filter(client=client).order_by("-is_active", "insurer")
    )
    return render(
        request,
        "billing/client.html",
        {
            "client": client,
            "to_invoice": to_invoice,
            "page": page,
            "invoices": [_invoice_row(invoice) for invoice in page.object_list],
            "coverage": client_coverage(client),
            "policies": client_policies,
            "active_policies": [policy for policy in client_policies if policy.is_active],
            "claims": [
                claim_use(claim)
                for claim in ThirdPartyClaim.objects.filter(client=client, is_active=True)
            ],
            "methods": PaymentMethod.choices,
            "refund_methods": [
                m for m in PaymentMethod.choices if m[0] != PaymentMethod.INSURER_DIRECT
            ],
            "referrals": ReferralNote.objects.filter(client=client),
            "balance": actions.client_balance(client),
            "policy_form": policy_form,
            "sale_form": sale_form,
        },
    )


def _invoice_row(invoice: Invoice) -> dict[str, Any]:
    """What the screen shows of an invoice, and which actions it allows now."""
    sums = totals(invoice)
    issued = list(invoice.receipts.all())
    in_force = [
        r
        for r in issued
        if r.kind != ReceiptKind.DUPLICATE and getattr(r, "cancellation", None) is None
    ]
    voided = invoice.voided_at is not None
    return {
        "invoice": invoice,
        "totals": sums,
        "receipts": issued,
        "in_force": in_force,
        "voided": voided,
        "may_pay": not voided and sums.balance > 0,
        "may_refund": not voided and sums.paid > 0,
        "may_receipt": not voided
        and sums.balance <= 0
        and receipts.receipt_refusal(invoice, timezone.now()) is None,
        "may_void": not voided and sums.paid == 0,
    }


def _sell(request: PracticeRequest, client: Client, sale: dict[str, Any]) -> str:
    invoice = actions.invoice_sale(
        client,
        lines=[
            actions.LineRequest(
                sale["kind"],
                sale["description"],
                sale["unit_price"],
                taxable=sale["taxable"],
                quantity=sale["quantity"],
            )
        ],
        by=request.user,
        request=request,
    )
    return f"Invoice {invoice.number} created: ${totals(invoice).total}."


def _act(request: PracticeRequest, client: Client, action: str) -> str:
    """One billing action from the screen's buttons; BillingError says why it was refused."""
    if action == "referral":
        document = request.FILES.get("document")
        if document is None:
            raise errors.BillingError("Choose the referral file to upload.")
        try:
            issued = date.fromisoformat(request.POST.get("issued_on", ""))
            expires_text = request.POST.get("expires_on", "")
            expires = date.fromisoformat(expires_text) if expires_text else None
        except ValueError as error:
            raise errors.BillingError("Give the referral's dates as YYYY-MM-DD.") from error
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
        discount = request.POST.get("discount", "").strip() or "0"
        try:
            discount_amount = amount(discount, what="The discount", allow_zero=True)
        except AmountError as error:
            raise errors.BillingError(str(error)) from error
        claim = ThirdPartyClaim.objects.filter(
            client=client, pk=request.POST.get("claim") or 0
        ).first()
        invoice = actions.invoice_appointment(
            visit, discount=discount_amount, claim=claim, by=request.user, request=request
        )
        return f"Invoice {invoice.number} created: ${totals(invoice).total}."
    if action == "end_policy":
        policy = get_object_or_404(InsurancePolicy, client=client, pk=request.POST.get("policy"))
        policies.save_insurance_policy(
            client, policy=policy, is_active=False, by=request.user, request=request
        )
        return f"{policy.insurer} policy marked as ended."
    if action in ("email_receipt", "correct_receipt"):
        receipt = get_object_or_404(Receipt, invoice__client=client, pk=request.POST.get("receipt"))
        if action == "email_receipt":
            message = email_receipt(
                receipt, to=request.POST.get("to", ""), by=request.user, request=request
            )
            return f"Receipt {receipt.number} is on its way to {message.to}."
        corrected = receipts.correct_receipt(
            receipt, reason=request.POST.get("reason", ""), by=request.user, request=request
        )
        return f"Receipt {corrected.number} issued; receipt {receipt.number} is cancelled."
    invoice = get_object_or_404(Invoice, client=client, pk=request.POST.get("invoice"))
    if action == "pay":
        paid_by = request.POST.get("paid_by", "")  # "", a policy's id, or "claim"
        paying_policy = InsurancePolicy.objects.filter(
            client=client, pk=int(paid_by) if paid_by.isdigit() else 0
        ).first()
        claim = invoice.claim if paid_by == "claim" else None
        payment = actions.record_payment(
            invoice,
            amount_paid=request.POST.get("amount", ""),
            method=request.POST.get("method", ""),
            payer=Payer.INSURER if paying_policy else Payer.THIRD_PARTY if claim else Payer.CLIENT,
            payer_name=claim.payer if claim else "",
            policy=paying_policy,
            reference=request.POST.get("reference", ""),
            by=request.user,
            request=request,
        )
        return f"${payment.amount} recorded; ${totals(invoice).balance} owing."
    if action == "refund":
        payment = actions.refund(
            invoice,
            amount_refunded=request.POST.get("amount", ""),
            method=request.POST.get("method", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
            request=request,
        )
        return f"${payment.amount} refunded; ${totals(invoice).balance} owing."
    if action == "receipt":
        receipt = receipts.issue_receipt(invoice, by=request.user, request=request)
        return f"Receipt {receipt.number} issued ({receipt.get_kind_display().lower()})."
    if action == "void":
        credit = actions.void_invoice(
            invoice, reason=request.POST.get("reason", ""), by=request.user, request=request
        )
        return f"Invoice {invoice.number} cancelled by credit note {credit.number}."
    raise errors.BillingError("Unknown billing action.")


@access(BILLING)
def receipt_pdf_view(request: PracticeRequest, receipt_id: int) -> HttpResponse:
    receipt = get_object_or_404(
        Receipt.objects.for_practice(request.practice).select_related("invoice__client"),
        pk=receipt_id,
    )
    return receipt_download(receipt, request=request, as_html=request.GET.get("view") == "page")


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

"""The front desk's billing screen for one client: visits with their invoices and balances,
payments (client or insurer), receipts, and the client's remaining coverage."""

from __future__ import annotations

import tempfile
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fascia.accounts.access import BILLING, REFERRAL_NOTES, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_access, record_view
from fascia.audit.models import AuditAction
from fascia.billing import actions, receipts
from fascia.billing import reports as billing_reports
from fascia.billing.claims import claim_use
from fascia.billing.coverage import client_coverage
from fascia.billing.forms import InsurancePolicyForm, SaleForm
from fascia.billing.models import (
    InsurancePolicy,
    Invoice,
    PaymentMethod,
    Receipt,
    ReceiptKind,
    ReferralNote,
    ThirdPartyClaim,
)
from fascia.billing.receipts import receipt_download
from fascia.billing.statements import account_statement_pdf, write_statements_zip
from fascia.billing.totals import totals
from fascia.clients.models import Client
from fascia.documents import document_language, pdf_response
from fascia.records.care import refuse_unless_may_read
from fascia.reports import csv_lines
from fascia.scheduling import figures
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.spreadsheets import csv_download
from fascia.storage import document_kind
from fascia.validation import optional_id

INVOICES_PER_PAGE = 15
TO_INVOICE_SHOWN = 30
BILLABLE = (
    AppointmentStatus.COMPLETED,
    AppointmentStatus.LATE_CANCELLED,
    AppointmentStatus.NO_SHOW,
)


@access(BILLING)
@require_GET
def client_billing(request: PracticeRequest, client_id: int) -> HttpResponse:
    """The client's account: what is left to invoice, each invoice with its payments, receipts
    and what may be done next, insurance and coverage, claims, referrals, and sales. Each of
    those is done by a POST of its own (billing/account_views.py)."""
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    return billing_page(request, client)


def billing_page(
    request: PracticeRequest,
    client: Client,
    *,
    policy_form: InsurancePolicyForm | None = None,
    sale_form: SaleForm | None = None,
) -> HttpResponse:
    """The billing screen, with a refused form's errors beside its fields when there is one."""
    policy_form = policy_form or InsurancePolicyForm(prefix="policy")
    sale_form = sale_form or SaleForm(prefix="sale")
    record_view(request, client, record_type="billing.account")
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
            # The bookkeeper sees that a referral is on file and when it expires, not the note.
            "may_open_referrals": request.staff_role in REFERRAL_NOTES.roles,
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


@access(BILLING)
def receipt_pdf_view(request: PracticeRequest, receipt_id: int) -> HttpResponse:
    receipt = get_object_or_404(
        Receipt.objects.for_practice(request.practice).select_related("invoice__client"),
        pk=receipt_id,
    )
    return receipt_download(receipt, request=request, as_html=request.GET.get("view") == "page")


@access(REFERRAL_NOTES)
def referral_file(request: PracticeRequest, referral_id: int) -> FileResponse:
    """A referral note's file, from protected storage, audited; a therapist opens only the
    referrals of clients they treat."""
    note = get_object_or_404(
        ReferralNote.objects.for_practice(request.practice).select_related("client"),
        pk=referral_id,
    )
    refuse_unless_may_read(request.user, note.client)
    record_view(request, note.client, record=note)
    kind = document_kind(note.document.open("rb")) or "pdf"
    content_type = "application/pdf" if kind == "pdf" else f"image/{kind}"
    return FileResponse(note.document.open("rb"), content_type=content_type)


@access(BILLING)
def reports(request: PracticeRequest) -> HttpResponse:
    """Revenue (by month with a chart, and by therapist and service), payer mix, balances
    owing, paid visits without a receipt, visits by therapist (with a chart) and new and
    returning clients, for a period; each with its totals and exported as CSV."""
    today = timezone.localdate(timezone=request.practice.zone)
    try:
        first = (
            date.fromisoformat(request.GET.get("from", ""))
            if request.GET.get("from")
            else today.replace(month=1, day=1)
        )
        last = date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else today
    except ValueError:
        messages.error(request, _("Give dates as YYYY-MM-DD."))
        first, last = today.replace(month=1, day=1), today
    if last < first:
        messages.error(request, _("The end of the period is before its start: they were swapped."))
        first, last = last, first
    practice = request.practice
    built = {
        "by-month": billing_reports.revenue_by_month(practice, first, last),
        "revenue": billing_reports.revenue(practice, first, last),
        "payers": billing_reports.payer_mix(practice, first, last),
        "outstanding": billing_reports.outstanding(practice),
        "unreceipted": billing_reports.unreceipted(practice),
        "visits": figures.visits_by_therapist(practice, first, last),
        "clients": figures.clients_new_and_returning(practice, first, last),
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
        return csv_download(f"{wanted}-{first}-{last}.csv", csv_lines(built[wanted]))
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
    year = optional_id(request.GET, "year") or today.year - 1
    if not 1900 <= year <= 9998:  # a calendar year whose statements can be dated
        raise BadRequest(
            _("Give the year as four digits, e.g. %(year)s.") % {"year": today.year - 1}
        )
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
    return pdf_response(
        account_statement_pdf(client, document_language(client, request)),
        f"account-{client.pk}.pdf",
    )

"""What the front desk does on a client's billing screen, one POST view (and URL) each: invoice
a visit, take a payment, refund, issue, email or correct a receipt, cancel an invoice, keep the
client's insurance policies, file a referral note, sell a product. Each calls its billing
action; a refusal comes back as a message on the screen, a form's errors beside its fields."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fascia.accounts.access import BILLING, REFERRAL_NOTES, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.billing import actions, policies, receipts
from fascia.billing.errors import BillingError
from fascia.billing.forms import InsurancePolicyForm, SaleForm
from fascia.billing.models import InsurancePolicy, Invoice, Payer, Receipt, ThirdPartyClaim
from fascia.billing.money import AmountError, amount, as_money
from fascia.billing.referrals import upload_referral
from fascia.billing.totals import totals
from fascia.billing.views import billing_page
from fascia.clients.models import Client
from fascia.scheduling.models import Appointment


def _client(request: PracticeRequest, client_id: int) -> Client:
    return get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)


def _invoice(client: Client, invoice_id: int) -> Invoice:
    return get_object_or_404(Invoice, client=client, pk=invoice_id)


def _receipt(client: Client, receipt_id: int) -> Receipt:
    return get_object_or_404(Receipt, invoice__client=client, pk=receipt_id)


def _carry_out(request: PracticeRequest, client: Client, action: Callable[[], str]) -> HttpResponse:
    """Run the action; its sentence (or the refusal's) is shown on the billing screen, which
    opens again at the page of invoices the button was on."""
    try:
        messages.success(request, action())
    except BillingError as refused:
        messages.error(request, refused.message)
    screen = reverse("billing:client", args=[client.pk])
    page = request.POST.get("page", "")
    return redirect(f"{screen}?{urlencode({'page': page})}" if page.isdigit() else screen)


@access(BILLING)
@require_POST
def invoice_visit(request: PracticeRequest, client_id: int, appointment_id: int) -> HttpResponse:
    client = _client(request, client_id)
    visit = get_object_or_404(Appointment, client=client, pk=appointment_id)

    def invoice() -> str:
        discount = request.POST.get("discount", "").strip() or "0"
        try:
            discount_amount = amount(discount, what=_("The discount"), allow_zero=True)
        except AmountError as error:
            raise BillingError(str(error)) from error
        claim_id = request.POST.get("claim", "")
        claim = ThirdPartyClaim.objects.filter(
            client=client, pk=int(claim_id) if claim_id.isdigit() else 0
        ).first()
        created = actions.invoice_appointment(
            visit, discount=discount_amount, claim=claim, by=request.user, request=request
        )
        return _("Invoice %(number)s created: %(total)s.") % {
            "number": created.number,
            "total": as_money(totals(created).total),
        }

    return _carry_out(request, client, invoice)


@access(BILLING)
@require_POST
def take_payment(request: PracticeRequest, client_id: int, invoice_id: int) -> HttpResponse:
    client = _client(request, client_id)
    invoice = _invoice(client, invoice_id)

    def pay() -> str:
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
        return _("%(amount)s recorded; %(balance)s owing.") % {
            "amount": as_money(payment.amount),
            "balance": as_money(totals(invoice).balance),
        }

    return _carry_out(request, client, pay)


@access(BILLING)
@require_POST
def give_refund(request: PracticeRequest, client_id: int, invoice_id: int) -> HttpResponse:
    client = _client(request, client_id)
    invoice = _invoice(client, invoice_id)

    def refund() -> str:
        payment = actions.refund(
            invoice,
            amount_refunded=request.POST.get("amount", ""),
            method=request.POST.get("method", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
            request=request,
        )
        return _("%(amount)s refunded; %(balance)s owing.") % {
            "amount": as_money(payment.amount),
            "balance": as_money(totals(invoice).balance),
        }

    return _carry_out(request, client, refund)


@access(BILLING)
@require_POST
def issue_receipt(request: PracticeRequest, client_id: int, invoice_id: int) -> HttpResponse:
    client = _client(request, client_id)
    invoice = _invoice(client, invoice_id)

    def issue() -> str:
        receipt = receipts.issue_receipt(invoice, by=request.user, request=request)
        return _("Receipt %(number)s issued (%(kind)s).") % {
            "number": receipt.number,
            "kind": receipt.get_kind_display().lower(),
        }

    return _carry_out(request, client, issue)


@access(BILLING)
@require_POST
def cancel_invoice(request: PracticeRequest, client_id: int, invoice_id: int) -> HttpResponse:
    client = _client(request, client_id)
    invoice = _invoice(client, invoice_id)

    def cancel() -> str:
        credit = actions.void_invoice(
            invoice, reason=request.POST.get("reason", ""), by=request.user, request=request
        )
        return _("Invoice %(number)s cancelled by credit note %(credit)s.") % {
            "number": invoice.number,
            "credit": credit.number,
        }

    return _carry_out(request, client, cancel)


@access(BILLING)
@require_POST
def email_receipt(request: PracticeRequest, client_id: int, receipt_id: int) -> HttpResponse:
    client = _client(request, client_id)
    receipt = _receipt(client, receipt_id)

    def send() -> str:
        message = receipts.email_receipt(
            receipt, to=request.POST.get("to", ""), by=request.user, request=request
        )
        return _("Receipt %(number)s is on its way to %(to)s.") % {
            "number": receipt.number,
            "to": message.to,
        }

    return _carry_out(request, client, send)


@access(BILLING)
@require_POST
def correct_receipt(request: PracticeRequest, client_id: int, receipt_id: int) -> HttpResponse:
    client = _client(request, client_id)
    receipt = _receipt(client, receipt_id)

    def correct() -> str:
        corrected = receipts.correct_receipt(
            receipt, reason=request.POST.get("reason", ""), by=request.user, request=request
        )
        return _("Receipt %(number)s issued; receipt %(old)s is cancelled.") % {
            "number": corrected.number,
            "old": receipt.number,
        }

    return _carry_out(request, client, correct)


@access(BILLING)
@require_POST
def add_policy(request: PracticeRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    form = InsurancePolicyForm(request.POST, prefix="policy")
    if form.is_valid():
        try:
            policy = policies.save_insurance_policy(
                client, by=request.user, request=request, **form.cleaned_data
            )
        except BillingError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("%(insurer)s policy saved.") % {"insurer": policy.insurer})
            return redirect("billing:client", client_id=client.pk)
    messages.error(request, _("The policy could not be saved: see the form below."))
    return billing_page(request, client, policy_form=form)


@access(BILLING)
@require_POST
def end_policy(request: PracticeRequest, client_id: int, policy_id: int) -> HttpResponse:
    client = _client(request, client_id)
    policy = get_object_or_404(InsurancePolicy, client=client, pk=policy_id)

    def end() -> str:
        policies.save_insurance_policy(
            client, policy=policy, is_active=False, by=request.user, request=request
        )
        return _("%(insurer)s policy marked as ended.") % {"insurer": policy.insurer}

    return _carry_out(request, client, end)


@access(REFERRAL_NOTES)
@require_POST
def file_referral(request: PracticeRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)

    def file() -> str:
        document = request.FILES.get("document")
        if document is None:
            raise BillingError(_("Choose the referral file to upload."))
        try:
            issued = date.fromisoformat(request.POST.get("issued_on", ""))
            expires_text = request.POST.get("expires_on", "")
            expires = date.fromisoformat(expires_text) if expires_text else None
        except ValueError as error:
            raise BillingError(_("Give the referral's dates as YYYY-MM-DD.")) from error
        note = upload_referral(
            client,
            document=document,
            physician=request.POST.get("physician", ""),
            issued_on=issued,
            expires_on=expires,
            by=request.user,
            request=request,
        )
        return _("Referral from %(physician)s saved.") % {"physician": note.physician}

    return _carry_out(request, client, file)


@access(BILLING)
@require_POST
def sell(request: PracticeRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    form = SaleForm(request.POST, prefix="sale")
    if form.is_valid():
        sale = form.cleaned_data
        try:
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
        except BillingError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Invoice %(number)s created: %(total)s.")
                % {"number": invoice.number, "total": as_money(totals(invoice).total)},
            )
            return redirect("billing:client", client_id=client.pk)
    messages.error(request, _("The sale could not be recorded: see the form below."))
    return billing_page(request, client, sale_form=form)

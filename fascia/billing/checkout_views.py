"""Checkout and the day's cash-out, for the front desk. The page shows what is owed; one POST
completes, invoices, takes the payments and issues the receipt (`checkout.check_out_visit`);
the receipt is then offered to print or email on the same page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from fascia.accounts.access import BILLING, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_view
from fascia.billing import receipts
from fascia.billing.checkout import PaymentRequest, cash_out, check_out_visit, what_is_owed
from fascia.billing.errors import BillingError
from fascia.billing.forms import CheckoutForm
from fascia.billing.models import InsurancePolicy, Receipt
from fascia.billing.money import as_money
from fascia.scheduling.models import Appointment
from fascia.validation import optional_id


def _visit(request: PracticeRequest, appointment_id: int) -> Appointment:
    return get_object_or_404(
        Appointment.objects.for_practice(request.practice).select_related(
            "client", "service", "therapist", "location", "practice"
        ),
        pk=appointment_id,
    )


@access(BILLING)
def checkout(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    visit = _visit(request, appointment_id)
    client = visit.client
    policies = list(InsurancePolicy.objects.filter(client=client, is_active=True))
    owed = what_is_owed(visit)
    form = CheckoutForm(
        request.POST if request.method == "POST" else None,
        policies=policies,
        invoiced=owed.invoice is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = check_out_visit(
                visit,
                payments=[
                    PaymentRequest(paid, method, policy, reference)
                    for paid, method, policy, reference in form.cleaned_data["payments"]
                ],
                discount=form.cleaned_data.get("discount") or Decimal("0"),
                by=request.user,
                request=request,
            )
        except BillingError as refused:
            form.add_error(None, refused.message)
        else:
            url = reverse("billing:checkout", args=[visit.pk])
            if done.receipt is not None:
                messages.success(
                    request,
                    _("Paid in full. Receipt %(number)s is issued.")
                    % {"number": done.receipt.number},
                )
                return redirect(f"{url}?receipt={done.receipt.pk}")
            messages.warning(
                request,
                _(
                    "Payment recorded; %(balance)s is still owing. The receipt is issued once it "
                    "is paid."
                )
                % {"balance": as_money(done.totals.balance)},
            )
            return redirect(url)
    record_view(request, client, record_type="billing.account", detail=gettext_noop("checkout"))
    receipt_id = optional_id(request.GET, "receipt")
    receipt = (
        Receipt.objects.filter(invoice__appointment=visit, pk=receipt_id).first()
        if receipt_id
        else None
    )
    return render(
        request,
        "billing/checkout.html",
        {
            "visit": visit,
            "client": client,
            "owed": owed,
            "form": form,
            "receipt": receipt,
            "invoice": owed.invoice,
            "payments": list(owed.invoice.payments.all()) if owed.invoice else [],
        },
    )


@access(BILLING)
@require_POST
def email_checkout_receipt(
    request: PracticeRequest, appointment_id: int, receipt_id: int
) -> HttpResponse:
    visit = _visit(request, appointment_id)
    receipt = get_object_or_404(Receipt, invoice__appointment=visit, pk=receipt_id)
    try:
        message = receipts.email_receipt(
            receipt, to=request.POST.get("to", ""), by=request.user, request=request
        )
    except BillingError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Receipt %(number)s is on its way to %(to)s.")
            % {"number": receipt.number, "to": message.to},
        )
    return redirect(f"{reverse('billing:checkout', args=[visit.pk])}?receipt={receipt.pk}")


@access(BILLING)
@require_GET
def cash_out_view(request: PracticeRequest) -> HttpResponse:
    """The day's takings by payment method, to count the till against."""
    practice = request.practice
    today = timezone.localdate(timezone=practice.zone)
    try:
        day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else today
    except ValueError:
        messages.error(request, _("Give the day as YYYY-MM-DD."))
        day = today
    rows, total = cash_out(practice, day)
    return render(
        request,
        "billing/cash_out.html",
        {
            "day": day,
            "rows": rows,
            "total": total,
            "previous": day.fromordinal(day.toordinal() - 1),
            "next": day.fromordinal(day.toordinal() + 1) if day < today else None,
        },
    )

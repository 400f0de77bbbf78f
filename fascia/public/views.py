"""Pages for the public and for clients signed in to their own account."""

from __future__ import annotations

from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from fascia.accounts.access import PUBLIC, SIGNED_IN, access
from fascia.accounts.practice_context import signed_in_user
from fascia.accounts.start import sign_up_is_open
from fascia.audit.log import record_access, record_view
from fascia.audit.models import AuditAction
from fascia.billing.actions import client_balance
from fascia.billing.coverage import client_coverage
from fascia.billing.models import Invoice, Receipt, ReceiptKind
from fascia.billing.receipts import receipt_download
from fascia.clients.models import Client
from fascia.documents import pdf_response
from fascia.practices.models import Practice
from fascia.public.account_views import address_proved
from fascia.public.ownership import own_or_refused
from fascia.records.consents import plans_awaiting_consent
from fascia.records.models import SelfCarePlan
from fascia.records.queries import history_to_update
from fascia.records.questionnaires import open_questionnaires
from fascia.records.selfcare import self_care_pdf
from fascia.scheduling.feeds import render_feed
from fascia.scheduling.models import OCCUPYING_STATUSES, Appointment


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    practices = Practice.objects.filter(booking_open=True).order_by("name")[:20]
    return render(
        request,
        "public/home.html",
        {"practices": practices, "sign_up_open": sign_up_is_open()},
    )


RECEIPTS_SHOWN = 30


@access(SIGNED_IN)
@address_proved
def my_account(request: HttpRequest) -> HttpResponse:
    """A client's own details at each practice they are a client of (PHIPA right of access)."""
    records = list(Client.objects.filter(user=signed_in_user(request)).select_related("practice"))
    for client in records:
        record_view(
            request, client, record=client, role="client", detail=gettext_noop("own record")
        )
    appointments = (
        Appointment.objects.filter(client__in=records)
        .select_related("practice", "service", "therapist", "location")
        .order_by("starts_at")
    )
    now = timezone.now()
    upcoming = [a for a in appointments if a.starts_at >= now and a.status in OCCUPYING_STATUSES]
    past = [a for a in appointments if a not in upcoming][::-1][:20]
    plans = SelfCarePlan.objects.filter(client__in=records).select_related("therapist")[:10]
    receipts = (
        Receipt.objects.filter(invoice__client__in=records)
        .exclude(kind=ReceiptKind.DUPLICATE)
        .select_related("cancellation", "practice")
        .order_by("-issued_at")[:RECEIPTS_SHOWN]
    )
    for client in records:
        client.balance_owing = client_balance(client)
        client.credit = max(-client.balance_owing, 0)
        client.plans_to_sign = plans_awaiting_consent(client)
        client.questionnaires = open_questionnaires(client)
        client.history_to_update = history_to_update(
            client, timezone.localdate(timezone=client.practice.zone)
        )
        client.statement_years = [
            moment.year
            for moment in Invoice.objects.filter(client=client, voided_at=None).dates(
                "appointment__starts_at", "year", order="DESC"
            )
        ][:5]
    return render(
        request,
        "public/my_account.html",
        {
            "records": records,
            "upcoming": upcoming,
            "past": past,
            "self_care_plans": plans,
            "receipts": receipts,
            "coverage": [item for client in records for item in client_coverage(client)],
        },
    )


@access(SIGNED_IN)
@address_proved
def own_receipt_pdf(request: HttpRequest, receipt_id: int) -> HttpResponse:
    """A client downloads their own receipt, for their insurer or their taxes."""
    receipt = own_or_refused(
        request,
        Receipt.objects.select_related("invoice__client", "practice", "cancellation"),
        receipt_id,
        client_path="invoice__client",
    )
    return receipt_download(
        receipt, request=request, role="client", as_html=request.GET.get("view") == "page"
    )


@access(SIGNED_IN)
@address_proved
def own_self_care_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A client prints their own home-care plan."""
    plan = own_or_refused(
        request, SelfCarePlan.objects.select_related("client", "therapist", "practice"), plan_id
    )
    record_access(
        practice=plan.practice,
        actor=request.user,
        action=AuditAction.PRINT,
        record=plan,
        client=plan.client,
        request=request,
        role="client",
    )
    return pdf_response(
        self_care_pdf(plan, translation.get_language()), f"home-care-{plan.created_at:%Y-%m-%d}.pdf"
    )


@access(PUBLIC)
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime monitors: is the app up and can it reach its database?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@access(PUBLIC)
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A therapist's private iCalendar feed; the secret token in the URL is the credential."""
    body = render_feed(token, request=request)
    if body is None:
        return HttpResponse(
            gettext("This calendar link is not valid (it may have been reset)."),
            status=404,
            content_type="text/plain",
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@access(PUBLIC)
def practice_logo(request: HttpRequest, slug: str) -> FileResponse:
    """The practice's logo (public: it is on its booking pages)."""
    practice = get_object_or_404(Practice, slug=slug)
    if not practice.logo:
        raise Http404
    response = FileResponse(practice.logo.open("rb"))
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response

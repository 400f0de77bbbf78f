"""The client's side of the health history: the single-use link from the booking confirmation
(no sign-in needed), and the same form from their account."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.access import PUBLIC, SIGNED_IN, access
from fascia.audit.log import record_view
from fascia.clients.actions import update_client
from fascia.clients.forms import OwnDetailsForm
from fascia.clients.models import Client
from fascia.public.account_views import address_proved
from fascia.public.ownership import own_or_refused
from fascia.records import errors, history, queries
from fascia.records.forms import HealthHistoryForm
from fascia.records.models import HistorySource


@access(PUBLIC)
def intake_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The token in the link is the client's key to one submission of their own history."""
    link = history.intake_link(token)
    if link is None:
        return render(request, "public/intake_closed.html", status=410)
    form = HealthHistoryForm(request.POST or None)
    reasons: list[str] = []
    if request.method == "POST" and form.is_valid():
        answers, skipped = form.answers_and_skips()
        try:
            history.submit_through_link(token, answers=answers, skipped=skipped, request=request)
        except errors.RecordError as refused:
            reasons = refused.reasons or [refused.message]
        else:
            return render(request, "public/intake_done.html", {"practice": link.client.practice})
    return render(
        request,
        "public/intake.html",
        {"form": form, "practice": link.client.practice, "reasons": reasons},
    )


@access(SIGNED_IN)
@address_proved
def intake_in_account(request: HttpRequest, client_id: int) -> HttpResponse:
    client = own_or_refused(request, Client.objects.all(), client_id, client_path="")
    current = queries.current_history(client)
    form = HealthHistoryForm(
        request.POST or None, initial_answers=current.answers if current else None
    )
    reasons: list[str] = []
    if request.method == "POST" and form.is_valid():
        answers, skipped = form.answers_and_skips()
        try:
            history.submit_health_history(
                client,
                answers=answers,
                skipped=skipped,
                source=HistorySource.ONLINE,
                by=request.user,
                request=request,
            )
        except errors.RecordError as refused:
            reasons = refused.reasons or [refused.message]
        else:
            messages.success(request, _("Thank you: your health history is saved."))
            return redirect("public:my-account")
    record_view(
        request,
        client,
        record=current,
        record_type="records.healthhistory",
        role="client",
        detail=gettext_noop("own health history form"),
    )
    return render(
        request,
        "public/intake.html",
        {"form": form, "practice": client.practice, "reasons": reasons},
    )


@access(SIGNED_IN)
@address_proved
def own_details(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client keeps their contact details, home address, emergency contact, reminder
    choice and language up to date; each change goes through `update_client` and the audit
    log, so the practice sees it."""
    client = own_or_refused(request, Client.objects.all(), client_id, client_path="")
    # The form validates a copy; the action compares against the stored record.
    form = OwnDetailsForm(request.POST or None, instance=Client.objects.get(pk=client.pk))
    if request.method == "POST" and form.is_valid():
        try:
            update_client(client, by=request.user, request=request, **form.changes())
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("public:my-account")
    record_view(
        request, client, record=client, role="client", detail=gettext_noop("own details form")
    )
    return render(request, "public/own_details.html", {"client": client, "form": form})

"""A client's page for the practice's staff: who they are, their visits, what they owe, what
their insurance has left, alerts and forms still due, and what to do next (book, check out,
write to them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fascia.accounts.access import BILLING, BOOKING, CLIENT_DIRECTORY, CLINICAL_RECORD, access
from fascia.accounts.practice_context import PracticeRequest, signed_in_user
from fascia.audit.log import record_view
from fascia.clients.forms import ClientMessageForm
from fascia.clients.messages import message_client, send_health_history_form
from fascia.clients.models import Client
from fascia.staff import board
from fascia.staff.client_overview import client_overview


def _client(request: PracticeRequest, client_id: int) -> Client:
    return get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)


def _page(
    request: PracticeRequest, client: Client, message_form: ClientMessageForm | None = None
) -> HttpResponse:
    role = request.staff_role
    record_view(request, client, record=client)
    overview = client_overview(
        client,
        now=timezone.now(),
        clinical_reader=request.user if role in CLINICAL_RECORD.roles else None,
        billing=role in BILLING.roles,
    )
    return render(
        request,
        "staff/client_detail.html",
        {
            "client": client,
            "overview": overview,
            "upcoming": [
                (visit, board.icons(overview.flags[visit.pk])) for visit in overview.upcoming
            ],
            "past": [(visit, board.icons(overview.flags[visit.pk])) for visit in overview.past],
            "may_book": role in BOOKING.roles,
            "may_bill": role in BILLING.roles,
            "message_form": message_form or ClientMessageForm(),
        },
    )


@access(CLIENT_DIRECTORY)
def client_detail(request: PracticeRequest, client_id: int) -> HttpResponse:
    return _page(request, _client(request, client_id))


@access(CLIENT_DIRECTORY)
@require_POST
def client_message(request: PracticeRequest, client_id: int) -> HttpResponse:
    """Write to the client by email or text; a refused message comes back with its reason."""
    client = _client(request, client_id)
    form = ClientMessageForm(request.POST)
    if form.is_valid():
        try:
            message_client(client, by=signed_in_user(request), request=request, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Your message to %(name)s is on its way.") % {"name": client.display_name},
            )
            return redirect("staff:client-detail", client_id=client.pk)
    return _page(request, client, form)


@access(CLIENT_DIRECTORY)
@require_POST
def client_send_health_history(request: PracticeRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    try:
        send_health_history_form(client, by=signed_in_user(request), request=request)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("We have emailed %(email)s the health-history form.") % {"email": client.email},
        )
    return redirect("staff:client-detail", client_id=client.pk)

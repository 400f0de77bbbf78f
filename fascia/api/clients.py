"""The client directory over the API (staff)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from fascia.accounts.access import CLIENT_DIRECTORY
from fascia.accounts.practice_context import PracticeRequest
from fascia.api.schemas import ClientIn, ClientOut, Problem
from fascia.audit.log import record_search
from fascia.clients.actions import register_client
from fascia.clients.models import Client
from fascia.validation import Integer, Text

router = Router(tags=["clients"])
PAGE = 50


def client_out(client: Client) -> dict[str, Any]:
    return {
        "id": client.pk,
        "legal_first_name": client.legal_first_name,
        "legal_last_name": client.legal_last_name,
        "preferred_name": client.preferred_name,
        "pronouns": client.pronouns,
        "email": client.email,
        "phone": client.phone.as_e164 if client.phone else "",
        "street": client.street,
        "unit": client.unit,
        "city": client.city,
        "postal_code": client.postal_code,
        "preferred_language": client.preferred_language,
    }


@router.get("/clients", response=list[ClientOut], auth=CLIENT_DIRECTORY.api())
def list_clients(request: PracticeRequest, q: Text = "", offset: Integer = 0) -> Any:
    """The practice's clients, 50 at a time, optionally searched by name, email or phone."""
    clients = Client.objects.for_practice(request.practice)
    if q:
        clients = clients.search(q)
    offset = max(offset, 0)
    record_search(
        request,
        request.practice,
        record_type="clients.client",
        detail=f"api offset {offset}" + (f", search {q!r}" if q else ""),
    )
    return [client_out(client) for client in clients[offset : offset + PAGE]]


@router.post("/clients", response={201: ClientOut, 422: Problem}, auth=CLIENT_DIRECTORY.api())
def create_client(request: HttpRequest, payload: ClientIn) -> Any:
    client = register_client(
        request.practice,  # type: ignore[attr-defined]
        by=request.user,
        request=request,
        **payload.dict(),
    )
    return Status(201, client_out(client))

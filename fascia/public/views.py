"""Pages for the public and for clients signed in to their own account."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from fascia.accounts.access import PUBLIC, SIGNED_IN, access
from fascia.accounts.practice_context import signed_in_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.models import Practice


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    practices = Practice.objects.order_by("name")[:20]
    return render(request, "public/home.html", {"practices": practices})


@access(SIGNED_IN)
def my_account(request: HttpRequest) -> HttpResponse:
    """A client's own details at each practice they are a client of (PHIPA right of access)."""
    records = list(Client.objects.filter(user=signed_in_user(request)).select_related("practice"))
    for client in records:
        record_access(
            practice=client.practice,
            actor=request.user,
            action=AuditAction.VIEW,
            record=client,
            request=request,
            role="client",
            detail="own record",
        )
    return render(request, "public/my_account.html", {"records": records})


@access(PUBLIC)
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime monitors: is the app up and can it reach its database?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

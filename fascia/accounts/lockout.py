"""Throttled sign-in (django-axes): after too many failed attempts for one account, or from one
network address, signing in there pauses for a while. The page (or the API's JSON) says so
plainly and points to the password reset."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """settings.AXES_LOCKOUT_CALLABLE: 429, with the reason."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    reason = _(
        "Too many failed sign-ins. For your security, signing in is paused for %(minutes)d "
        "minutes. If you forgot your password, reset it instead."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=429)
    return render(request, "accounts/locked_out.html", {"reason": reason}, status=429)


# An email is at most 254 characters; anything longer cannot be an account (and would not fit
# the attempt log's column).
LONGEST_USERNAME = 254


def attempted_username(request: HttpRequest, credentials: Any = None) -> str | None:
    """settings.AXES_USERNAME_CALLABLE: the address a sign-in was tried with, as counted:
    lower-case (as accounts are) and cut to the longest an address can be."""
    given = (credentials or {}).get("username") if credentials else None
    if given is None:
        given = request.POST.get("username")
    if given is None:
        return None
    return str(given).strip().lower()[:LONGEST_USERNAME]


def record_lockout(
    sender: Any, request: HttpRequest, username: str, ip_address: str, **_: Any
) -> None:
    """axes' `user_locked_out` signal: an audit entry in each practice the account belongs to
    (as staff or as a client), so the owner sees that someone was guessing at it."""
    from django.apps import apps

    from fascia.accounts.models import StaffMember
    from fascia.audit.log import record_access
    from fascia.audit.models import AuditAction

    client_model = apps.get_model("clients", "Client")
    practices = {
        m.practice
        for m in StaffMember.objects.filter(user__email=username).select_related("practice")
    }
    clients = list(client_model.objects.filter(user__email=username).select_related("practice"))
    practices |= {client.practice for client in clients}
    for practice in practices:
        client = next((c for c in clients if c.practice_id == practice.pk), None)
        record_access(
            practice=practice,
            actor=None,
            action=AuditAction.LOCKOUT,
            record_type="accounts.user",
            client=client,
            request=request,
            role="signed out",
            detail=f"sign-in paused for {username} after repeated failures from {ip_address}"[:255],
        )

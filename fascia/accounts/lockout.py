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

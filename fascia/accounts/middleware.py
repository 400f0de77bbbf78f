"""Sets `request.practice` and `request.staff_role` for signed-in staff, and activates the
practice's time zone so every time shown is clinic time; holds back whoever still owes the
second sign-in step; signs out idle sessions."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.models import User
from fascia.accounts.practice_context import resolve_practice_context
from fascia.accounts.two_factor import SECOND_STEP_OWED, second_step_owed


class PracticeContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = resolve_practice_context(request)
        request.practice = context.practice  # type: ignore[attr-defined]
        request.staff_role = context.role  # type: ignore[attr-defined]
        request.staff_member = context.staff_member  # type: ignore[attr-defined]
        request.staff_practices = context.practices  # type: ignore[attr-defined]
        if context.practice is not None:
            timezone.activate(context.practice.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# Pages anyone may reach while they still owe the second step, or must set it up.
ALWAYS_OPEN = ("/accounts/sign-out/", "/accounts/sign-in/", "/health/", "/static/")
# The one page that settles what is owed (never the others: changing or turning off two-step
# sign-in needs the code first).
SETTLES = {"code": "/accounts/two-factor/", "set-up": "/accounts/two-factor/set-up/"}


class TwoFactorMiddleware:
    """Someone signed in with a password who has two-step sign-in must give the code before
    any page; staff who must use it and have not set it up are sent to set it up. What a
    session owes is worked out once, as it signs in (`fascia.accounts.two_factor`), so pages
    pay nothing for it. API requests signed by a token are left to the token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        owed = self._owed(request)
        if not owed or request.path == SETTLES[owed] or request.path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish signing in with your two-step code first.")}, status=403
            )
        page = "accounts:two-factor" if owed == "code" else "accounts:two-factor-set-up"
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")

    def _owed(self, request: HttpRequest) -> str:
        user = request.user
        if not user.is_authenticated or getattr(request, "signed_in_by_token", False):
            return ""
        owed = request.session.get(SECOND_STEP_OWED)
        if owed is None:  # a session from before two-step sign-in existed
            assert isinstance(user, User)
            owed = request.session[SECOND_STEP_OWED] = second_step_owed(user)
        return str(owed)


LAST_SEEN = "fascia_last_seen"
# The session's last-seen time is written at most this often (seconds), not on every request.
LAST_SEEN_GRANULARITY = 60


@receiver(user_logged_in)
def _start_idle_clock(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = timezone.now().timestamp()


class IdleTimeoutMiddleware:
    """Sign out a session left idle: staff after `FASCIA_STAFF_IDLE_MINUTES` (30 by default),
    clients after `FASCIA_CLIENT_IDLE_MINUTES`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or getattr(request, "signed_in_by_token", False):
            return self.get_response(request)
        staff = bool(getattr(request, "staff_practices", ()))
        minutes = getattr(
            settings, "FASCIA_STAFF_IDLE_MINUTES" if staff else "FASCIA_CLIENT_IDLE_MINUTES", 30
        )
        now = timezone.now().timestamp()
        last_seen = request.session.get(LAST_SEEN)
        if last_seen is not None and now - last_seen > minutes * 60:
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)d minutes without activity.")
                % {"minutes": minutes},
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Your session ended; sign in again.")}, status=401)
            return redirect_to_login(request.get_full_path())
        if last_seen is None or now - last_seen > LAST_SEEN_GRANULARITY:
            request.session[LAST_SEEN] = now
        return self.get_response(request)

"""Bearer tokens for the JSON API: `Authorization: Bearer <token>`."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.models import ApiToken, User
from fascia.links import digest_of

PREFIX = "fsc_"  # as documented (docs/security.md); lets secret scanners spot a leak
# Touch last_used_at at most this often, so a busy client does not write on every request.
LAST_USED_PRECISION = timedelta(minutes=5)


def issue_token(user: User, label: str = "", *, expires_at: datetime | None = None) -> str:
    """A new token for `user` (shown once: only its digest is kept), valid until revoked or
    until `expires_at`."""
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=digest_of(token),
        label=label[:100],
        expires_at=expires_at,
        hint=token[: len(PREFIX) + 4],
    )
    return token


def revoke_token(token: str) -> bool:
    return bool(
        ApiToken.objects.filter(digest=digest_of(token), revoked_at=None).update(
            revoked_at=timezone.now()
        )
    )


def revoke_own_token(user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens (from their token page); False if it is not theirs
    or was already revoked."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    )


def user_for_token(token: str) -> User | None:
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(token), revoked_at=None, user__is_active=True)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .first()
    )
    if found is None:
        return None
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


def bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class BearerTokenMiddleware:
    """Signs in API requests that carry a bearer token. Such requests carry no session cookie,
    so they need no CSRF token (PolicyAuth checks `request.signed_in_by_token`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = bearer_token(request) if request.path.startswith("/api/") else None
        if token is not None:
            user = user_for_token(token)
            if user is None:
                return JsonResponse(
                    {"detail": _("The API token is not valid, has expired or was revoked.")},
                    status=401,
                )
            request.user = user
            request.signed_in_by_token = True  # type: ignore[attr-defined]
        return self.get_response(request)

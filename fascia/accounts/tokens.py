"""Bearer tokens for the JSON API: `Authorization: Bearer <token>`."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from fascia.accounts.models import ApiToken, User

PREFIX = "fascia_"
# Touch last_used_at at most this often, so a busy client does not write on every request.
LAST_USED_PRECISION = timedelta(minutes=5)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, label: str = "") -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=digest_of(token), label=label[:100])
    return token


def revoke_token(token: str) -> bool:
    return bool(
        ApiToken.objects.filter(digest=digest_of(token), revoked_at=None).update(
            revoked_at=timezone.now()
        )
    )


def user_for_token(token: str) -> User | None:
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(token), revoked_at=None, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
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
                    {"detail": "The API token is not valid or was revoked."}, status=401
                )
            request.user = user
            request.signed_in_by_token = True  # type: ignore[attr-defined]
        return self.get_response(request)

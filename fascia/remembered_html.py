"""HTML drawn once and sent to many requests (`page_parts`, the remembered chart) carries a
placeholder where a form's CSRF token goes; each request's own token is put in as it is sent, so
no request ever gets another's token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

CSRF_PLACEHOLDER = "fascia-csrf-token-placeholder"
_TOKEN_OF_REQUEST = "_fascia_csrf_token"  # noqa: S105 - an attribute name


def csrf_token_of(request: HttpRequest) -> str:
    """The request's CSRF token, masked once however many remembered parts it goes into."""
    token: str | None = getattr(request, _TOKEN_OF_REQUEST, None)
    if token is None:
        token = get_token(request)
        setattr(request, _TOKEN_OF_REQUEST, token)
    return token


def with_csrf_token(drawn: str, token: Any) -> SafeString:
    """HTML drawn with `CSRF_PLACEHOLDER` as its token, with the request's token put in."""
    # Drawn by our own templates (escaped there); only the token is put in.
    return mark_safe(drawn.replace(CSRF_PLACEHOLDER, str(token)))  # noqa: S308

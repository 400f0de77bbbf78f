"""API tokens and "who am I"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from fascia.accounts.access import PUBLIC, SIGNED_IN
from fascia.accounts.models import ApiToken
from fascia.accounts.practice_context import signed_in_user
from fascia.accounts.tokens import bearer_token, issue_token, revoke_token
from fascia.api.schemas import MeOut, Problem, TokenIn, TokenOnFile, TokenOut
from fascia.clients.models import Client

router = Router(tags=["auth"])


@router.post("/auth/token", response={201: TokenOut, 401: Problem}, auth=PUBLIC.api())
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    """Exchange an email and password for a bearer token (send it as
    `Authorization: Bearer <token>`). Staff tokens act for their practice; a client's token
    books only for that client."""
    user = authenticate(request, username=payload.email.strip().lower(), password=payload.password)
    if user is None:
        raise HttpError(401, _("The email or password is not right."))
    expires_at = (
        timezone.now() + timedelta(days=payload.expires_in_days)
        if payload.expires_in_days
        else None
    )
    token = issue_token(user, payload.label, expires_at=expires_at)
    return Status(201, {"token": token, "expires_at": expires_at})


@router.get("/auth/tokens", response=list[TokenOnFile], auth=SIGNED_IN.api())
def list_tokens(request: HttpRequest) -> Any:
    """The signed-in person's tokens, newest first: label, the first characters, when each
    was made, last used, expires and was revoked (the tokens themselves are never kept)."""
    return ApiToken.objects.filter(user=signed_in_user(request))


@router.delete("/auth/token", response={204: None, 400: Problem}, auth=SIGNED_IN.api())
def delete_token(request: HttpRequest) -> Any:
    """Revoke the token this request was made with."""
    token = bearer_token(request)
    if token is None or not revoke_token(token):
        raise HttpError(400, _("Send the token to revoke in the Authorization header."))
    return Status(204, None)


@router.get("/me", response=MeOut, auth=SIGNED_IN.api())
def me(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    practice = getattr(request, "practice", None)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "practice": practice.slug if practice else None,
        "role": getattr(request, "staff_role", None),
        "client_records": list(Client.objects.filter(user=user).values_list("pk", flat=True)),
    }

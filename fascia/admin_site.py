"""Fascia's Django admin: practice owners manage their own practice's records; platform
superusers see all. Every page is scoped to the signed-in owner's practice."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest

from fascia.accounts.models import Role


def is_practice_owner(request: HttpRequest) -> bool:
    return getattr(request, "staff_role", None) == Role.OWNER


class FasciaAdminSite(admin.AdminSite):
    site_header = "Fascia administration"
    site_title = "Fascia admin"
    index_title = "Practice records"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or is_practice_owner(request)))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        # One sign-in page for the whole product.
        return redirect_to_login(request.GET.get("next") or request.path)

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        practice = getattr(request, "practice", None)
        if practice is not None:
            context["site_header"] = f"{practice.public_name} — administration"
        return context

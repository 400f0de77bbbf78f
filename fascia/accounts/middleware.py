"""Sets `request.practice` and `request.staff_role` for signed-in staff, and activates the
practice's time zone so every time shown is clinic time."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from fascia.accounts.practice_context import resolve_practice_context


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

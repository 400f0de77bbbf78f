"""A practice's booking pages before its owner opens them: a clear page instead of the steps,
naming what is still missing to the practice's own staff."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fascia.accounts.models import StaffMember
from fascia.practices.models import Practice
from fascia.scheduling.readiness import booking_readiness


def open_for_booking(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Show the "not taking online bookings yet" page while the practice's booking is closed."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        practice = get_object_or_404(Practice, slug=slug)
        if practice.booking_open:
            return view(request, slug, *args, **kwargs)
        return booking_closed(request, practice)

    return wrapped


def booking_closed(request: HttpRequest, practice: Practice) -> HttpResponse:
    is_staff = (
        request.user.is_authenticated
        and StaffMember.objects.for_practice(practice)
        .filter(user_id=request.user.pk, is_active=True)
        .exists()
    )
    return render(
        request,
        "public/booking_closed.html",
        {
            "practice": practice,
            "missing": booking_readiness(practice).missing if is_staff else None,
        },
    )

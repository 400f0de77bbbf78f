"""The emailed link that confirms an online booking (`email_confirmation.py`), and choosing a
password for the account it opened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fascia.accounts.access import PUBLIC, SIGNED_IN, access
from fascia.accounts.backends import SIGN_IN_BACKEND
from fascia.accounts.practice_context import signed_in_user
from fascia.public.email_confirmation import (
    choose_first_password,
    confirm_booking,
    unconfirmed_booking,
)
from fascia.scheduling.errors import BookingError


@access(PUBLIC)
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The link shows the booking and a button: following a link books nothing by itself
    (mail scanners open links too)."""
    asked = unconfirmed_booking(token)
    if asked is None or asked.practice.slug != slug:
        return render(request, "public/confirm_closed.html", status=410)
    error = ""
    if request.method == "POST":
        try:
            confirmed = confirm_booking(token, request=request)
        except BookingError as refused:
            error = refused.message
        else:
            if confirmed.new_account and confirmed.client.user is not None:
                login(
                    request,
                    confirmed.client.user,
                    backend=SIGN_IN_BACKEND,
                )
                return redirect(
                    "public:booked",
                    slug=asked.practice.slug,
                    appointment_id=confirmed.appointment.pk,
                )
            return render(
                request,
                "public/book_done.html",
                {"practice": asked.practice, "appointment": confirmed.appointment},
            )
    return render(
        request,
        "public/confirm_booking.html",
        {"asked": asked, "practice": asked.practice, "error": error},
    )


@access(SIGNED_IN)
@require_POST
def choose_password(request: HttpRequest) -> HttpResponse:
    """An account opened by an emailed link chooses its first password (a password already set
    is changed by the usual means, which ask for it)."""
    user = signed_in_user(request)
    refusals = choose_first_password(
        user, request.POST.get("new_password1", ""), request.POST.get("new_password2", "")
    )
    if refusals:
        for reason in refusals:
            messages.error(request, reason)
    else:
        update_session_auth_hash(request, user)
        messages.success(request, _("Password saved. Sign in with your email and it next time."))
    return redirect("public:my-account")

"""The pages of "Start your practice": the address first, then (through the emailed link) the
owner's account and the practice. See `fascia.accounts.start`."""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fascia.accounts.access import PUBLIC, access
from fascia.accounts.backends import SIGN_IN_BACKEND
from fascia.accounts.forms import StartPracticeEmailForm, StartPracticeForm
from fascia.accounts.models import User
from fascia.accounts.practice_context import choose_practice
from fascia.accounts.start import (
    ask_to_start_practice,
    email_of_start_link,
    sign_up_is_open,
    start_practice,
)


@access(PUBLIC)
def start(request: HttpRequest) -> HttpResponse:
    if not sign_up_is_open():
        return render(request, "accounts/start_by_invitation.html")
    form = StartPracticeEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ask_to_start_practice(form.cleaned_data["email"])
        return render(
            request, "accounts/start_check_email.html", {"email": form.cleaned_data["email"]}
        )
    return render(request, "accounts/start.html", {"form": form})


@access(PUBLIC)
def finish(request: HttpRequest, token: str) -> HttpResponse:
    email = email_of_start_link(token)
    if email is None:
        return render(request, "accounts/start_link_closed.html", status=400)
    if User.objects.filter(email__iexact=email).exists():
        return render(request, "accounts/start_link_closed.html", {"used": True}, status=400)
    form = StartPracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = start_practice(
                email=email,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                practice=form.new_practice(),
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            login(request, membership.user, backend=SIGN_IN_BACKEND)
            choose_practice(request, membership.practice_id)
            return redirect("staff:setup")
    return render(request, "accounts/start_finish.html", {"form": form, "email": email})


FORM_FIELD_OF = {"name": "practice_name"}


def _attach(form: StartPracticeForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = FORM_FIELD_OF.get(field, field)
        form.add_error(target if target in form.fields else None, messages)

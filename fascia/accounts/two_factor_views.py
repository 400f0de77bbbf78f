"""The pages of two-step sign-in: the code after the password, setting up an authenticator
app, new recovery codes and turning it off. See `fascia.accounts.two_factor`."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import SIGNED_IN, access
from fascia.accounts.practice_context import signed_in_user
from fascia.accounts.two_factor import (
    code_still_owed,
    has_two_factor,
    key_for_typing,
    new_authenticator_key,
    new_recovery_codes,
    setup_address,
    turn_off_two_factor,
    turn_on_two_factor,
    two_factor_required,
    verify_second_step,
)

KEY_IN_SESSION = "fascia_new_authenticator_key"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/accounts/welcome/"


@access(SIGNED_IN)
def second_step(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the app, or a recovery code."""
    user = signed_in_user(request)
    if not code_still_owed(request) or not has_two_factor(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_second_step(request, user, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code",
            _(
                "That code is not right, or it was already used. Wait for the next one and "
                "try again."
            ),
        )
    return render(request, "accounts/two_factor_code.html", {"form": form, "next": _next(request)})


@access(SIGNED_IN)
def set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (or a new phone): scan the code, type the number it shows."""
    user = signed_in_user(request)
    key = request.session.get(KEY_IN_SESSION)
    if not key:
        key = new_authenticator_key()
        request.session[KEY_IN_SESSION] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = turn_on_two_factor(request, user, key=key, code=form.cleaned_data["code"])
        except ValidationError as refused:
            form.add_error("code", refused)
        else:
            request.session.pop(KEY_IN_SESSION, None)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request), "first_time": True},
            )
    qr = segno.make(setup_address(user, key), error="m").svg_data_uri(scale=4)
    return render(
        request,
        "accounts/two_factor_set_up.html",
        {
            "form": form,
            "qr": qr,
            "typed_key": key_for_typing(key),
            "required": two_factor_required(user),
            "next": _next(request),
        },
    )


@access(SIGNED_IN)
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method != "POST" or not has_two_factor(user):
        return redirect("public:account-security")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": new_recovery_codes(user), "next": "/account/security/"},
    )


@access(SIGNED_IN)
def turn_off(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        try:
            turn_off_two_factor(user, by=user, request=request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Two-step sign-in is off."))
    return redirect("public:account-security")

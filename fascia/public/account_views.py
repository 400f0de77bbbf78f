"""The pages of a person's own account: signing up on a practice's booking site, the emailed
links that open an account, join a record or prove an address, and the account's security page
(password, address, signing out everywhere). See `fascia.public.client_accounts`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fascia.accounts.access import PUBLIC, SIGNED_IN, access
from fascia.accounts.backends import SIGN_IN_BACKEND
from fascia.accounts.practice_context import signed_in_user
from fascia.accounts.two_factor import has_two_factor, recovery_codes_left, two_factor_required
from fascia.practices.models import Practice
from fascia.public.account_forms import ChoosePasswordForm, ClientSignUpForm, EmailChangeForm
from fascia.public.client_accounts import (
    LinkClosed,
    NewClientAccount,
    accept_client_invitation,
    ask_for_client_account,
    ask_to_change_email,
    ask_to_verify_email,
    change_email,
    client_invitation_for_token,
    client_sign_up_for_token,
    email_change_for_token,
    email_has_account,
    open_client_account,
    sign_out_everywhere,
)

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def address_proved(view: ViewFunc) -> ViewFunc:
    """A client's own pages show nothing until the person has proved their email address."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if signed_in_user(request).email_verified_at is None:
            return redirect("public:verify-email")
        return view(request, *args, **kwargs)

    return guarded  # type: ignore[return-value]


def _closed(request: HttpRequest) -> HttpResponse:
    return render(request, "public/account_link_closed.html", status=400)


@access(PUBLIC)
def sign_up(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug)
    if request.user.is_authenticated:
        return redirect("public:my-account")
    form = ClientSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ask_for_client_account(practice, NewClientAccount(**form.cleaned_data))
        except ValidationError as refused:
            form.add_error("password", refused)
        else:
            return render(
                request,
                "public/sign_up_check_email.html",
                {"practice": practice, "email": form.cleaned_data["email"]},
            )
    return render(request, "public/sign_up.html", {"practice": practice, "form": form})


@access(PUBLIC)
def open_account(request: HttpRequest, token: str) -> HttpResponse:
    """The sign-up email's link: a button (nothing is written by following the link), then
    the account is opened and signed in."""
    sign_up = client_sign_up_for_token(token)
    if sign_up is None:
        return _closed(request)
    if request.method == "POST":
        try:
            user = open_client_account(token, request=request)
        except LinkClosed:
            return _closed(request)
        login(request, user, backend=SIGN_IN_BACKEND)
        messages.success(request, _("Your account is open. Welcome!"))
        return redirect("public:my-account")
    return render(request, "public/open_account.html", {"sign_up": sign_up})


@access(PUBLIC)
def client_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The practice's "set up your online account" link: choose a password, or, for an
    address that already has an account, sign in with it and join the record to it."""
    invitation = client_invitation_for_token(token)
    if invitation is None:
        return _closed(request)
    user = signed_in_user(request) if request.user.is_authenticated else None
    has_account = email_has_account(invitation.email)
    form = ChoosePasswordForm(request.POST or None) if not has_account else None
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            joined = accept_client_invitation(
                invitation,
                signed_in=user,
                password=form.cleaned_data["password1"] if form else None,
                request=request,
            )
        except LinkClosed:
            return _closed(request)
        except ValidationError as refused:
            if form is not None:
                form.add_error("password1", refused)
            else:
                error = " ".join(refused.messages)
        else:
            if user is None:
                login(request, joined, backend=SIGN_IN_BACKEND)
            messages.success(request, _("Your online account is ready."))
            return redirect("public:my-account")
    return render(
        request,
        "public/client_invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": has_account,
            "signed_in_as_invited": user is not None and user.email.lower() == invitation.email,
            "sign_in_url": reverse("accounts:login") + "?next=" + request.path,
            "error": error,
        },
    )


@access(SIGNED_IN)
def account_security(request: HttpRequest) -> HttpResponse:
    """Password, sign-in address and sessions of the signed-in person."""
    user = signed_in_user(request)
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ask_to_change_email(
                user,
                new_email=form.cleaned_data["new_email"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as refused:
            for field, reasons in refused.message_dict.items():
                form.add_error(field, reasons)
        else:
            messages.success(
                request,
                _(
                    "We have emailed %(email)s. Your address changes when you follow the link "
                    "in that email."
                )
                % {"email": form.cleaned_data["new_email"]},
            )
            return redirect("public:account-security")
    two_factor_on = has_two_factor(user)
    return render(
        request,
        "public/account_security.html",
        {
            "form": form,
            "person": user,
            "two_factor_on": two_factor_on,
            "recovery_codes_left": recovery_codes_left(user) if two_factor_on else 0,
            "two_factor_required": two_factor_required(user),
        },
    )


@access(PUBLIC)
def confirm_email_change(request: HttpRequest, token: str) -> HttpResponse:
    change = email_change_for_token(token)
    if change is None:
        return _closed(request)
    if request.method == "POST":
        try:
            change_email(token, request=request)
        except LinkClosed:
            return _closed(request)
        messages.success(
            request,
            _("Your address is confirmed: sign in with %(email)s.") % {"email": change.new_email},
        )
        if request.user.is_authenticated:
            return redirect("public:account-security")
        return redirect("accounts:login")
    return render(request, "public/confirm_email_change.html", {"change": change})


@access(SIGNED_IN)
def verify_email(request: HttpRequest) -> HttpResponse:
    """Shown instead of a client's own pages until their address is proved."""
    user = signed_in_user(request)
    if user.email_verified_at is not None:
        return redirect("public:my-account")
    if request.method == "POST":
        ask_to_verify_email(user)
        messages.success(request, _("We have emailed you a link. Follow it to continue."))
        return redirect("public:verify-email")
    return render(request, "public/verify_email.html", {"person": user})


@access(SIGNED_IN)
def sign_out_everywhere_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("public:account-security")
    sign_out_everywhere(request)
    messages.success(request, _("You are signed out on every device, this one too."))
    return redirect("accounts:login")

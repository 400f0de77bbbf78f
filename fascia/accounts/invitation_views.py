"""Accepting a staff invitation from its emailed link (see `fascia.accounts.invitations`)."""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fascia.accounts.access import PUBLIC, access
from fascia.accounts.backends import SIGN_IN_BACKEND
from fascia.accounts.invitations import accept_invitation, invitation_for_token
from fascia.accounts.models import Role, User
from fascia.accounts.practice_context import choose_practice, signed_in_user
from fascia.staff.team_forms import NewAccountForm, TherapistProfileForm


def _closed(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "accounts/invitation_closed.html", {"reason": reason}, status=400)


@access(PUBLIC)
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return _closed(request, _("The link is not one we sent, or a newer one replaced it."))
    if invitation.accepted_at:
        return _closed(request, _("It was already used to join the practice."))
    if invitation.revoked_at:
        return _closed(request, _("The practice withdrew it."))
    if not invitation.is_pending():
        return _closed(request, _("It was sent more than seven days ago."))
    signed_in = signed_in_user(request) if request.user.is_authenticated else None
    if signed_in is not None and signed_in.email.lower() != invitation.email.lower():
        return _closed(
            request,
            _("It is for %(email)s, and you are signed in with another address.")
            % {"email": invitation.email},
        )
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    if has_account and signed_in is None:
        return render(
            request, "accounts/invitation.html", {"invitation": invitation, "must_sign_in": True}
        )
    data = request.POST or None
    account_form = NewAccountForm(data) if signed_in is None else None
    profile_form = (
        TherapistProfileForm(data, request.FILES or None)
        if invitation.role == Role.THERAPIST
        else None
    )
    forms: list[Form] = [form for form in (account_form, profile_form) if form is not None]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            membership = accept_invitation(
                invitation,
                user=signed_in,
                full_name=account_form.cleaned_data["full_name"] if account_form else "",
                password=account_form.cleaned_data["password"] if account_form else None,
                profile=profile_form.profile() if profile_form else None,
            )
        except ValidationError as error:
            target = account_form or profile_form
            if target is None:
                return _closed(request, " ".join(error.messages))
            if hasattr(error, "error_dict"):
                for field, field_messages in error.message_dict.items():
                    owner = next((f for f in forms if field in f.fields), None)
                    (owner or target).add_error(field if owner else None, field_messages)
            else:
                target.add_error("password" if account_form else None, error)
        else:
            if signed_in is None:
                login(request, membership.user, backend=SIGN_IN_BACKEND)
            choose_practice(request, membership.practice_id)
            return redirect("staff:home")
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "account_form": account_form, "profile_form": profile_form},
    )

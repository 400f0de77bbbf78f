"""The owner's team page: who works here in which role, invitations waiting, and inviting,
resending, withdrawing, changing roles and deactivating (`fascia.accounts.invitations`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.access import PRACTICE_SETUP, access
from fascia.accounts.invitations import (
    change_role,
    deactivate_staff,
    invite_staff,
    resend_invitation,
    revoke_invitation,
)
from fascia.accounts.models import StaffInvitation, StaffMember
from fascia.accounts.practice_context import PracticeRequest, signed_in_user
from fascia.accounts.two_factor import turn_off_two_factor
from fascia.staff.team_forms import InviteForm, RoleForm


@access(PRACTICE_SETUP)
def team(request: PracticeRequest) -> HttpResponse:
    practice = request.practice
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite_staff(
                practice,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=signed_in_user(request),
                request=request,
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("staff:team")
    members = StaffMember.objects.for_practice(practice).select_related("user")
    now = timezone.now()
    invitations = list(
        StaffInvitation.objects.for_practice(practice).filter(accepted_at=None, revoked_at=None)
    )
    return render(
        request,
        "staff/team.html",
        {
            "form": form,
            "members": [(member, RoleForm(initial={"role": member.role})) for member in members],
            "invitations": [(i, i.is_pending(now)) for i in invitations],
        },
    )


@access(PRACTICE_SETUP)
def member(request: PracticeRequest, member_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    staff_member = get_object_or_404(
        StaffMember.objects.for_practice(request.practice).select_related("user"), pk=member_id
    )
    by = signed_in_user(request)
    try:
        if request.POST.get("do") == "reset_two_factor":
            turn_off_two_factor(
                staff_member.user, by=by, practice=request.practice, request=request
            )
            messages.success(
                request,
                _("%(name)s sets up two-step sign-in again at their next sign-in.")
                % {"name": staff_member.user.get_full_name()},
            )
        elif request.POST.get("do") == "deactivate":
            deactivate_staff(staff_member, by=by, request=request)
            messages.success(
                request,
                _("%(name)s can no longer sign in here; their records keep their name.")
                % {"name": staff_member.user.get_full_name()},
            )
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a role."))
            change_role(staff_member, role=form.cleaned_data["role"], by=by, request=request)
            messages.success(request, _("Role changed."))
    except ValidationError as error:
        for reason in error.messages:
            messages.error(request, reason)
    return redirect("staff:team")


@access(PRACTICE_SETUP)
def invitation(request: PracticeRequest, invitation_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pending = get_object_or_404(
        StaffInvitation.objects.for_practice(request.practice), pk=invitation_id
    )
    by = signed_in_user(request)
    try:
        if request.POST.get("do") == "revoke":
            revoke_invitation(pending, by=by, request=request)
            messages.success(request, _("Invitation withdrawn: its link no longer works."))
        else:
            resend_invitation(pending, by=by, request=request)
            messages.success(request, _("A new link was sent; the earlier one no longer works."))
    except ValidationError as error:
        for reason in error.messages:
            messages.error(request, reason)
    return redirect("staff:team")

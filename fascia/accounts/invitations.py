"""The practice's team: inviting staff by email, accepting, changing roles, and deactivating
someone who leaves. Every change writes an audit entry.

An invitation's link is made only when its email is sent (`fascia.links`): the token is derived
from the secret key, the invitation and its generation, so resending (a new generation)
retires the old link, and the database keeps only the token's digest. The link works once, for
seven days, and only for the practice and role it was made for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.models import Role, StaffInvitation, StaffMember, User
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.links import absolute, digest_of, keyed_token, link_marker
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, enqueue
from fascia.practices.models import Practice, Therapist

INVITATION_DAYS = 7


def _token(invitation_id: int, generation: int) -> str:
    return keyed_token(f"staff-invitation:{invitation_id}:{generation}")


def invitation_link_url(invitation_id: int) -> str:
    """The invitation's link, made as the email goes out (settings.FASCIA_LINKS)."""
    invitation = StaffInvitation.objects.get(pk=invitation_id)
    token = _token(invitation.pk, invitation.generation)
    return absolute(reverse("accounts:accept-invitation", args=[token]))


def invitation_for_token(token: str) -> StaffInvitation | None:
    """The invitation a link names, whatever its state (the page says why one is closed)."""
    return (
        StaffInvitation.objects.select_related("practice", "invited_by")
        .filter(token_digest=digest_of(token))
        .first()
    )


def _send(invitation: StaffInvitation) -> None:
    practice = invitation.practice
    body = "\n".join(
        [
            _("%(who)s invites you to join %(practice)s on Fascia as %(role)s.")
            % {
                "who": invitation.invited_by.get_full_name(),
                "practice": practice.public_name,
                "role": invitation.get_role_display(),
            },
            "",
            _("To accept, follow this link within seven days (it works once):"),
            link_marker("staff-invitation", invitation.pk),
            "",
            _("If you were not expecting this, ignore this email."),
        ]
    )
    enqueue(
        practice,
        Message(
            channel=Channel.EMAIL,
            to=invitation.email,
            subject=_("Join %(practice)s on Fascia") % {"practice": practice.public_name},
            body=body,
            dedupe_key=f"staff-invitation:{invitation.pk}:{invitation.generation}",
        ),
    )


def _audit(
    practice: Practice, by: User, record: object, detail: str, request: HttpRequest | None
) -> None:
    record_access(
        practice=practice,
        actor=by,
        action=AuditAction.CHANGE,
        record=record,  # type: ignore[arg-type]
        request=request,
        detail=detail,
    )


def invite_staff(
    practice: Practice,
    *,
    email: str,
    role: str,
    by: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> StaffInvitation:
    """Invite someone by email in one role; any earlier pending invitation of theirs to this
    practice is withdrawn."""
    now = now or timezone.now()
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if (
        StaffMember.objects.for_practice(practice)
        .filter(user__email__iexact=email, is_active=True)
        .exists()
    ):
        raise ValidationError({"email": _("This person is already on the team.")})
    with transaction.atomic():
        StaffInvitation.objects.for_practice(practice).filter(
            email__iexact=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=now)
        invitation = StaffInvitation(
            practice=practice,
            email=email,
            role=role,
            invited_by=by,
            sent_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
            # A unique stand-in until the primary key the real token is made from exists.
            token_digest=digest_of(f"pending:{email}:{now.timestamp()}"),
        )
        invitation.save()
        invitation.token_digest = digest_of(_token(invitation.pk, invitation.generation))
        invitation.save(update_fields=["token_digest"])
        _send(invitation)
        _audit(practice, by, invitation, f"invited {email} as {role}", request)
    return invitation


def resend_invitation(
    invitation: StaffInvitation,
    *,
    by: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> StaffInvitation:
    """Send a fresh link for seven more days; the previous link stops working."""
    now = now or timezone.now()
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation was already accepted or withdrawn."))
    with transaction.atomic():
        invitation.generation += 1
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.token_digest = digest_of(_token(invitation.pk, invitation.generation))
        invitation.save(update_fields=["generation", "sent_at", "expires_at", "token_digest"])
        _send(invitation)
        _audit(invitation.practice, by, invitation, "invitation sent again", request)
    return invitation


def revoke_invitation(
    invitation: StaffInvitation, *, by: User, request: HttpRequest | None = None
) -> None:
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _audit(invitation.practice, by, invitation, "invitation withdrawn", request)


@dataclass(frozen=True)
class TherapistProfile:
    """What a therapist tells the practice (and its clients) about themselves on joining."""

    display_name: str
    registration_number: str
    registration_status: str = Therapist.RegistrationStatus.GENERAL
    pronouns: str = ""
    bio: str = ""
    languages: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    photo: Any = None  # an uploaded picture, already checked (storage.check_picture)


def accept_invitation(
    invitation: StaffInvitation,
    *,
    user: User | None = None,
    full_name: str = "",
    password: str | None = None,
    profile: TherapistProfile | None = None,
    now: datetime | None = None,
) -> StaffMember:
    """Join the practice in the invited role: as `user` (signed in, with the invited address)
    or as a new account with `full_name` and `password`. Works once, before it expires."""
    now = now or timezone.now()
    if not invitation.is_pending(now):
        raise ValidationError(_("This invitation is no longer open."), code="closed")
    if user is not None and user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation is for %(email)s: sign in with that address.")
            % {"email": invitation.email},
            code="other-account",
        )
    existing = user or User.objects.filter(email__iexact=invitation.email).first()
    if user is None and existing is not None:
        raise ValidationError(
            _("An account with this address exists: sign in to accept."), code="sign-in"
        )
    if invitation.role == Role.THERAPIST and profile is None:
        raise ValidationError(_("A therapist's profile is needed to join as a therapist."))
    practice = invitation.practice
    # The invitation's link proved the address.
    person = existing or User(
        email=invitation.email, full_name=full_name.strip(), email_verified_at=timezone.now()
    )
    if existing is None:
        validate_password(password or "", person)
    therapist = None
    if profile is not None and invitation.role == Role.THERAPIST:
        therapist = Therapist(
            practice=practice,
            user=person,
            display_name=profile.display_name.strip(),
            pronouns=profile.pronouns.strip(),
            bio=profile.bio.strip(),
            languages=profile.languages,
            modalities=profile.modalities,
            registration_number=profile.registration_number.strip(),
            registration_status=profile.registration_status,
        )
        therapist.full_clean(exclude=["user"])
    with transaction.atomic():
        locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at or locked.revoked_at:
            raise ValidationError(_("This invitation is no longer open."), code="closed")
        if existing is None:
            person.set_password(password)
            person.save()
        membership, _created = StaffMember.objects.update_or_create(
            practice=practice,
            user=person,
            defaults={"role": invitation.role, "is_active": True},
        )
        if therapist is not None:
            earlier = Therapist.objects.for_practice(practice).filter(user=person).first()
            if earlier is not None:
                therapist.pk = earlier.pk
            therapist.user = person
            therapist.is_active = True
            if profile is not None and profile.photo:
                therapist.photo.save(profile.photo.name or "photo", profile.photo, save=False)
            therapist.save()
        locked.accepted_at = now
        locked.accepted_by = person
        locked.save(update_fields=["accepted_at", "accepted_by"])
        _audit(practice, person, membership, f"joined as {invitation.role}", None)
    return membership


def change_role(
    member: StaffMember, *, role: str, by: User, request: HttpRequest | None = None
) -> StaffMember:
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    _keep_an_owner(member, leaving=role != Role.OWNER)
    with transaction.atomic():
        before = member.role
        member.role = role
        member.save(update_fields=["role"])
        _audit(member.practice, by, member, f"role {before} → {role}", request)
    return member


def deactivate_staff(
    member: StaffMember, *, by: User, request: HttpRequest | None = None
) -> StaffMember:
    """Someone leaves: they can no longer sign in to this practice (nor at all, when they have
    no other practice or client account); their notes, receipts and visits keep their name.
    A therapist is no longer offered for booking."""
    _keep_an_owner(member, leaving=True)
    if member.user_id == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    with transaction.atomic():
        member.is_active = False
        member.save(update_fields=["is_active"])
        Therapist.objects.for_practice(member.practice).filter(user_id=member.user_id).update(
            is_active=False
        )
        person = member.user
        elsewhere = StaffMember.objects.filter(user=person, is_active=True).exists()
        if not elsewhere and not person.client_records.exists():
            person.is_active = False
            person.save(update_fields=["is_active"])
        _audit(member.practice, by, member, "deactivated", request)
    return member


def _keep_an_owner(member: StaffMember, *, leaving: bool) -> None:
    if not (leaving and member.role == Role.OWNER and member.is_active):
        return
    owners = StaffMember.objects.for_practice(member.practice).filter(
        role=Role.OWNER, is_active=True
    )
    if not owners.exclude(pk=member.pk).exists():
        raise ValidationError(_("The practice needs at least one owner."))

"""Clients' online accounts: opening one from a practice's booking site, the practice's "set up
your online account" invitation, changing the sign-in address, and signing out everywhere.

Every address is proved before it counts. Signing up keeps the form (the password only as its
hash) and emails a link; the account exists only once the link is followed, so nobody can take
an address that is not theirs. The answer on the page is the same whether or not the address
already has an account: the email tells the difference. A new account is joined to the
practice's existing record of the person only by that proved address, and only when exactly
one record without a login has it (never by name); otherwise a record is opened, or, when
several share the address, the practice links the right one with an invitation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.models import User
from fascia.accounts.practice_context import practice_of_person
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.actions import register_client, update_client
from fascia.clients.models import Client
from fascia.links import (
    absolute,
    digest_of,
    link_marker,
    record_token,
    seal_with_keyed_token,
    unique_placeholder,
)
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, email_person, enqueue
from fascia.practices.models import Practice
from fascia.public.models import ClientAccountInvitation, ClientSignUp, EmailChange

SIGN_UP_LIFETIME = timedelta(hours=24)
INVITATION_LIFETIME = timedelta(days=7)
EMAIL_CHANGE_LIFETIME = timedelta(hours=24)
# At most this many sign-up emails to one address in an hour, so the form cannot flood an inbox.
SIGN_UPS_PER_HOUR = 3


class LinkClosed(Exception):
    """The link is unknown, tampered with, expired or already used."""


def email_has_account(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


# --- Signing up on the booking site -------------------------------------------------------


@dataclass(frozen=True)
class NewClientAccount:
    email: str
    legal_first_name: str
    legal_last_name: str
    password: str


def ask_for_client_account(
    practice: Practice, account: NewClientAccount, *, now: datetime | None = None
) -> None:
    """Check the password against the deployment's rules (ValidationError with the reasons),
    then email the address: a link that opens the account, or, when it already has one, how
    to sign in or reset the password. The caller answers the same in both cases."""
    now = now or timezone.now()
    email = account.email.strip().lower()
    full_name = f"{account.legal_first_name} {account.legal_last_name}".strip()
    validate_password(account.password, User(email=email, full_name=full_name))
    if User.objects.filter(email__iexact=email).exists():
        _email_existing_account(practice, email, now)
        return
    recent = ClientSignUp.objects.for_practice(practice).filter(
        email=email, created_at__gt=now - timedelta(hours=1)
    )
    if recent.count() >= SIGN_UPS_PER_HOUR:
        return
    with transaction.atomic():
        sign_up = ClientSignUp.objects.create(
            practice=practice,
            email=email,
            legal_first_name=account.legal_first_name.strip(),
            legal_last_name=account.legal_last_name.strip(),
            password=make_password(account.password),
            token_digest=unique_placeholder(),
            created_at=now,
            expires_at=now + SIGN_UP_LIFETIME,
        )
        seal_with_keyed_token(sign_up, "client-sign-up")
        body = "\n".join(
            [
                _("Welcome to %(practice)s's online booking.") % {"practice": practice.public_name},
                "",
                _("To open your account, follow this link within 24 hours:"),
                link_marker("client-sign-up", sign_up.pk),
                "",
                _("If you did not ask for an account, ignore this email: nothing was created."),
            ]
        )
        enqueue(
            practice,
            Message(
                channel=Channel.EMAIL,
                to=email,
                subject=_("Open your account at %(practice)s") % {"practice": practice.public_name},
                body=body,
                dedupe_key=f"client-sign-up:{sign_up.pk}",
            ),
        )


def _email_existing_account(practice: Practice, email: str, now: datetime) -> None:
    body = "\n".join(
        [
            _("Someone, probably you, asked to open an account at %(practice)s with this address.")
            % {"practice": practice.public_name},
            "",
            _("This address already has an account. Sign in here:"),
            absolute(reverse("accounts:login")),
            "",
            _("Forgot the password? Choose a new one here:"),
            absolute(reverse("public:password-reset")),
        ]
    )
    enqueue(
        practice,
        Message(
            channel=Channel.EMAIL,
            to=email,
            subject=_("You already have an account at %(practice)s")
            % {"practice": practice.public_name},
            body=body,
            dedupe_key=f"client-sign-up-known:{email}:{now:%Y%m%d%H}",
        ),
    )


def sign_up_link_url(sign_up_id: int) -> str:
    """The link, made as the email goes out (settings.FASCIA_LINKS)."""
    return absolute(
        reverse("public:open-account", args=[record_token("client-sign-up", sign_up_id)])
    )


def client_sign_up_for_token(token: str, now: datetime | None = None) -> ClientSignUp | None:
    """The sign-up a link opens, or None (unknown, expired or already used)."""
    return (
        ClientSignUp.objects.select_related("practice")
        .filter(
            token_digest=digest_of(token),
            expires_at__gt=now or timezone.now(),
            completed_at=None,
        )
        .first()
    )


def open_client_account(
    token: str, *, request: HttpRequest | None = None, now: datetime | None = None
) -> User:
    """Open the account a sign-up link stands for, with its record at the practice: all of it
    or nothing, once."""
    now = now or timezone.now()
    with transaction.atomic():
        sign_up = client_sign_up_for_token(token, now)
        if sign_up is None:
            raise LinkClosed
        sign_up = ClientSignUp.objects.select_for_update().get(pk=sign_up.pk)
        if (
            sign_up.completed_at is not None
            or User.objects.filter(email__iexact=sign_up.email).exists()
        ):
            raise LinkClosed
        user = User(
            email=sign_up.email,
            full_name=f"{sign_up.legal_first_name} {sign_up.legal_last_name}".strip(),
            password=sign_up.password,
            email_verified_at=now,
        )
        user.save()
        _join_record(
            sign_up.practice,
            user,
            legal_first_name=sign_up.legal_first_name,
            legal_last_name=sign_up.legal_last_name,
            request=request,
        )
        sign_up.completed_at = now
        sign_up.password = ""  # the account holds it now
        sign_up.save(update_fields=["completed_at", "password"])
    return user


def _join_record(
    practice: Practice,
    user: User,
    *,
    legal_first_name: str,
    legal_last_name: str,
    request: HttpRequest | None,
) -> Client | None:
    """Link the practice's one record with this proved address and no login yet, or open a
    record when there is none. Several records with the address: none is guessed at."""
    unclaimed = list(
        Client.objects.for_practice(practice).filter(email__iexact=user.email, user=None)[:2]
    )
    if len(unclaimed) == 1:
        return update_client(unclaimed[0], by=user, request=request, user=user)
    if unclaimed:
        return None
    return register_client(
        practice,
        by=user,
        request=request,
        user=user,
        email=user.email,
        legal_first_name=legal_first_name,
        legal_last_name=legal_last_name,
    )


# --- The practice invites a client it registered at the desk -------------------------------


def invite_client_online(
    client: Client, *, by: User, request: HttpRequest | None = None, now: datetime | None = None
) -> ClientAccountInvitation:
    """Email the client a link to set up an online account joined to this record; an earlier
    invitation's link stops working."""
    now = now or timezone.now()
    if client.user_id is not None:
        raise ValidationError(_("This client already has an online account."))
    if not client.email:
        raise ValidationError(_("Add the client's email address first."))
    practice = client.practice
    with transaction.atomic():
        ClientAccountInvitation.objects.filter(client=client, accepted_at=None).update(
            expires_at=now
        )
        invitation = ClientAccountInvitation.objects.create(
            practice=practice,
            client=client,
            email=client.email.strip().lower(),
            invited_by=by,
            token_digest=unique_placeholder(),
            sent_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        seal_with_keyed_token(invitation, "client-account-invitation")
        body = "\n".join(
            [
                _("%(practice)s invites you to set up your online account.")
                % {"practice": practice.public_name},
                _("With it you can book, fill in forms and download your receipts."),
                "",
                _("Follow this link within seven days (it works once):"),
                link_marker("client-account-invitation", invitation.pk),
                "",
                _("If you were not expecting this, ignore this email."),
            ]
        )
        enqueue(
            practice,
            Message(
                channel=Channel.EMAIL,
                to=invitation.email,
                subject=_("Set up your online account at %(practice)s")
                % {"practice": practice.public_name},
                body=body,
                dedupe_key=f"client-account-invitation:{invitation.pk}",
            ),
        )
        record_access(
            practice=practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=client,
            request=request,
            detail=gettext_noop("invited to set up an online account"),
        )
    return invitation


def client_invitation_link_url(invitation_id: int) -> str:
    """The link, made as the email goes out (settings.FASCIA_LINKS)."""
    return absolute(
        reverse(
            "public:client-invitation",
            args=[record_token("client-account-invitation", invitation_id)],
        )
    )


def client_invitation_for_token(
    token: str, now: datetime | None = None
) -> ClientAccountInvitation | None:
    """The invitation a link stands for while it can still be accepted, else None."""
    return (
        ClientAccountInvitation.objects.select_related("practice", "client")
        .filter(
            token_digest=digest_of(token),
            expires_at__gt=now or timezone.now(),
            accepted_at=None,
            client__user=None,
        )
        .first()
    )


def accept_client_invitation(
    invitation: ClientAccountInvitation,
    *,
    signed_in: User | None = None,
    password: str | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> User:
    """Join the invited record to a login: the signed-in person's, if theirs is the invited
    address, or a new account with `password`. Raises ValidationError with the reason."""
    now = now or timezone.now()
    email = invitation.email
    with transaction.atomic():
        invitation = ClientAccountInvitation.objects.select_for_update().get(pk=invitation.pk)
        client = Client.objects.select_for_update().get(pk=invitation.client_id)
        if invitation.accepted_at is not None or invitation.expires_at <= now or client.user_id:
            raise LinkClosed
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            if signed_in is None or signed_in.pk != existing.pk:
                raise ValidationError(
                    _("This address already has an account: sign in with it to continue.")
                )
            user = existing
        else:
            if password is None:
                raise ValidationError(_("Choose a password."))
            user = User(
                email=email, full_name=f"{client.legal_first_name} {client.legal_last_name}"
            )
            validate_password(password, user)
            user.set_password(password)
            user.email_verified_at = now
            user.save()
        update_client(client, by=user, request=request, user=user)
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
    return user


# --- Changing the sign-in address ----------------------------------------------------------


def ask_to_change_email(
    user: User, *, new_email: str, password: str, now: datetime | None = None
) -> None:
    """After the current password, email the new address a link that makes the change (or,
    if it already has an account, says so), and tell the current address. The caller answers
    the same either way."""
    now = now or timezone.now()
    new_email = new_email.strip().lower()
    if not user.check_password(password):
        raise ValidationError({"password": _("That is not your current password.")})
    if new_email == user.email.lower():
        raise ValidationError({"new_email": _("That is already your address.")})
    practice = practice_of_person(user)
    if User.objects.filter(email__iexact=new_email).exists():
        email_person(
            practice,
            Message(
                channel=Channel.EMAIL,
                to=new_email,
                subject=_("Your address was not changed"),
                body=_(
                    "Someone asked to move a Fascia account to this address, but this address "
                    "already has its own account, so nothing was changed."
                ),
            ),
        )
        return
    with transaction.atomic():
        change = _new_email_change(user, new_email, now)
        email_person(
            practice,
            Message(
                channel=Channel.EMAIL,
                to=new_email,
                subject=_("Confirm your new address"),
                body="\n".join(
                    [
                        _(
                            "To sign in with this address from now on, follow this link within "
                            "24 hours:"
                        ),
                        link_marker("email-change", change.pk),
                        "",
                        _("If you did not ask for this, ignore this email: nothing changes."),
                    ]
                ),
            ),
        )
        email_person(
            practice,
            Message(
                channel=Channel.EMAIL,
                to=user.email,
                subject=_("A change of your sign-in address was asked for"),
                body=_(
                    "Someone signed in to your account asked to sign in with a new address "
                    "from now on. If this was not you, change your password now and sign out "
                    "everywhere; the change happens only if the new address confirms it."
                ),
            ),
        )


def ask_to_verify_email(user: User, *, now: datetime | None = None) -> None:
    """Email the person's own address a link that proves it (an address nobody has proved
    yet, e.g. of an account a platform operator made)."""
    now = now or timezone.now()
    with transaction.atomic():
        change = _new_email_change(user, user.email, now)
        email_person(
            practice_of_person(user),
            Message(
                channel=Channel.EMAIL,
                to=user.email,
                subject=_("Confirm your email address"),
                body="\n".join(
                    [
                        _("To confirm this is your address, follow this link within 24 hours:"),
                        link_marker("email-change", change.pk),
                    ]
                ),
            ),
        )


def _new_email_change(user: User, new_email: str, now: datetime) -> EmailChange:
    """A new address waiting for its link; any earlier one's link stops working."""
    EmailChange.objects.filter(user=user, done_at=None).update(expires_at=now)
    change = EmailChange.objects.create(
        user=user,
        new_email=new_email,
        token_digest=unique_placeholder(),
        requested_at=now,
        expires_at=now + EMAIL_CHANGE_LIFETIME,
    )
    seal_with_keyed_token(change, "email-change")
    return change


def email_change_link_url(change_id: int) -> str:
    """The link, made as the email goes out (settings.FASCIA_LINKS)."""
    return absolute(
        reverse("public:confirm-email-change", args=[record_token("email-change", change_id)])
    )


def email_change_for_token(token: str, now: datetime | None = None) -> EmailChange | None:
    return (
        EmailChange.objects.select_related("user")
        .filter(token_digest=digest_of(token), expires_at__gt=now or timezone.now(), done_at=None)
        .first()
    )


def change_email(
    token: str, *, request: HttpRequest | None = None, now: datetime | None = None
) -> User:
    """Make the change a link stands for: the login's address and, where the client records
    joined to it carried the old address, theirs too (each change audited)."""
    now = now or timezone.now()
    with transaction.atomic():
        change = email_change_for_token(token, now)
        if change is None:
            raise LinkClosed
        change = EmailChange.objects.select_for_update().get(pk=change.pk)
        if (
            change.done_at is not None
            or User.objects.filter(email__iexact=change.new_email)
            .exclude(pk=change.user_id)
            .exists()
        ):
            raise LinkClosed
        user = User.objects.select_for_update().get(pk=change.user_id)
        old_email = user.email
        user.email = change.new_email
        user.email_verified_at = now
        user.save(update_fields=["email", "email_verified_at"])
        for client in Client.objects.filter(user=user, email__iexact=old_email):
            update_client(client, by=user, request=request, email=change.new_email)
        change.done_at = now
        change.save(update_fields=["done_at"])
    return user


# --- Signing out everywhere -----------------------------------------------------------------


def sign_out_everywhere(request: HttpRequest) -> None:
    """End every session of the signed-in person, on every device, this one included."""
    user: Any = request.user
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    logout(request)

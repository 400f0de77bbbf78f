"""Starting a practice: a new owner's account, the practice and its first staff member.

The owner first proves the email address: "Start your practice" asks only for it and always
answers "check your email" (so the page never tells whether an address has an account); the
email carries a signed link, valid for `START_LINK_DAYS`, to the form that creates the account
and the practice. With `FASCIA_PRACTICE_SIGN_UP = "invitation"` the public page is closed and a
platform operator makes that link with `fascia createpractice --invite EMAIL`. The practice
starts with online booking closed; the set-up checklist opens it.

There is no practice yet, so these emails go straight through Django's mail backend rather than
a practice's outbox (like a platform operator's password reset).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.models import Role, StaffMember, User
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.links import absolute
from fascia.practices.models import Practice, Therapist

logger = logging.getLogger(__name__)

START_LINK_SALT = "fascia.accounts.start-practice"
START_LINK_DAYS = 7


def sign_up_is_open() -> bool:
    return getattr(settings, "FASCIA_PRACTICE_SIGN_UP", "open") == "open"


def start_link(email: str) -> str:
    token = signing.dumps({"email": email.strip().lower()}, salt=START_LINK_SALT, compress=True)
    return absolute(reverse("accounts:start-practice-finish", args=[token]))


def email_of_start_link(token: str) -> str | None:
    """The address a start link was sent to, or None if it is tampered with or too old."""
    try:
        payload = signing.loads(
            token, salt=START_LINK_SALT, max_age=timedelta(days=START_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    email = payload.get("email") if isinstance(payload, dict) else None
    return email if isinstance(email, str) and email else None


def ask_to_start_practice(email: str) -> None:
    """Email the address either the link to start a practice or, if it already has an
    account, how to sign in instead. The caller answers the same in both cases."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        body = "\n".join(
            [
                _("Someone, probably you, asked to start a practice on Fascia with this address."),
                "",
                _("This address already has a Fascia account. Sign in here:"),
                absolute(reverse("accounts:login")),
                "",
                _("Forgot the password? Reset it from the sign-in page."),
            ]
        )
    else:
        body = "\n".join(
            [
                _("Welcome to Fascia. To start your practice, follow this link within seven days:"),
                start_link(email),
                "",
                _("If you did not ask for this, ignore this email: nothing was created."),
            ]
        )
    send_mail(_("Start your practice on Fascia"), body, None, [email])
    logger.info("Start-a-practice email sent.")


@dataclass(frozen=True)
class NewPractice:
    """What the owner tells Fascia about the practice when starting it."""

    name: str
    slug: str
    time_zone: str
    province: str
    tax_number: str = ""
    registration_number: str = ""  # the owner's CMTO number, if the owner treats clients


def start_practice(
    *, email: str, full_name: str, password: str | None, practice: NewPractice
) -> StaffMember:
    """Create the owner's account (or use it, when `password` is None and the account exists:
    an operator's command), the practice, and the owner's staff membership — and, with a
    registration number, the owner's therapist profile. All or nothing."""
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and password is not None:
        raise ValidationError(
            _("This link was already used: the account exists. Please sign in."), code="used"
        )
    errors: dict[str, list[str]] = {}
    new = Practice(
        name=practice.name.strip(),
        slug=practice.slug.strip().lower(),
        time_zone=practice.time_zone,
        province=practice.province,
        tax_number=practice.tax_number.strip(),
        booking_open=False,
    )
    try:
        new.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    # The start link proved the address.
    owner = existing or User(
        email=email, full_name=full_name.strip(), email_verified_at=timezone.now()
    )
    if password is not None:
        try:
            validate_password(password, owner)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if existing is None:
            owner.set_password(password)
            owner.save()
        new.save()
        membership = StaffMember.objects.create(practice=new, user=owner, role=Role.OWNER)
        if practice.registration_number.strip():
            therapist = Therapist(
                practice=new,
                user=owner,
                display_name=owner.full_name or email,
                registration_number=practice.registration_number.strip(),
            )
            therapist.full_clean()
            therapist.save()
        record_access(
            practice=new,
            actor=owner,
            action=AuditAction.CREATE,
            record=new,
            detail=gettext_noop("practice started"),
        )
    return membership

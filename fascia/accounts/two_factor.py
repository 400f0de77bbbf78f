"""Two-step sign-in: a code from an authenticator app (TOTP, through django-otp) after the
password, with one-time recovery codes for a lost phone.

Staff must use it where `FASCIA_STAFF_TWO_FACTOR = "required"` (production): until they have
set it up, every page sends them to set it up. Clients may turn it on. django-otp keeps the
authenticator's secret and throttles wrong codes; recovery codes are kept here, as digests only
(like every other secret in Fascia), each spent by its use.
"""

from __future__ import annotations

import base64
import secrets
import time
from datetime import datetime

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fascia.accounts.models import RecoveryCode, StaffMember, User
from fascia.accounts.practice_context import practice_of_person
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.links import digest_of
from fascia.practices.models import Practice

RECOVERY_CODE_COUNT = 10
# What the session still owes after the password: "code", "set-up" or "" (nothing).
SECOND_STEP_OWED = "fascia_second_step_owed"
DEVICE_NAME = "Authenticator app"


def two_factor_required(user: User) -> bool:
    """Whether this person may not work without two-step sign-in: staff, where the deployment
    requires it."""
    if getattr(settings, "FASCIA_STAFF_TWO_FACTOR", "optional") != "required":
        return False
    return StaffMember.objects.filter(user=user, is_active=True).exists()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_step_owed(user: User) -> str:
    """What a session signed in with the password alone owes before any page."""
    if has_two_factor(user):
        return "code"
    return "set-up" if two_factor_required(user) else ""


@receiver(user_logged_in)
def _on_sign_in(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SECOND_STEP_OWED] = second_step_owed(user)


def code_still_owed(request: HttpRequest) -> bool:
    """Whether this session signed in with the password and still owes the app's code. The
    session says so (`SECOND_STEP_OWED`, settled by `verify_second_step`); django-otp's
    middleware, which would read the device on every request to answer the same question, is
    not installed."""
    return request.session.get(SECOND_STEP_OWED) == "code"


def _second_step_done(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    request.session[SECOND_STEP_OWED] = ""


def new_authenticator_key() -> str:
    """A fresh secret for an authenticator app (hex, as django-otp stores it)."""
    return secrets.token_hex(20)


def key_for_typing(key: str) -> str:
    """The secret as an authenticator app asks for it when typed: base32, in groups of four."""
    encoded = base64.b32encode(bytes.fromhex(key)).decode()
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def setup_address(user: User, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=key, name=DEVICE_NAME).config_url


def _recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(5)).decode().lower()
    return f"{raw[:4]}-{raw[4:]}"


def _normalised(code: str) -> str:
    return code.strip().lower().replace(" ", "").replace("-", "")


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes; the new ones are shown once and kept as digests."""
    codes = [_recovery_code() for _unused in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, digest=digest_of(_normalised(code))) for code in codes
        )
    return codes


def turn_on_two_factor(request: HttpRequest, user: User, *, key: str, code: str) -> list[str]:
    """Keep the authenticator whose first code is right, end every other session (they were
    opened with the password alone), count this one as verified and return the new recovery
    codes. A wrong code raises ValidationError and keeps nothing."""
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if not code.strip().isdigit() or not totp.verify(int(code.strip()), tolerance=1):
        raise ValidationError(
            _("That code is not the one your app shows now. Check the time on your phone.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, key=key, confirmed=True, last_t=totp.t()
        )
        codes = new_recovery_codes(user)
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        _audit(user, "turned on two-step sign-in", request)
    update_session_auth_hash(request, user)
    _second_step_done(request, device)
    return codes


def verify_second_step(request: HttpRequest, user: User, code: str) -> bool:
    """Accept the app's current code, or spend one recovery code; either marks this session
    as verified. django-otp throttles wrong app codes (each wait longer than the last)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return False
    if code.strip().isdigit():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            verified = device.verify_token(code.strip())
    else:
        verified = _spend_recovery_code(user, code)
        if verified:
            _audit(user, "signed in with a recovery code", request)
    if verified:
        _second_step_done(request, device)
    return verified


def _spend_recovery_code(user: User, code: str, now: datetime | None = None) -> bool:
    spent = RecoveryCode.objects.filter(
        user=user, digest=digest_of(_normalised(code)), used_at=None
    ).update(used_at=now or timezone.now())
    return spent == 1


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


def turn_off_two_factor(
    user: User,
    *,
    by: User,
    practice: Practice | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Remove the authenticator and recovery codes: by the person themself (refused where
    staff must use it), or by an owner for a staff member who lost their phone (they set it up
    again at their next sign-in)."""
    if by.pk == user.pk and two_factor_required(user):
        raise ValidationError(
            _("Staff must use two-step sign-in here; set up a new phone instead.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        detail = (
            "turned off two-step sign-in"
            if by.pk == user.pk
            else f"reset the two-step sign-in of {user.email}"
        )
        _audit(by, detail, request, practice)


def _audit(
    actor: User, detail: str, request: HttpRequest | None, practice: Practice | None = None
) -> None:
    practice = practice or practice_of_person(actor)
    if practice is None:
        return  # a platform operator: no practice's log to write to
    record_access(
        practice=practice,
        actor=actor,
        action=AuditAction.CHANGE,
        record_type="sign-in",
        request=request,
        detail=detail,
    )

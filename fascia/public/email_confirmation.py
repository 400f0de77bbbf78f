"""Booking online without signing in, confirmed by an emailed link.

Whether an email address belongs to one of the practice's clients is itself health information,
so the booking form answers everyone the same way — "we have emailed you a link to confirm" —
and the email carries the difference: a new person's link books and opens their account; the
holder of an existing account is told they have one, and their link books the visit into it
(following the link proves the address is theirs; it does not sign them in). Only the person
who reads that inbox can book in its name, and nobody can choose a password for someone
else's address: a new account chooses its password after following the link.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fascia.clients.actions import register_client, register_client_account
from fascia.clients.models import Client
from fascia.languages import supported
from fascia.links import absolute, digest_of, keyed_token, link_marker
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, enqueue
from fascia.practices.models import Location, Practice, Service, Therapist
from fascia.public.models import UnconfirmedBooking
from fascia.scheduling.booking import BookingRequest, VisitAddress, book_appointment
from fascia.scheduling.errors import BookingError
from fascia.scheduling.models import Appointment, BookingChannel
from fascia.scheduling.wording import when_text_of

# How long the emailed link books the time (the hold itself is shorter: after it, the time is
# booked if it is still free).
LINK_LIFETIME = timedelta(hours=2)


@dataclass(frozen=True)
class Person:
    """Who the details form says is coming."""

    email: str
    legal_first_name: str
    legal_last_name: str
    phone: str = ""


@dataclass(frozen=True)
class Confirmed:
    appointment: Appointment
    client: Client
    new_account: bool  # the account was opened by this link (so the person may sign in now)


def ask_to_confirm_by_email(
    practice: Practice,
    *,
    person: Person,
    service: Service,
    therapist: Therapist,
    location: Location,
    start: datetime,
    minutes: int,
    address: VisitAddress | None,
    accepts_cancellation_policy: bool,
    hold_token: str | None,
    idempotency_key: str,
    now: datetime | None = None,
) -> UnconfirmedBooking:
    """Keep the booking as asked and email its link, the same way for every address. The same
    form sent twice (its idempotency key) sends one email."""
    if not accepts_cancellation_policy:
        raise BookingError(
            _("Please read and accept the cancellation policy before booking: ")
            + practice.cancellation_policy,
            field="accepts_cancellation_policy",
        )
    now = now or timezone.now()
    key = idempotency_key or secrets.token_urlsafe(16)
    with transaction.atomic():
        asked = UnconfirmedBooking.objects.filter(practice=practice, idempotency_key=key).first()
        if asked is not None:
            return asked
        asked = UnconfirmedBooking.objects.create(
            practice=practice,
            email=person.email.strip().lower(),
            legal_first_name=person.legal_first_name,
            legal_last_name=person.legal_last_name,
            phone=person.phone,
            service=service,
            therapist=therapist,
            location=location,
            starts_at=start,
            minutes=minutes,
            visit_street=address.street if address else "",
            visit_unit=address.unit if address else "",
            visit_city=address.city if address else "",
            visit_postal_code=address.postal_code if address else "",
            accepts_cancellation_policy=True,
            hold_token=hold_token or "",
            idempotency_key=key,
            language=supported(translation.get_language()) or "en",
            token_digest=secrets.token_hex(32),  # replaced below, once it has an id
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
        asked.token_digest = digest_of(confirmation_token(asked))
        asked.save(update_fields=["token_digest"])
        transaction.on_commit(lambda: _email(asked))
    return asked


def confirmation_token(asked: UnconfirmedBooking) -> str:
    """The token of the booking's link: derived from the secret key, never stored."""
    return keyed_token(f"unconfirmed-booking:{asked.practice_id}:{asked.pk}")


def confirmation_link_url(asked_id: int) -> str:
    """The link, made as the email goes out (settings.FASCIA_LINKS)."""
    asked = UnconfirmedBooking.objects.select_related("practice").get(pk=asked_id)
    path = reverse("public:confirm-booking", args=[asked.practice.slug, confirmation_token(asked)])
    return absolute(path)


def _email(asked: UnconfirmedBooking) -> None:
    with translation.override(asked.language):
        _email_in_its_language(asked)


def _email_in_its_language(asked: UnconfirmedBooking) -> None:
    practice = asked.practice
    when = when_text_of(asked.starts_at.astimezone(practice.zone))
    link = link_marker("booking-confirmation", asked.pk)
    known = get_user_model().objects.filter(email=asked.email).exists()
    opening = (
        _(
            "You already have an account with us under this address. To book this time into "
            "it, follow this link within two hours:"
        )
        if known
        else _("To confirm it and open your account, follow this link within two hours:")
    )
    body = "\n".join(
        [
            _("Someone, probably you, asked to book %(service)s with %(therapist)s on %(when)s.")
            % {
                "service": asked.service.name,
                "therapist": asked.therapist.display_name,
                "when": when,
            },
            "",
            opening,
            link,
            "",
            _("If this was not you, ignore this email: nothing is booked until the link is used."),
            "",
            practice.public_name,
        ]
    )
    enqueue(
        practice,
        Message(
            channel=Channel.EMAIL,
            to=asked.email,
            subject=_("Confirm your booking at %(practice)s") % {"practice": practice.public_name},
            body=body,
            dedupe_key=f"booking-confirmation:{asked.pk}",
        ),
    )


def unconfirmed_booking(token: str, now: datetime | None = None) -> UnconfirmedBooking | None:
    """The booking a link asks to confirm, or None (unknown or expired)."""
    return (
        UnconfirmedBooking.objects.select_related("practice", "service", "therapist", "location")
        .filter(token_digest=digest_of(token), expires_at__gt=now or timezone.now())
        .first()
    )


def confirm_booking(token: str, *, request: Any = None, now: datetime | None = None) -> Confirmed:
    """Book the time the link stands for, into the address's account (opened now if there is
    none): all of it, or nothing. Following the link again shows the same booking."""
    now = now or timezone.now()
    with transaction.atomic():
        asked = unconfirmed_booking(token, now)
        if asked is None:
            raise BookingError(_("This link has expired; please choose a time again."))
        asked = UnconfirmedBooking.objects.select_for_update().get(pk=asked.pk)
        if asked.appointment is not None:
            client = asked.appointment.client
            return Confirmed(asked.appointment, client, new_account=False)
        practice = asked.practice
        user = get_user_model().objects.filter(email=asked.email).first()
        if user is None:
            client = register_client_account(
                practice,
                email=asked.email,
                password=None,
                legal_first_name=asked.legal_first_name,
                legal_last_name=asked.legal_last_name,
                phone=asked.phone,
                preferred_language=asked.language,
                request=request,
            )
        else:
            client = Client.objects.filter(practice=practice, user=user).first() or (
                register_client(
                    practice,
                    by=user,
                    request=request,
                    user=user,
                    email=asked.email,
                    phone=asked.phone,
                    legal_first_name=asked.legal_first_name,
                    legal_last_name=asked.legal_last_name,
                )
            )
        address = (
            VisitAddress(
                asked.visit_street, asked.visit_city, asked.visit_postal_code, asked.visit_unit
            )
            if asked.visit_postal_code
            else None
        )
        result = book_appointment(
            practice,
            BookingRequest(
                client=client,
                service=asked.service,
                therapist=asked.therapist,
                location=asked.location,
                start=asked.starts_at,
                minutes=asked.minutes,
                by=client.user,
                channel=BookingChannel.ONLINE,
                hold_token=asked.hold_token or None,
                idempotency_key=f"emailed-{asked.pk}",
                accepts_cancellation_policy=asked.accepts_cancellation_policy,
                address=address,
                request=request,
            ),
            now=now,
        )
        asked.confirmed_at = now
        asked.appointment = result.appointment
        asked.save(update_fields=["confirmed_at", "appointment"])
    return Confirmed(result.appointment, client, new_account=user is None)


def choose_first_password(user: Any, new_password1: str, new_password2: str) -> list[str]:
    """An account opened by an emailed link chooses its first password: the reasons it was
    refused (the deployment's password rules), or none once it is saved."""
    if user.has_usable_password():
        return [_("Your account already has a password.")]
    form = SetPasswordForm(user, {"new_password1": new_password1, "new_password2": new_password2})
    if not form.is_valid():
        return [str(error) for errors in form.errors.values() for error in errors]
    form.save()
    return []


def forget_unconfirmed_bookings(now: datetime | None = None) -> int:
    """Worker job: a booking whose link was never followed is nobody's record; its details
    (a name, an address, a phone number) are removed a day after the link expired."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    removed, _by_model = UnconfirmedBooking.objects.filter(
        appointment=None, expires_at__lt=cutoff
    ).delete()
    return removed

"""The waitlist: clients asking for an earlier time get a freed slot offered to them in turn.

When a visit is cancelled or moved away, the freed start is offered to the first waiting client
it suits (their service, therapist or anyone, date range and times of day; for a home visit,
only if the therapist can reach them in time). The time is held for them for the practice's
`waitlist_offer_minutes`; the worker passes an unanswered offer to the next client. Accepting
books through `book_appointment`, with the offer's hold, like any other booking.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.documents import document_language
from fascia.links import absolute, digest_of, keyed_token, link_marker
from fascia.practices.models import Location, Practice, Service, Therapist
from fascia.scheduling.booking import (
    BookingRequest,
    VisitAddress,
    book_appointment,
    locate_home_visit,
)
from fascia.scheduling.errors import BookingError, SlotUnavailable
from fascia.scheduling.geography import locate_visit
from fascia.scheduling.holds import hold_slot
from fascia.scheduling.messages import tell_client
from fascia.scheduling.models import (
    Appointment,
    BookingChannel,
    OfferStatus,
    SlotHold,
    TimeOfDay,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from fascia.scheduling.schedule import duration_for, location_offers, offers
from fascia.scheduling.wording import time_text, when_text_of

logger = logging.getLogger(__name__)

TIMES_OF_DAY = {
    TimeOfDay.MORNING: (time(0), time(12)),
    TimeOfDay.AFTERNOON: (time(12), time(17)),
    TimeOfDay.EVENING: (time(17), time.max),
}


def suits(entry: WaitlistEntry, local_start: datetime) -> bool:
    """Whether a start (in the practice's local time) is in the client's dates and times."""
    if not entry.earliest_date <= local_start.date() <= entry.latest_date:
        return False
    if not entry.times_of_day:
        return True
    return any(
        TIMES_OF_DAY[TimeOfDay(part)][0] <= local_start.time() < TIMES_OF_DAY[TimeOfDay(part)][1]
        for part in entry.times_of_day
    )


def join_waitlist(
    practice: Practice,
    *,
    client: Client,
    service: Service,
    location: Location,
    earliest: date,
    latest: date,
    minutes: int | None = None,
    therapist: Therapist | None = None,
    times_of_day: Iterable[str] = (),
    address: VisitAddress | None = None,
    by: Any = None,
    request: Any = None,
) -> WaitlistEntry:
    """Add a client to the waitlist; BookingError says what is wrong with the request."""
    for record, name in ((client, "client"), (service, "service"), (location, "location")):
        if record.practice_id != practice.pk:
            raise BookingError(gettext("Unknown %(what)s.") % {"what": name}, field=name)
    if therapist is not None and (
        therapist.practice_id != practice.pk or not offers(therapist, service)
    ):
        raise BookingError(
            gettext("That therapist does not offer %(service)s.") % {"service": service.name},
            field="therapist",
        )
    if not location_offers(location, service):
        raise BookingError(
            gettext("%(service)s is not offered at %(location)s.")
            % {"service": service.name, "location": location.name},
            field="location",
        )
    duration = duration_for(service, minutes)
    if duration is None:
        raise BookingError(
            gettext("Choose a length for %(service)s.") % {"service": service.name}, field="minutes"
        )
    today = timezone.localdate(timezone=practice.zone)
    if latest < earliest:
        raise BookingError(
            gettext("The last date must not be before the first."), field="latest_date"
        )
    if latest < today:
        raise BookingError(gettext("Those dates have passed."), field="latest_date")
    parts = list(dict.fromkeys(times_of_day))
    unknown = [part for part in parts if part not in TimeOfDay.values]
    if unknown:
        raise BookingError(
            gettext("Unknown time of day: %(times)s.") % {"times": ", ".join(unknown)},
            field="times_of_day",
        )
    home = locate_home_visit(location, address)
    with transaction.atomic():
        entry = WaitlistEntry.objects.create(
            practice=practice,
            client=client,
            service=service,
            minutes=duration.minutes,
            therapist=therapist,
            location=location,
            earliest_date=max(earliest, today),
            latest_date=latest,
            times_of_day=parts,
            visit_street=home.address.street if home else "",
            visit_city=home.address.city if home else "",
            visit_postal_code=home.address.postal_code if home else "",
        )
        record_access(
            practice=practice,
            actor=by,
            action=AuditAction.CREATE,
            record=entry,
            client=client,
            request=request,
        )
    return entry


def withdraw_from_waitlist(entry: WaitlistEntry, *, by: Any = None, request: Any = None) -> None:
    with transaction.atomic():
        WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
            status=WaitlistStatus.WITHDRAWN
        )
        for offer in WaitlistOffer.objects.filter(entry=entry, status=OfferStatus.OFFERED):
            _close(offer, OfferStatus.EXPIRED, timezone.now())
        record_access(
            practice=entry.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=entry,
            client=entry.client,
            request=request,
            detail=gettext_noop("withdrawn"),
        )


def offer_freed_time(
    practice: Practice,
    *,
    therapist: Therapist,
    location: Location,
    start: datetime,
    now: datetime | None = None,
) -> WaitlistOffer | None:
    """Offer a freed start to the first waiting client it suits and who has not been offered it
    yet; None when nobody can take it."""
    now = now or timezone.now()
    if start <= now:
        return None
    local = start.astimezone(practice.zone)
    already = WaitlistOffer.objects.filter(therapist=therapist, starts_at=start).values("entry_id")
    waiting = (
        WaitlistEntry.objects.filter(
            practice=practice,
            status=WaitlistStatus.WAITING,
            location=location,
            earliest_date__lte=local.date(),
            latest_date__gte=local.date(),
        )
        .exclude(pk__in=already)
        .select_related("client", "service")
    )
    for entry in waiting:
        if entry.therapist_id not in (None, therapist.pk) or not suits(entry, local):
            continue
        if not offers(therapist, entry.service):
            continue
        offer = _offer(entry, therapist, location, start, now)
        if offer is not None:
            return offer
    return None


def _offer(
    entry: WaitlistEntry,
    therapist: Therapist,
    location: Location,
    start: datetime,
    now: datetime,
) -> WaitlistOffer | None:
    practice = entry.practice
    home = (
        locate_visit(
            location, entry.visit_postal_code, street=entry.visit_street, city=entry.visit_city
        ).place(location.pk)
        if location.is_mobile
        else None
    )
    try:
        with transaction.atomic():
            hold = hold_slot(
                practice,
                service=entry.service,
                minutes=entry.minutes,
                therapist=therapist,
                location=location,
                start=start,
                home=home,
                hold_minutes=practice.waitlist_offer_minutes,
                now=now,
            )
            offer = WaitlistOffer.objects.create(
                practice=practice,
                entry=entry,
                therapist=therapist,
                location=location,
                starts_at=start,
                token_digest=secrets.token_hex(32),  # replaced below, once the offer has an id
                hold_token=hold.token,
                offered_at=now,
                expires_at=hold.expires_at,
            )
            offer.token_digest = digest_of(offer_token(offer))
            offer.save(update_fields=["token_digest"])
    except (BookingError, IntegrityError) as reason:
        # Does not fit this client (length, reach, someone else's hold), or another offer of
        # this time is open: the next client may still fit.
        logger.info("Waitlist entry %s not offered %s: %s", entry.pk, start, reason)
        return None
    transaction.on_commit(lambda: _tell(offer))
    return offer


def offer_token(offer: WaitlistOffer) -> str:
    """The token of the offer's link: derived from the secret key, never stored."""
    return keyed_token(f"waitlist-offer:{offer.practice_id}:{offer.pk}")


def offer_link_url(offer_id: int) -> str:
    """The offer's link, made as its message goes out (settings.FASCIA_LINKS)."""
    offer = WaitlistOffer.objects.get(pk=offer_id)
    return absolute(reverse("public:waitlist-offer", args=[offer_token(offer)]))


def offer_for_token(token: str) -> WaitlistOffer | None:
    return (
        WaitlistOffer.objects.select_related(
            "entry__client", "entry__service", "practice", "therapist", "location"
        )
        .filter(token_digest=digest_of(token))
        .first()
    )


def _tell(offer: WaitlistOffer) -> None:
    """The offer, in the client's language: what is free, until when it is held, the link."""
    entry, practice = offer.entry, offer.practice
    client = entry.client
    local = offer.starts_at.astimezone(practice.zone)
    expires = offer.expires_at.astimezone(practice.zone)
    with translation.override(document_language(client)):
        when = when_text_of(local)
        text = _(
            "Good news from %(practice)s: %(service)s with %(therapist)s is free on %(when)s. It "
            "is held for you until %(until)s. Book it with one click: %(link)s"
        ) % {
            "practice": practice.public_name,
            "service": entry.service.name,
            "therapist": offer.therapist.display_name,
            "when": when,
            "until": time_text(expires),
            "link": link_marker("waitlist-offer", offer.pk),
        }
        subject = _("An earlier time is free: %(when)s") % {"when": when}
    tell_client(
        client,
        subject=subject,
        email_body=text,
        sms_body=text,
        dedupe=f"waitlist:{offer.pk}",
    )


def _close(offer: WaitlistOffer, status: str, now: datetime) -> bool:
    """Close an open offer (compare-and-swap, so two workers close it once) and free its hold."""
    closed = WaitlistOffer.objects.filter(pk=offer.pk, status=OfferStatus.OFFERED).update(
        status=status, answered_at=now
    )
    if closed:
        SlotHold.objects.filter(token=offer.hold_token).delete()
    return bool(closed)


def pass_on(offer: WaitlistOffer, now: datetime) -> WaitlistOffer | None:
    """Offer the same time to the next waiting client."""
    return offer_freed_time(
        offer.practice,
        therapist=offer.therapist,
        location=offer.location,
        start=offer.starts_at,
        now=now,
    )


def expire_waitlist_offers(now: datetime | None = None) -> int:
    """Worker job: close offers whose hold ran out and pass each time to the next client."""
    now = now or timezone.now()
    expired = 0
    for offer in WaitlistOffer.objects.filter(
        status=OfferStatus.OFFERED, expires_at__lte=now
    ).select_related("practice", "therapist", "location"):
        with transaction.atomic():
            if not _close(offer, OfferStatus.EXPIRED, now):
                continue
            expired += 1
            pass_on(offer, now)
    return expired


def accept_waitlist_offer(
    token: str,
    *,
    by: Any = None,
    accepts_cancellation_policy: bool = False,
    request: Any = None,
    now: datetime | None = None,
) -> Appointment:
    """Book the offered time for the client, through the ordinary booking action and the
    offer's hold. A lapsed offer, or a time taken meanwhile, is refused with the reason (and a
    taken time goes on to the next client)."""
    now = now or timezone.now()
    offer = offer_for_token(token)
    if offer is None:
        raise BookingError(gettext("This offer link is not valid."))
    if offer.status != OfferStatus.OFFERED or offer.expires_at <= now:
        raise BookingError(
            gettext("Sorry, this offer has lapsed and the time went to someone else.")
        )
    entry = offer.entry
    address = (
        VisitAddress(entry.visit_street, entry.visit_city, entry.visit_postal_code)
        if offer.location.is_mobile
        else None
    )
    try:
        result = book_appointment(
            offer.practice,
            BookingRequest(
                client=entry.client,
                service=entry.service,
                therapist=offer.therapist,
                location=offer.location,
                start=offer.starts_at,
                minutes=entry.minutes,
                by=by,
                channel=BookingChannel.ONLINE,
                hold_token=offer.hold_token,
                accepts_cancellation_policy=accepts_cancellation_policy,
                idempotency_key=f"waitlist-offer-{offer.pk}",
                address=address,
                request=request,
            ),
            now=now,
        )
    except SlotUnavailable:
        with transaction.atomic():
            if _close(offer, OfferStatus.TAKEN, now):
                pass_on(offer, now)
        raise SlotUnavailable(
            gettext(
                "Sorry, that time was taken just before you answered. You are still on the "
                "waitlist."
            )
        ) from None
    with transaction.atomic():
        _close(offer, OfferStatus.ACCEPTED, now)
        WaitlistEntry.objects.filter(pk=entry.pk).update(
            status=WaitlistStatus.BOOKED, appointment=result.appointment
        )
    return result.appointment


def on_time_freed(
    sender: Any,
    *,
    practice: Practice,
    therapist: Therapist,
    location: Location,
    start: Any,
    **_: Any,
) -> None:
    """Booking's `time_freed` signal: a booked time was given up (cancelled, or moved away),
    so offer it on."""
    offer_freed_time(practice, therapist=therapist, location=location, start=start)

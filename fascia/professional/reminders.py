"""Reminders before a therapist's registration, insurance or CPR/first aid expires (60 and 14
days before, to the therapist and the owners), the owners told when one has lapsed (the
therapist is then not offered for booking), and equipment overdue for servicing. A worker job
(settings.FASCIA_WORKER_JOBS); each message is queued once (its dedupe key names the record, its
date and the notice), so running it every round sends nothing twice."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import owner_emails
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, enqueue
from fascia.practices.models import Practice, Therapist
from fascia.professional.models import (
    RESETS_SERVICE_CLOCK,
    Equipment,
    FirstAidCertificate,
    LiabilityInsurance,
    next_service_due,
)

NOTICE_DAYS = (60, 14)


@dataclass(frozen=True)
class Expiry:
    therapist: Therapist
    what: str  # in the owner's words: "CMTO registration", "Liability insurance (…)"
    key: str  # names the record for the dedupe key
    expires_on: date


def _expiries(practice: Practice) -> Iterator[Expiry]:
    therapists = Therapist.objects.for_practice(practice).filter(is_active=True)
    for therapist in therapists.exclude(registration_expires_on=None):
        assert therapist.registration_expires_on is not None
        yield Expiry(
            therapist,
            _("CMTO registration"),
            f"registration:{therapist.pk}",
            therapist.registration_expires_on,
        )
    latest = _newest_per_therapist(
        LiabilityInsurance.objects.for_practice(practice).filter(therapist__is_active=True)
    )
    for policy in latest.values():
        yield Expiry(
            policy.therapist,
            _("Liability insurance (%(insurer)s)") % {"insurer": policy.insurer},
            f"insurance:{policy.pk}",
            policy.expires_on,
        )
    newest = _newest_per_therapist(
        FirstAidCertificate.objects.for_practice(practice).filter(therapist__is_active=True)
    )
    for certificate in newest.values():
        yield Expiry(
            certificate.therapist,
            certificate.get_kind_display(),
            f"first-aid:{certificate.pk}",
            certificate.expires_on,
        )


Expiring = TypeVar("Expiring", LiabilityInsurance, FirstAidCertificate)


def _newest_per_therapist(records: Iterable[Expiring]) -> dict[int, Expiring]:
    """Each therapist's record that expires last (the one in force, or the latest lapsed)."""
    newest: dict[int, Expiring] = {}
    for record in records:
        held = newest.get(record.therapist_id)
        if held is None or record.expires_on > held.expires_on:
            newest[record.therapist_id] = record
    return newest


def _send(practice: Practice, to: list[str], subject: str, body: str, key: str) -> int:
    queued = 0
    for address in dict.fromkeys(to):
        message = Message(
            channel=Channel.EMAIL,
            to=address,
            subject=subject,
            body=body,
            dedupe_key=f"{key}:{address}"[:120],
        )
        queued += enqueue(practice, message) is not None
    return queued


def queue_expiry_reminders(now: datetime | None = None) -> int:
    """Queue what is due today; returns how many messages were queued."""
    now = now or timezone.now()
    queued = 0
    for practice in Practice.objects.all():
        today = now.astimezone(practice.zone).date()
        owners = owner_emails(practice)
        for expiry in _expiries(practice):
            days_left = (expiry.expires_on - today).days
            who = expiry.therapist.display_name
            if days_left < 0:
                queued += _send(
                    practice,
                    owners,
                    _("%(who)s cannot be booked: %(what)s lapsed")
                    % {"who": who, "what": expiry.what},
                    _(
                        "%(what)s of %(who)s lapsed on %(date)s, so Fascia no longer offers "
                        "%(who)s for booking. Record the renewal on their professional records "
                        "page and they are offered again."
                    )
                    % {"what": expiry.what, "who": who, "date": expiry.expires_on},
                    f"lapsed:{expiry.key}:{expiry.expires_on}",
                )
                continue
            notice = next((days for days in sorted(NOTICE_DAYS) if days_left <= days), None)
            if notice is None:
                continue
            therapist_email = expiry.therapist.user.email
            queued += _send(
                practice,
                [therapist_email, *owners],
                _("%(what)s of %(who)s expires on %(date)s")
                % {"what": expiry.what, "who": who, "date": expiry.expires_on},
                _(
                    "%(what)s of %(who)s expires in %(days)d days, on %(date)s. Renew it and "
                    "record the new date in Fascia; after it lapses %(who)s cannot be booked."
                )
                % {"what": expiry.what, "who": who, "days": days_left, "date": expiry.expires_on},
                f"expiry:{expiry.key}:{expiry.expires_on}:{notice}",
            )
        queued += _queue_equipment_overdue(practice, today, owners)
    return queued


def equipment_with_due_dates(practice: Practice) -> list[tuple[Equipment, date]]:
    """The practice's equipment in use, each with when it is next due for servicing."""
    equipment = (
        Equipment.objects.for_practice(practice)
        .filter(in_use=True)
        .select_related("location")
        .annotate(
            last_serviced=Max(
                "services__done_on", filter=Q(services__kind__in=RESETS_SERVICE_CLOCK)
            )
        )
    )
    return [(item, next_service_due(item, item.last_serviced)) for item in equipment]


def _queue_equipment_overdue(practice: Practice, today: date, owners: list[str]) -> int:
    queued = 0
    for item, due in equipment_with_due_dates(practice):
        if due > today:
            continue
        queued += _send(
            practice,
            owners,
            _("%(name)s is due for servicing") % {"name": item.name},
            _(
                "%(name)s at %(location)s was due for servicing or inspection on %(date)s. "
                "Record it on the equipment page once it is done."
            )
            % {"name": item.name, "location": item.location.name, "date": due},
            f"equipment-overdue:{item.pk}:{due}",
        )
    return queued

"""Therapists' private calendar feeds: issue, revoke, and render."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.practice_context import acts_for_therapist
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.practices.models import Therapist
from fascia.scheduling.calendar_files import therapist_feed
from fascia.scheduling.errors import NotPermitted
from fascia.scheduling.models import Appointment, AppointmentStatus, CalendarFeed

FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=180)


def active_feed(therapist: Therapist) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(therapist=therapist, revoked_at=None).first()


def issue_calendar_feed(therapist: Therapist, *, by: Any, request: Any = None) -> CalendarFeed:
    """A new feed URL for the therapist; any earlier one stops working. Only the therapist
    and the owner manage it."""
    if not acts_for_therapist(by, therapist):
        raise NotPermitted(_("Only the therapist and the owner manage this feed."))
    with transaction.atomic():
        revoke_calendar_feed(therapist, by=by, request=request)
        feed = CalendarFeed.objects.create(
            practice=therapist.practice, therapist=therapist, token=secrets.token_urlsafe(32)
        )
        record_access(
            practice=therapist.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=feed,
            request=request,
            detail=gettext_noop("calendar feed issued"),
        )
    return feed


def revoke_calendar_feed(therapist: Therapist, *, by: Any, request: Any = None) -> int:
    if not acts_for_therapist(by, therapist):
        raise NotPermitted(_("Only the therapist and the owner manage this feed."))
    revoked = CalendarFeed.objects.filter(therapist=therapist, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record_access(
            practice=therapist.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record_type="scheduling.calendarfeed",
            request=request,
            detail=gettext_noop("calendar feed revoked"),
        )
    return revoked


def render_feed(token: str, *, request: Any = None) -> bytes | None:
    """The feed's iCalendar text, or None for an unknown or revoked token. Each fetch is
    audited as an export: the feed carries clients' first names and visit times."""
    feed = (
        CalendarFeed.objects.select_related("therapist", "practice")
        .filter(token=token, revoked_at=None)
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    appointments = (
        Appointment.objects.filter(
            therapist=feed.therapist,
            starts_at__gte=now - FEED_PAST,
            starts_at__lte=now + FEED_FUTURE,
        )
        .exclude(status=AppointmentStatus.NO_SHOW)
        .select_related("client", "service", "location", "practice", "therapist")
    )
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
    record_access(
        practice=feed.practice,
        actor=None,
        action=AuditAction.EXPORT,
        record=feed,
        request=request,
        role="calendar feed",
        detail=f"feed for {feed.therapist.display_name}",
    )
    name = f"{feed.practice.public_name} — {feed.therapist.display_name}"
    return therapist_feed(name, appointments, now)

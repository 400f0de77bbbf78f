"""Carrying out the week planner's proposal, one client at a time and only with their consent:
the owner or front desk asks each client whose therapist or time would change (a message with a
link, through the outbox, in the client's language); a client who accepts has their visit moved
through `move_appointments`, like any reschedule (every new time re-checked, the client told,
freed time offered to the waitlist); one who declines, or lets the request expire, keeps their
visit as booked."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fascia.accounts.models import Role
from fascia.accounts.practice_context import role_in
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.documents import document_language
from fascia.links import (
    absolute,
    digest_of,
    link_marker,
    record_token,
    seal_with_keyed_token,
    unique_placeholder,
)
from fascia.mobile.models import ChangeAnswer, VisitChangeRequest
from fascia.mobile.week import WeekPlan
from fascia.scheduling.errors import BookingError, NotPermitted
from fascia.scheduling.messages import tell_client
from fascia.scheduling.moves import Move, move_appointments
from fascia.scheduling.wording import time_text, when_text_of

PURPOSE = "visit-change"
ANSWER_WITHIN = timedelta(hours=48)
DISPATCHERS = (Role.OWNER, Role.FRONT_DESK)


def ask_clients_to_agree(
    plan: WeekPlan, *, by: Any, request: Any = None, now: datetime | None = None
) -> list[VisitChangeRequest]:
    """Ask each client whose visit the plan would change (and who has no open request) to
    agree; the owner or front desk only."""
    if role_in(plan.practice, by) not in DISPATCHERS:
        raise NotPermitted(_("Only the owner or the front desk plans the mobile week."))
    now = now or timezone.now()
    asked = []
    with transaction.atomic():
        for proposed in plan.changes:
            visit = proposed.appointment
            if (
                visit.starts_at <= now
                or VisitChangeRequest.objects.filter(
                    appointment=visit, answer=ChangeAnswer.ASKED, expires_at__gt=now
                ).exists()
            ):
                continue
            change = VisitChangeRequest.objects.create(
                practice=plan.practice,
                appointment=visit,
                therapist=proposed.therapist,
                starts_at=proposed.start,
                previous_therapist_id=visit.therapist_id,
                previous_start=visit.starts_at,
                token_digest=unique_placeholder(),
                asked_by=by,
                asked_at=now,
                expires_at=min(now + ANSWER_WITHIN, visit.starts_at - timedelta(hours=2)),
            )
            seal_with_keyed_token(change, PURPOSE)
            record_access(
                practice=plan.practice,
                actor=by,
                action=AuditAction.CREATE,
                record=change,
                client=visit.client,
                request=request,
            )
            transaction.on_commit(partial(_ask, change))
            asked.append(change)
    return asked


def _ask(change: VisitChangeRequest) -> None:
    visit, practice = change.appointment, change.practice
    with translation.override(document_language(visit.client)):
        text = _(
            "%(practice)s would like to change your home visit of %(was)s with %(before)s to "
            "%(when)s with %(therapist)s, so that its therapists drive less. Nothing changes "
            "unless you agree: %(link)s (until %(until)s)."
        ) % {
            "practice": practice.public_name,
            "was": when_text_of(change.previous_start.astimezone(practice.zone)),
            "before": change.previous_therapist.display_name,
            "when": when_text_of(change.starts_at.astimezone(practice.zone)),
            "therapist": change.therapist.display_name,
            "link": link_marker(PURPOSE, change.pk),
            "until": time_text(change.expires_at.astimezone(practice.zone)),
        }
        subject = _("May we change your home visit?")
    tell_client(
        visit.client,
        subject=subject,
        email_body=text,
        sms_body=text,
        dedupe=f"{PURPOSE}:{change.pk}",
    )


def change_link_url(change_id: int) -> str:
    """The request's link, made as its message goes out (settings.FASCIA_LINKS)."""
    return absolute(reverse("public:visit-change", args=[record_token(PURPOSE, change_id)]))


def change_for_token(token: str) -> VisitChangeRequest | None:
    return (
        VisitChangeRequest.objects.select_related(
            "appointment__client", "appointment__service", "practice", "therapist"
        )
        .filter(token_digest=digest_of(token))
        .first()
    )


def is_open(change: VisitChangeRequest, now: datetime | None = None) -> bool:
    return change.answer == ChangeAnswer.ASKED and change.expires_at > (now or timezone.now())


def answer_visit_change(
    change: VisitChangeRequest, *, accept: bool, request: Any = None, now: datetime | None = None
) -> VisitChangeRequest:
    """The client's answer. Declined: the visit stays as booked. Accepted: the visit moves
    with every other agreed change it depends on (two therapists trading visits move together,
    all or none, through `move_appointments`); until those clients agree too it waits, agreed."""
    now = now or timezone.now()
    if not is_open(change, now):
        raise BookingError(_("This request was already answered or has expired."))
    claimed = VisitChangeRequest.objects.filter(pk=change.pk, answer=ChangeAnswer.ASKED).update(
        answer=ChangeAnswer.AGREED if accept else ChangeAnswer.DECLINED, answered_at=now
    )
    if not claimed:
        raise BookingError(_("This request was already answered or has expired."))
    if accept:
        move_agreed_changes(change.practice, request=request, now=now)
    change.refresh_from_db()
    return change


def move_agreed_changes(practice: Any, *, request: Any = None, now: datetime | None = None) -> int:
    """Move the visits whose clients agreed: all together if they fit together, otherwise each
    one that fits on its own; the rest wait for the clients they depend on. How many moved."""
    now = now or timezone.now()
    agreed = list(
        VisitChangeRequest.objects.filter(
            practice=practice, answer=ChangeAnswer.AGREED, expires_at__gt=now
        ).select_related("appointment__client", "appointment__service", "therapist", "asked_by")
    )
    for group in ([agreed], [[change] for change in agreed]):
        for changes in group:
            if not changes or any(c.answer == ChangeAnswer.ACCEPTED for c in changes):
                continue
            try:
                with transaction.atomic():
                    move_appointments(
                        practice,
                        [
                            Move(
                                c.appointment,
                                c.starts_at,
                                therapist=c.therapist,
                                expected_start=c.previous_start,
                            )
                            for c in changes
                        ],
                        by=changes[0].asked_by,
                        as_staff=True,
                        request=request,
                        reason="week plan, agreed by the client",
                        now=now,
                    )
                    VisitChangeRequest.objects.filter(pk__in=[c.pk for c in changes]).update(
                        answer=ChangeAnswer.ACCEPTED
                    )
            except BookingError:
                continue
            for c in changes:
                c.answer = ChangeAnswer.ACCEPTED
    return sum(c.answer == ChangeAnswer.ACCEPTED for c in agreed)

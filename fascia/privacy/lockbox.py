"""The client's lockbox: a client may withhold (or withdraw) consent to share all or part of
their record — the whole clinical record, their health history, one section of it, or one
treatment note — with practitioners they name, or with everyone in the practice but those they
name. It binds the owner and every therapist; the front desk and bookkeeper never see clinical
content anyway, and a client always sees all of their own record.

Every page, API operation and document that shows clinical content asks `locked_for(user,
client)` (the chart, note, consent and plan pages get the whole-record lock through
`records.care.refuse_unless_may_read`), shows a locked part as "locked by the client" rather
than leaving it out silently, and offers `override_lock`: opening it anyway under one of the
law's exceptions, with the reason, for a few hours, on the audit log.

A therapist always sees the note they wrote themselves: the lockbox governs sharing with
others."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.models import Role
from fascia.accounts.practice_context import role_in
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.models import Therapist
from fascia.privacy.models import (
    LawfulException,
    LockboxDirective,
    LockboxOverride,
    LockedPart,
    WithheldFrom,
)
from fascia.records import intake
from fascia.records.errors import RecordError
from fascia.records.forms import section_key
from fascia.records.models import TreatmentNote
from fascia.records.queries import client_alerts
from fascia.records.screening import Alert

OVERRIDE_HOURS = 4
SHORTEST_REASON = 10
BOUND_ROLES = (Role.OWNER, Role.THERAPIST)


def history_sections() -> dict[str, Any]:
    """The health history's sections, by key, with their (translated) titles."""
    return {
        section_key(question.section): question.section
        for question in intake.QUESTIONS
        if question.section
    }


def questions_in(section: str) -> set[str]:
    return {q.id for q in intake.QUESTIONS if q.section and section_key(q.section) == section}


class LockedByClient(RecordError):
    """The client has locked this part of their record from the reader: the page says so and
    offers the lawful exceptions."""

    status = 403

    def __init__(self, client: Client, part: str) -> None:
        super().__init__(
            _(
                "%(client)s has locked this part of their record from you (%(part)s). Ask them, "
                "or open it only under a lawful exception, with the reason."
            )
            % {"client": client.display_name, "part": part}
        )
        self.client = client


@dataclass
class LockedParts:
    """What of one client's record is locked from one reader now."""

    client: Client
    whole: bool = False
    history: bool = False
    sections: set[str] = field(default_factory=set)
    notes: set[int] = field(default_factory=set)
    # Whether the client has any directive in force at all (for a reader they bind): what is
    # locked then also depends on lawful-exception openings, which end with the clock.
    directives: bool = False

    override_hours = OVERRIDE_HOURS

    @property
    def exceptions(self) -> list[tuple[str, Any]]:
        return LawfulException.choices

    @property
    def anything(self) -> bool:
        return self.whole or self.history or bool(self.sections) or bool(self.notes)

    def note_locked(self, note: TreatmentNote) -> bool:
        return self.whole or note.pk in self.notes

    def locked_questions(self) -> set[str]:
        if self.whole or self.history:
            return {q.id for q in intake.QUESTIONS}
        return set().union(*(questions_in(section) for section in self.sections))

    def visible_answers(self, answers: dict[str, Any]) -> dict[str, Any]:
        """A health history's answers without those the client locked from this reader."""
        hidden = self.locked_questions()
        return {question: answer for question, answer in answers.items() if question not in hidden}

    def locked_section_titles(self) -> list[str]:
        titles = history_sections()
        return [str(titles.get(key, key)) for key in sorted(self.sections)]


def directives_in_force(client: Client) -> list[LockboxDirective]:
    return list(
        LockboxDirective.objects.filter(client=client, lifted_at=None)
        .select_related("note")
        .prefetch_related("practitioners")
        .order_by("-recorded_at")
    )


def lock_override_in_force(
    user: Any, client: Client, *, now: datetime | None = None
) -> LockboxOverride | None:
    return (
        LockboxOverride.objects.filter(
            client=client, opened_by=user, ends_at__gt=now or timezone.now()
        )
        .order_by("-ends_at")
        .first()
    )


def locked_for(user: Any, client: Client, *, now: datetime | None = None) -> LockedParts:
    """The parts of `client`'s record locked from `user` now (nothing for the client, the front
    desk and the bookkeeper, or while the user's lawful-exception opening is in force)."""
    locked = LockedParts(client)
    if role_in(client.practice, user) not in BOUND_ROLES:
        return locked
    directives = directives_in_force(client)
    locked.directives = bool(directives)
    if not directives or lock_override_in_force(user, client, now=now) is not None:
        return locked
    reader = Therapist.objects.filter(practice=client.practice, user=user).first()
    for directive in directives:
        named = {therapist.pk for therapist in directive.practitioners.all()}
        is_named = reader is not None and reader.pk in named
        if (directive.withheld_from == WithheldFrom.NAMED) != is_named:
            continue
        if directive.part == LockedPart.WHOLE_RECORD:
            locked.whole = True
        elif directive.part == LockedPart.HEALTH_HISTORY:
            locked.history = True
        elif directive.part == LockedPart.HISTORY_SECTION:
            locked.sections.add(directive.history_section)
        elif directive.note is not None and (
            reader is None or directive.note.therapist_id != reader.pk
        ):
            locked.notes.add(directive.note.pk)
    return locked


def alerts_for(
    user: Any, client: Client, today: date | None = None
) -> tuple[list[Alert], LockedParts]:
    """The client's alerts as `user` may see them, and what is locked from them: an alert from
    a locked answer is left out, and the page says that part is locked, so the therapist knows
    to ask the client before treating."""
    locked = locked_for(user, client)
    return client_alerts(client, today, hidden=locked.locked_questions()), locked


def refuse_if_whole_record_locked(user: Any, client: Client) -> LockedParts:
    """Raise `LockedByClient` when the client locked their whole record from `user`; otherwise
    what is locked from them."""
    locked = locked_for(user, client)
    if locked.whole:
        raise LockedByClient(client, str(LockedPart.WHOLE_RECORD.label))
    return locked


def refuse_if_note_locked(user: Any, note: TreatmentNote) -> None:
    if locked_for(user, note.client).note_locked(note):
        raise LockedByClient(note.client, str(LockedPart.TREATMENT_NOTE.label))


# Writes -------------------------------------------------------------------------------------


def lock_record(
    client: Client,
    *,
    part: str,
    withheld_from: str,
    practitioners: Iterable[Therapist] = (),
    history_section: str = "",
    note: TreatmentNote | None = None,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> LockboxDirective:
    """Record the client's instruction (given in their account, or to the practice in person or
    in writing). The lockbox is on the audit log as a change to the client's record."""
    practitioners = list(practitioners)
    problems = []
    if part not in LockedPart.values:
        problems.append(_("Choose what to lock."))
    if withheld_from not in WithheldFrom.values:
        problems.append(_("Choose who it is withheld from."))
    if withheld_from == WithheldFrom.NAMED and not practitioners:
        problems.append(_("Name at least one practitioner to withhold it from."))
    if any(t.practice_id != client.practice_id for t in practitioners):
        problems.append(_("Name only practitioners of this practice."))
    if part == LockedPart.HISTORY_SECTION and history_section not in history_sections():
        problems.append(_("Choose the section of the health history."))
    if part == LockedPart.TREATMENT_NOTE and (note is None or note.client_id != client.pk):
        problems.append(_("Choose one of your treatment notes."))
    if problems:
        raise RecordError(_("The lock was not recorded."), problems)
    with transaction.atomic():
        directive = LockboxDirective.objects.create(
            practice=client.practice,
            client=client,
            part=part,
            history_section=history_section if part == LockedPart.HISTORY_SECTION else "",
            note=note if part == LockedPart.TREATMENT_NOTE else None,
            withheld_from=withheld_from,
            recorded_by=by,
            recorded_at=now or timezone.now(),
        )
        directive.practitioners.set(practitioners)
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=directive,
            client=client,
            request=request,
        )
    return directive


def lift_lock(
    directive: LockboxDirective, *, by: Any, request: Any = None, now: datetime | None = None
) -> LockboxDirective:
    """The client gives their consent back: the part is shared again from now on."""
    if directive.lifted_at is not None:
        raise RecordError(_("This lock was already lifted."))
    with transaction.atomic():
        directive.lifted_at = now or timezone.now()
        directive.lifted_by = by
        directive.save(update_fields=["lifted_at", "lifted_by"])
        record_access(
            practice=directive.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=directive,
            client=directive.client,
            request=request,
            detail=gettext_noop("lifted"),
        )
    return directive


def override_lock(
    client: Client,
    *,
    by: Any,
    exception: str,
    reason: str,
    request: Any = None,
    now: datetime | None = None,
) -> LockboxOverride:
    """Open what the client locked, for `OVERRIDE_HOURS`, under a lawful exception and with the
    reason: the owner and a therapist of the practice only; on the audit log of its own kind."""
    reason = (reason or "").strip()
    if role_in(client.practice, by) not in BOUND_ROLES:
        raise RecordError(_("Only the owner or a therapist of the practice may do this."))
    if exception not in LawfulException.values:
        raise RecordError(_("Choose the lawful exception that applies."))
    if len(reason) < SHORTEST_REASON:
        raise RecordError(_("Say why, in a sentence someone else can judge."))
    now = now or timezone.now()
    with transaction.atomic():
        opened = LockboxOverride.objects.create(
            practice=client.practice,
            client=client,
            opened_by=by,
            exception=exception,
            reason=reason,
            opened_at=now,
            ends_at=now + timedelta(hours=OVERRIDE_HOURS),
        )
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.LOCKBOX,
            record=opened,
            client=client,
            request=request,
            detail=f"{exception}: {reason}"[:255],
        )
    return opened

"""How long a client's record is kept, and its disposal after that (CMTO's record-keeping
standard; PHIPA). A record is kept ten years after its last entry or, for a client who was a
minor, ten years after their eighteenth birthday, whichever is later. After that the owner may
destroy it: `dispose_of_record` is the only path that removes a client's record, and it leaves a
disposal log entry (who, when, how, how many rows of each kind — no health information) and an
audit entry. The audit log itself keeps the client's former number, not the record.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.models import Role
from fascia.accounts.practice_context import role_in
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction, AuditEntry
from fascia.audit.purge import audit_purge_permitted
from fascia.clients.models import Client
from fascia.practices.models import Practice
from fascia.records.errors import RecordError
from fascia.records.models import RecordDisposal
from fascia.records.whole_record import sections

YEARS_KEPT = 10
AGE_OF_MAJORITY = 18
# Stored as written here, translated when shown.
DISPOSAL_METHOD = gettext_noop(
    "deleted from the database in one transaction (every row of the record); copies in backups "
    "end with the backups' own rotation"
)


@dataclass(frozen=True)
class Retention:
    client: Client
    last_entry_on: date
    kept_until: date

    def ended(self, today: date) -> bool:
        return today > self.kept_until


def years_after(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def kept_until(last_entry_on: date, date_of_birth: date | None) -> date:
    """The last day a record must be kept: ten years after its last entry, or ten years after
    the client's eighteenth birthday if that is later."""
    until = years_after(last_entry_on, YEARS_KEPT)
    if date_of_birth is not None:
        adult = years_after(date_of_birth, AGE_OF_MAJORITY)
        until = max(until, years_after(adult, YEARS_KEPT))
    return until


def _local_day(moment: datetime | date, practice: Practice) -> date:
    if isinstance(moment, datetime):
        return timezone.localdate(moment, timezone=practice.zone)
    return moment


def retention_of_clients(practice: Practice) -> list[Retention]:
    """Every client's retention, from the latest entry in any part of their record (one query
    per kind of record, however many clients)."""
    latest: dict[int, date] = {}
    for section in sections():
        grouped = (
            section.all_rows()
            .filter(practice=practice)
            .values(section.client_field)
            .annotate(latest=Max(section.fields[0]))
        )
        for row in grouped:
            client_id, moment = row[section.client_field], row["latest"]
            if moment is None:
                continue
            day = _local_day(moment, practice)
            if client_id not in latest or day > latest[client_id]:
                latest[client_id] = day
    retentions = []
    for client in Client.objects.for_practice(practice).order_by("pk"):
        entries = [client.created_at, client.updated_at]
        if client.pk in latest:
            entries.append(latest[client.pk])
        last = max(_local_day(moment, practice) for moment in entries)
        retentions.append(Retention(client, last, kept_until(last, client.date_of_birth)))
    return retentions


def retention_of(client: Client) -> Retention:
    return next(r for r in retention_of_clients(client.practice) if r.client.pk == client.pk)


def past_retention(practice: Practice, today: date | None = None) -> list[Retention]:
    """The clients whose records may now be destroyed, longest past first."""
    today = today or timezone.localdate(timezone=practice.zone)
    ended = [r for r in retention_of_clients(practice) if r.ended(today)]
    return sorted(ended, key=lambda r: r.kept_until)


def dispose_of_record(
    client: Client,
    *,
    by: Any,
    confirmation: str,
    request: Any = None,
    now: datetime | None = None,
) -> RecordDisposal:
    """Destroy a client's whole record after its retention period, on the owner's confirmation
    (typing the client's number), and log it."""
    practice = client.practice
    now = now or timezone.now()
    if role_in(practice, by) != Role.OWNER:
        raise RecordError(_("Only the owner destroys records."))
    retention = retention_of(client)
    if not retention.ended(timezone.localdate(now, timezone=practice.zone)):
        raise RecordError(
            _("This record must be kept until %(day)s.") % {"day": retention.kept_until}
        )
    if confirmation.strip() != str(client.pk):
        raise RecordError(
            _("Type the record's number, %(number)s, to confirm.") % {"number": client.pk}
        )
    number = client.pk
    with transaction.atomic(), audit_purge_permitted():
        destroyed = _destroy(Client.objects.filter(pk=number))
        disposal = RecordDisposal.objects.create(
            practice=practice,
            client_number=number,
            last_entry_on=retention.last_entry_on,
            kept_until=retention.kept_until,
            disposed_at=now,
            disposed_by=by,
            method=DISPOSAL_METHOD,
            rows_destroyed=dict(sorted(destroyed.items())),
        )
        record_access(
            practice=practice,
            actor=by,
            action=AuditAction.DISPOSE,
            record=disposal,
            request=request,
            detail=f"client {number}: record destroyed after its retention period",
        )
    return disposal


def _destroy(rows: models.QuerySet[Any]) -> Counter[str]:
    """Delete `rows` and every row that depends on them, children first; rows of others that
    merely point at them (SET_NULL) let go. The audit log is never touched: it keeps only the
    former number. Foreign keys are checked at commit, so a row left pointing at the record
    undoes the whole disposal."""
    destroyed: Counter[str] = Counter()
    model = rows.model
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and hasattr(relation, "field")):
            continue
        if relation.many_to_many:
            continue  # the link rows are found through their own table's foreign key
        child, field = relation.related_model, relation.field
        if child is AuditEntry or child is model:
            continue
        pointing = child._base_manager.filter(**{f"{field.name}__in": rows})
        if field.remote_field.on_delete is models.SET_NULL:
            pointing.update(**{field.name: None})
        else:
            destroyed += _destroy(pointing)
    count = rows._raw_delete(rows.db)
    if count:
        destroyed[model._meta.label_lower] += count
    return destroyed

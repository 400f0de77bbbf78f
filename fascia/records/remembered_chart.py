"""The client's chart, remembered until the client's record changes.

Opening a chart reads about twenty kinds of record (visits, notes, histories and their reviews,
consents, plans, scores, measurements, questionnaires) and draws hundreds of rows, yet between
two openings usually nothing of it has changed. So each client has a *record stamp*
(`RecordStamp`), a random token replaced in the writer's own transaction whenever any row that
names the client is saved, updated in bulk, created in bulk or deleted — whatever the model:
every model with a `client` (and the client's own row) is stamped, found from the app registry,
so a new kind of record is covered the day it is added. The chart's record part is remembered
under the client's stamp together with the practice's schedule stamp (services, therapists,
the practice's settings), the reader, the language and the practice's date. Any change makes a
new key; the chart drawn before it is never read again.

What is never remembered, and drawn every time:

- the page around the record (drawn each time, from the frame's own remembered parts,
  `page_parts`, with the reader's messages), the access check (need to know, a whole-record
  lock) and the audit entry: every opening is still a checked and logged access;
- the chart of a client with anything in their lockbox: what is locked depends on who reads and
  on lawful-exception openings that end with the clock, so only an unlocked record is kept.

The forms on the chart carry the reader's CSRF token, put in as the chart is sent. A chart is
kept only in the memory of the server process that drew it, never in the shared cache (files or
Redis), since it is health information. Writes from outside Django (a manual SQL fix) are not
seen; a remembered chart is dropped after `CHART_SECONDS` whatever happens.
"""

from __future__ import annotations

import copy
import secrets
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from fascia.clients.models import Client
from fascia.plain_sql import fetch_prepared, table
from fascia.practices.tenancy import clients_written
from fascia.remembered_html import CSRF_PLACEHOLDER, csrf_token_of, with_csrf_token

CHART_SECONDS = 600
CHART_FORMAT = 2  # bumped when the drawn chart changes meaning, so a deploy never reads an older
KEPT_IN_PROCESS = 256

# Models that name a client but never stamp the record, and why.
NOT_STAMPED = {
    "audit.auditentry": "written by every opening of the chart, and never shown on it",
    "records.recordstamp": "the stamps themselves",
}

# Kept only in this process's memory, never in the shared cache: a chart is health information,
# and the cache (files, Redis) is not where the record lives.
_in_process: dict[str, tuple[float, str]] = {}
# Standing permissions to read a client's record, with the client as read then.
_permissions: dict[str, tuple[float, Client]] = {}


def forget_remembered_charts() -> None:
    """Forget this process's remembered charts (tests: the database is rolled back)."""
    _in_process.clear()
    _permissions.clear()


def open_chart(
    request: HttpRequest,
    client_id: int,
    *,
    may_read: Callable[[], tuple[Client, bool]],
    draw: Callable[[Client, date], tuple[str, bool]],
) -> tuple[Client, SafeString]:
    """`client_id`'s client and the record part of their chart as `request.user` reads it.

    `may_read()` → (client, standing) finds the client in the request's practice and raises if
    the reader may not read the record; `standing` says the permission holds until the
    client's record changes. A standing permission is remembered under the same stamps as the
    chart (with the reader's role in the practice, read afresh on every request), so a second
    opening checks nothing again until something that names the client — a visit cancelled,
    a lockbox directive — or the practice's therapists change. `draw(client, today)` → (HTML,
    shareable) draws the record part when it is not remembered."""
    practice = request.practice  # type: ignore[attr-defined]
    record, schedule = _stamps(client_id, practice.pk)
    reader = (
        f"{CHART_FORMAT}:{practice.pk}:{client_id}:{record}:{schedule}:"
        f"{getattr(request.user, 'pk', None)}:{getattr(request, 'staff_role', None)}"
    )
    now = time.monotonic()
    permitted = _permissions.get(reader)
    if record is not None and permitted is not None and permitted[0] > now:
        client = copy.copy(permitted[1])  # a copy: this request may set attributes on it
        client.practice = practice
    else:
        client, standing = may_read()
        if standing and record is not None:
            _keep(_permissions, reader, (now + CHART_SECONDS, copy.copy(client)))
    today = timezone.localdate(timezone=practice.zone)
    key = f"{reader}:{get_language()}:{today.isoformat()}"
    kept = _in_process.get(key)
    if record is not None and kept is not None and kept[0] > now:
        body = kept[1]
    else:
        body, shareable = draw(client, today)
        if shareable and record is not None:
            _keep(_in_process, key, (now + CHART_SECONDS, body))
    return client, with_csrf_token(body, csrf_token_of(request))


def drawn(template: str, context: dict[str, Any], request: HttpRequest) -> str:
    """Draw the chart's record part, with a placeholder for the reader's CSRF token."""
    return render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)


def _keep(kept: dict[str, Any], key: str, entry: Any) -> None:
    if len(kept) >= KEPT_IN_PROCESS:
        kept.clear()
    kept[key] = entry


def _stamps(client_id: int, practice_id: int) -> tuple[int | None, int | None]:
    """The client's record stamp and the practice's schedule stamp (None before any write)."""
    from fascia.records.models import RecordStamp
    from fascia.scheduling.models import ScheduleStamp
    from fascia.scheduling.remembered import PRACTICE_DAY, PRACTICE_UNIT

    ((record, schedule),) = fetch_prepared(
        "fascia_chart_stamps",
        f"SELECT (SELECT token FROM {table(RecordStamp)} WHERE client_id = %s), "  # noqa: S608
        f"(SELECT token FROM {table(ScheduleStamp)} "
        "WHERE practice_id = %s AND unit = %s AND day = %s)",
        [client_id, practice_id, PRACTICE_UNIT, PRACTICE_DAY],
    )
    return record, schedule


# Stamping -----------------------------------------------------------------------------------


def stamp_records(client_ids: Iterable[int | None]) -> None:
    """Replace these clients' record stamps, in the caller's transaction (in one order, so
    concurrent writers never deadlock on them)."""
    from fascia.records.models import RecordStamp

    ids = sorted({pk for pk in client_ids if pk is not None})
    if not ids:
        return
    RecordStamp.objects.bulk_create(
        [RecordStamp(client_id=pk, token=secrets.randbits(40) + 1) for pk in ids],
        update_conflicts=True,
        unique_fields=["client_id"],
        update_fields=["token"],
    )


def stamped_models() -> list[type[models.Model]]:
    """Every model whose rows are part of a client's record: the client's own, and every model
    that names a client."""
    found: list[type[models.Model]] = []
    for model in apps.get_models():
        if not model.__module__.startswith("fascia.") or model._meta.label_lower in NOT_STAMPED:
            continue
        if model is Client or any(field.name == "client" for field in model._meta.fields):
            found.append(model)
    return found


def _client_of(instance: models.Model) -> int | None:
    return instance.pk if isinstance(instance, Client) else getattr(instance, "client_id", None)


def _on_row_written(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    stamp_records([_client_of(instance)])


def _on_rows_written(sender: Any, client_ids: Iterable[int], **kwargs: Any) -> None:
    stamp_records(client_ids)


def _on_links_changed(
    sender: Any, instance: models.Model, action: str, model: Any, pk_set: Any, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    if type(instance) in _stamped:
        stamp_records([_client_of(instance)])
    elif model in _stamped and pk_set:  # changed from the other side
        column = "pk" if model is Client else "client_id"
        stamp_records(model._base_manager.filter(pk__in=pk_set).values_list(column, flat=True))


_stamped: set[type[models.Model]] = set()


def connect_signals() -> None:
    for model in stamped_models():
        _stamped.add(model)
        uid = f"record-stamp:{model._meta.label_lower}"
        post_save.connect(_on_row_written, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_row_written, sender=model, dispatch_uid=f"{uid}:deleted")
        clients_written.connect(_on_rows_written, sender=model, dispatch_uid=f"{uid}:bulk")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _on_links_changed, sender=through, dispatch_uid=f"{uid}:{field.name}"
            )

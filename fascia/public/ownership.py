"""A client's own pages open only their own records. Anyone else's — another client's visit,
receipt, plan or record — answers 404, as if it did not exist, and the attempt is on the audit
log of the record's client ("refused"), so the practice sees who tried."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_noop

from fascia.accounts.practice_context import signed_in_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction

Record = TypeVar("Record", bound=models.Model)


def own_or_refused(
    request: HttpRequest, records: models.QuerySet[Record], pk: int, *, client_path: str = "client"
) -> Record:
    """The signed-in person's own record `pk` among `records`, whose client is found by
    `client_path` ("" when the records are clients themselves)."""
    user = signed_in_user(request)
    owner = f"{client_path}__user" if client_path else "user"
    found = records.filter(pk=pk, **{owner: user}).first()
    if found is not None:
        return found
    someone_elses = records.model._default_manager.filter(pk=pk).first()
    if someone_elses is not None:
        client: Any = someone_elses
        for step in client_path.split("__") if client_path else ():
            client = getattr(client, step)
        record_access(
            practice=client.practice,
            actor=user,
            action=AuditAction.REFUSED,
            record=someone_elses,
            client=client,
            request=request,
            role="client",
            detail=gettext_noop("not their record"),
        )
    raise Http404

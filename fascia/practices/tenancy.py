"""Tenancy: every record a practice owns carries its `practice`, and is read through
`for_practice()` so one practice never sees another's records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.db import models
from django.dispatch import Signal

if TYPE_CHECKING:
    from fascia.practices.models import Practice


# Sent after a bulk write (`update()`, `bulk_create()`) of a model with a `client`, which sends
# no post_save: `sender` is the model, `client_ids` the clients whose rows were written.
clients_written = Signal()
# Sent after a bulk write of a model whose listeners stamp something of its practice (the
# schedule stamps): `sender` is the model, `practice_ids` the practices whose rows were written.
practices_written = Signal()


class PracticeQuerySet(models.QuerySet):
    """For the practice itself: a bulk `update()` tells the listeners of `practices_written`."""

    def update(self, **kwargs: Any) -> int:
        practices = set(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        if updated:
            practices_written.send(sender=self.model, practice_ids=practices)
        return updated


class PracticeOwnedQuerySet(models.QuerySet):
    def for_practice(self, practice: Practice) -> Self:
        return self.filter(practice=practice)

    def _client_column(self) -> str | None:
        """Where a row names its client, for the listeners of `clients_written`."""
        if not clients_written.has_listeners(self.model):
            return None
        if self.model._meta.label == "clients.Client":
            return "pk"
        return "client_id" if any(f.name == "client" for f in self.model._meta.fields) else None

    def update(self, **kwargs: Any) -> int:
        column = self._client_column()
        announce_practices = practices_written.has_listeners(self.model)
        # Read before: the update may change what the filter matches.
        clients = set(self.values_list(column, flat=True)) if column else set()
        practices = set(self.values_list("practice_id", flat=True)) if announce_practices else set()
        updated = super().update(**kwargs)
        if updated and clients:
            clients_written.send(sender=self.model, client_ids=clients - {None})
        if updated and practices:
            practices_written.send(sender=self.model, practice_ids=practices)
        return updated

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        column = self._client_column()
        if column and created:
            clients = {getattr(row, "pk" if column == "pk" else "client_id") for row in created}
            clients_written.send(sender=self.model, client_ids=clients - {None})
        if created and practices_written.has_listeners(self.model):
            practices_written.send(
                sender=self.model, practice_ids={row.practice_id for row in created}
            )
        return created


PracticeOwnedManager = models.Manager.from_queryset(PracticeOwnedQuerySet)


class PracticeOwned(models.Model):
    """Base for every model that belongs to one practice (the tenant)."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects: ClassVar[PracticeOwnedManager] = PracticeOwnedManager()

    class Meta:
        abstract = True

"""Tenancy: every record a practice owns carries its `practice`, and is read through
`for_practice()` so one practice never sees another's records."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from django.db import models

if TYPE_CHECKING:
    from fascia.practices.models import Practice


class PracticeOwnedQuerySet(models.QuerySet):
    def for_practice(self, practice: Practice) -> Self:
        return self.filter(practice=practice)


PracticeOwnedManager = models.Manager.from_queryset(PracticeOwnedQuerySet)


class PracticeOwned(models.Model):
    """Base for every model that belongs to one practice (the tenant)."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects: ClassVar[PracticeOwnedManager] = PracticeOwnedManager()

    class Meta:
        abstract = True

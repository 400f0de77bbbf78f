"""Turning ids in API requests into the practice's records, with a clear 4xx otherwise."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from fascia.accounts.practice_context import BOOKING_ROLES, signed_in_user
from fascia.clients.models import Client
from fascia.practices.models import Practice
from fascia.scheduling.models import Appointment

ModelT = TypeVar("ModelT", bound=models.Model)


def practice_of(request: HttpRequest) -> Practice:
    """The practice a request acts for: the staff member's, or ?practice=slug for the public."""
    practice = getattr(request, "practice", None)
    if practice is not None:
        return practice
    slug = request.GET.get("practice")
    if slug:
        found = Practice.objects.filter(slug=slug).first()
        if found is not None:
            return found
        raise HttpError(404, _("No practice is called “%(slug)s”.") % {"slug": slug})
    only = list(Practice.objects.all()[:2])
    if len(only) == 1:
        return only[0]
    raise HttpError(400, _("Say which practice with ?practice=<slug>."))


def one_of(model: type[ModelT], practice: Practice, pk: int | None, name: str) -> ModelT:
    found = model._default_manager.filter(practice=practice, pk=pk).first()
    if found is None:
        raise HttpError(422, f"Unknown {name} {pk}.")
    return found


def is_booking_staff(request: HttpRequest, practice: Practice | int) -> bool:
    """Staff of this practice (given as a record or its id) who may book for its clients."""
    practice_id = practice if isinstance(practice, int) else practice.pk
    return getattr(getattr(request, "practice", None), "pk", None) == practice_id and (
        getattr(request, "staff_role", None) in BOOKING_ROLES
    )


def client_of(request: HttpRequest, client_id: int) -> Client:
    """A client of the staff member's practice, or the requester's own client record; 404
    otherwise."""
    practice = getattr(request, "practice", None)
    found = None
    if practice is not None:
        found = Client.objects.filter(practice=practice, pk=client_id).first()
    if found is None:
        found = Client.objects.filter(pk=client_id, user_id=request.user.pk or 0).first()
    if found is None:
        raise HttpError(404, _("No client %(client_id)s.") % {"client_id": client_id})
    return found


def own_client_record(request: HttpRequest, practice: Practice) -> Client:
    record = Client.objects.filter(practice=practice, user=signed_in_user(request)).first()
    if record is None:
        raise HttpError(
            403,
            _("This login has no client record at %(public_name)s.")
            % {"public_name": practice.public_name},
        )
    return record


def client_for_booking(request: HttpRequest, practice: Practice, client_id: int | None) -> Client:
    """Staff book for any of their practice's clients; a client only for themselves."""
    if is_booking_staff(request, practice):
        if client_id is None:
            raise HttpError(422, _("Say which client the appointment is for."))
        return one_of(Client, practice, client_id, "client")
    own = own_client_record(request, practice)
    if client_id is not None and client_id != own.pk:
        raise HttpError(403, _("A client can book only for themselves."))
    return own


def appointment_for(request: HttpRequest, appointment_id: int) -> tuple[Appointment, bool]:
    """The appointment and whether the requester changes it as staff (a booking role); 404 if
    it is neither their practice's nor their own. The bookkeeper finds it, but not as staff."""
    related = ("practice", "client", "therapist", "service", "location")
    practice = getattr(request, "practice", None)
    if practice is not None:
        found = (
            Appointment.objects.for_practice(practice)
            .select_related(*related)
            .filter(pk=appointment_id)
            .first()
        )
        if found is not None:
            return found, getattr(request, "staff_role", None) in BOOKING_ROLES
    own = (
        Appointment.objects.select_related(*related)
        .filter(pk=appointment_id, client__user_id=request.user.pk)
        .first()
    )
    if own is None:
        raise HttpError(
            404, _("No appointment %(appointment_id)s.") % {"appointment_id": appointment_id}
        )
    return own, False


def require(condition: Any, status: int, message: str) -> None:
    if not condition:
        raise HttpError(status, message)

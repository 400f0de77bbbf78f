"""The page a therapist meets at the record of a client not in their care, and the emergency
("break-glass") opening it offers: a reason, for a few hours, audited and shown to the owner."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fascia.accounts.access import CLINICAL_RECORD, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.clients.models import Client
from fascia.privacy.lockbox import LockedByClient
from fascia.privacy.lockbox_views import locked_page
from fascia.records.care import EMERGENCY_HOURS, NotInCare, open_in_emergency
from fascia.records.errors import RecordError
from fascia.scheduling.wording import time_text
from fascia.validation import local_next


def _not_in_care_page(
    request: HttpRequest, client: Client, back: str, *, error: str = "", reason: str = ""
) -> HttpResponse:
    return render(
        request,
        "records/not_in_care.html",
        {
            "client": client,
            "next": back,
            "hours": EMERGENCY_HOURS,
            "error": error,
            "reason": reason,
        },
        status=422 if error else 403,
    )


class NotInCareMiddleware:
    """A page that refused a record not in the therapist's care answers with the emergency
    opening's form (403) instead of an error page; one the client locked from the reader, with
    the lawful exceptions' form (`privacy.lockbox_views.locked_page`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotInCare):
            return _not_in_care_page(request, exception.client, request.get_full_path())
        if isinstance(exception, LockedByClient):
            return locked_page(request, exception.client, request.get_full_path())
        return None


@access(CLINICAL_RECORD)
def emergency_access(request: PracticeRequest, client_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    back = local_next(request)
    reason = request.POST.get("reason", "")
    try:
        opened = open_in_emergency(client, by=request.user, reason=reason, request=request)
    except RecordError as refused:
        return _not_in_care_page(request, client, back, error=refused.message, reason=reason)
    messages.warning(
        request,
        _(
            "Opened in an emergency until %(time)s. The owner sees this opening and your reason "
            "on the audit log."
        )
        % {"time": time_text(opened.ends_at.astimezone(request.practice.zone))},
    )
    return redirect(back or "records:chart", **({} if back else {"client_id": client.pk}))

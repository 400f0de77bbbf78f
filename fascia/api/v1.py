"""JSON API, version 1. Every operation declares its access policy with `auth=`; the API's
default (DenyAll) refuses any that forgets. OpenAPI schema at /api/v1/openapi.json."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestInvalid

from fascia.accounts.access import DenyAll
from fascia.api import (
    auth,
    billing,
    booking,
    clients,
    mobile,
    practice,
    records,
    schedule,
    waitlist,
)
from fascia.billing.errors import BillingError
from fascia.records.errors import RecordError
from fascia.scheduling.booking import BookingError

api = NinjaAPI(
    title="Fascia API",
    version="1",
    description=(
        "Massage-therapy practice management. Authenticate with a session cookie (the web "
        "app) or a bearer token from `POST /api/v1/auth/token`. Errors are "
        '`{"detail": "..."}` with the status that fits: 401/403 access, 404 not found, '
        "409 the time is taken, 422 invalid input."
    ),
    urls_namespace="api",
    auth=DenyAll(),
    docs_url="/docs",
)
for module in (auth, practice, booking, schedule, clients, mobile, waitlist, records, billing):
    api.add_router("/", module.router)


@api.exception_handler(BookingError)
def booking_refused(request: HttpRequest, error: BookingError) -> HttpResponse:
    return api.create_response(
        request, {"detail": error.message, "field": error.field}, status=error.status
    )


@api.exception_handler(BillingError)
def billing_refused(request: HttpRequest, error: BillingError) -> HttpResponse:
    return api.create_response(request, {"detail": error.message}, status=error.status)


@api.exception_handler(RecordError)
def record_refused(request: HttpRequest, error: RecordError) -> HttpResponse:
    return api.create_response(
        request, {"detail": error.message, "reasons": error.reasons}, status=error.status
    )


@api.exception_handler(RequestInvalid)
def request_invalid(request: HttpRequest, error: RequestInvalid) -> HttpResponse:
    """What was wrong with the request, as one sentence (the schema's `detail` is a string)."""
    problems = []
    for problem in error.errors:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part not in ("body",))
        problems.append(f"{where}: {problem.get('msg', 'invalid')}" if where else problem["msg"])
    return api.create_response(
        request, {"detail": "; ".join(problems) or "The request is not valid."}, status=422
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    if hasattr(error, "message_dict"):
        detail = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    else:
        detail = " ".join(error.messages)
    return api.create_response(request, {"detail": detail}, status=422)

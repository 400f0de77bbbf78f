"""Input the database cannot store, refused at the door with a clear 400 instead of a 500.

PostgreSQL (and UTF-8 everywhere) cannot hold a NUL character or half of a UTF-16 surrogate
pair; a date far outside any practice's life overflows time arithmetic. `unstorable` is the one
test for text, `bounded_moment`/`bounded_day` the one test for dates, used by the middleware
(every query string, form field, cookie and JSON body) and by the API's schemas."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Annotated, Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def unstorable(text: str) -> str | None:
    """Why the text cannot be stored (a NUL or a lone surrogate), or None when it can."""
    if "\x00" in text:
        return _("contains a NUL character")
    if any("\ud800" <= character <= "\udfff" for character in text):
        return _("contains an unpaired surrogate character")
    return None


def _storable_text(text: str) -> str:
    reason = unstorable(text)
    if reason:
        raise ValueError(reason)
    return text


def bounded_day(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(
            _("must be between %(first)s and %(last)s") % {"first": EARLIEST, "last": LATEST}
        )
    return day


def bounded_moment(moment: datetime) -> datetime:
    bounded_day(moment.date())
    if moment.tzinfo is not None:
        moment.astimezone(UTC)  # an offset that pushes it past the calendar fails here
    return moment


# For the API's schemas: text the database can store, dates a practice can live in, and whole
# numbers (ids, counts, minutes) that fit every integer column.
Text = Annotated[str, AfterValidator(_storable_text)]
MAX_ID = 2_147_483_647
Integer = Annotated[int, Field(ge=-2_147_483_648, le=MAX_ID)]
Day = Annotated[date, AfterValidator(bounded_day)]
Moment = Annotated[datetime, AfterValidator(bounded_moment)]


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a parsed JSON value (keys too), with where it was."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield where, str(key)
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _first_unstorable(request: HttpRequest) -> tuple[str, str] | None:
    sources: list[tuple[str, str]] = [("path", request.path)]
    for name, values in request.GET.lists():
        sources += [(name, name)] + [(name, value) for value in values]
    for name, value in request.COOKIES.items():
        sources += [(f"cookie {name}", name), (f"cookie {name}", value)]
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH"):
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, values in request.POST.lists():
                sources += [(name, name)] + [(name, value) for value in values]
        elif content_type == "application/json" and request.body:
            try:
                body = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                body = None  # the API itself says the JSON is broken
            sources += list(_strings(body, ""))
    for where, text in sources:
        reason = unstorable(text)
        if reason:
            return where or _("the request body"), reason
    return None


def optional_id(data: QueryDict, name: str) -> int | None:
    """A record's id from a page's form or query string (`?appointment=12`): None when not
    given; a 400 page saying what is wrong when it is not a whole number a record could have."""
    value = data.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise BadRequest(
            _("“%(value)s” is not a valid %(name)s; follow a link from the page instead.")
            % {"value": value[:40], "name": name}
        )
    return int(value)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page, with the reason (settings' handler400)."""
    reason = str(exception) if isinstance(exception, BadRequest) else ""
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}))


class StorableInputMiddleware:
    """Refuse a request carrying text the database cannot store before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = _first_unstorable(request)
        if refused is None:
            return self.get_response(request)
        where, reason = refused
        detail = _("%(field)s %(reason)s; remove it and try again.") % {
            "field": where,
            "reason": reason,
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail}, status=400)
        # No session or user yet (their cookies may be what was refused): a page of its own.
        return HttpResponseBadRequest(render_to_string("400.html", {"reason": detail}))


def local_next(request: HttpRequest) -> str:
    """The page a form returns to (its `next` field), only when it is on this site: "" for
    anything else, so a crafted link cannot send someone away."""
    back = request.POST.get("next", "")
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""

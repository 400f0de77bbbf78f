"""Repeat availability questions answered at the door.

Everyone opening a practice's booking page asks the same few questions (this service, these
weeks), and the answer is usually remembered already (`scheduling/remembered.py`). For a
visitor who is not signed in (no session cookie, no API token), the only thing that decides a
remembered answer is the question itself, so this middleware — placed right after the
security and static-file middleware, as Django's own cache middleware would be — answers a
question it has seen answered before without the rest of the request cycle: it checks the
schedule stamps (one indexed query), applies the booking window at this moment, and sends the
same body and headers the view would have. Anything else (a new question, a changed schedule,
a signed-in person, an answer that no longer holds) goes through the whole cycle as usual,
and the view then offers its answer for the next visitor (`offer_for_recall`).

The key is the exact query string with the visitor's language headers and cookies, so a
question spelled differently, or asked in another language, is simply not recognised here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from fascia.scheduling.remembered import IN_PROCESS_ANSWERS, Question
from fascia.scheduling.schedule import booking_window

# What identifies an anonymous visitor's question: query string, Accept-Language, Cookie.
Asked = tuple[str, str, str]
HEADERS_LEFT_TO_THE_RESPONSE = frozenset({"content-length", "content-type"})


@dataclass(frozen=True)
class RecallableAnswer:
    """A question the view answered for a visitor, with the headers its answer carried."""

    question: Question
    headers: tuple[tuple[str, str], ...]

    def response(self, now: datetime) -> HttpResponse | None:
        """The answer as the view would send it now, if it is still remembered."""
        prepared = self.question.recall(now)
        if prepared is None:
            return None
        window = booking_window(prepared.practice, as_staff=False, now=now)
        response: HttpResponse = prepared.response(window.start, window.end)
        for name, value in self.headers:
            response[name] = value
        response["Content-Length"] = str(len(response.content))  # as CommonMiddleware sets it
        return response


_recallable: dict[Asked, RecallableAnswer] = {}


def forget_recallable() -> None:
    """Forget the questions this process has seen (tests: the database is rolled back)."""
    _recallable.clear()


def offer_for_recall(request: HttpRequest, question: Question) -> None:
    """Called by a view whose answer depends only on the question and the schedule: the
    middleware may answer the same question from an anonymous visitor without it next time."""
    request.recallable_question = question  # type: ignore[attr-defined]


class RememberedAnswerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.availability_path = ""

    def _asked(self, request: HttpRequest) -> Asked | None:
        """The question, when this is an anonymous availability GET; None otherwise."""
        if not self.availability_path:
            self.availability_path = reverse("api:availability")
        meta = request.META
        if (
            request.method != "GET"
            or request.path_info != self.availability_path
            or "HTTP_AUTHORIZATION" in meta
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        return (
            meta.get("QUERY_STRING", ""),
            meta.get("HTTP_ACCEPT_LANGUAGE", ""),
            meta.get("HTTP_COOKIE", ""),
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        asked = self._asked(request)
        if asked is not None:
            known = _recallable.get(asked)
            answer = known.response(timezone.now()) if known is not None else None
            if answer is not None:
                return answer
        response = self.get_response(request)
        question: Question | None = getattr(request, "recallable_question", None)
        if (
            asked is not None
            and question is not None
            and response.status_code == 200
            and not response.cookies
        ):
            if len(_recallable) >= IN_PROCESS_ANSWERS:
                _recallable.clear()
            _recallable[asked] = RecallableAnswer(
                question,
                tuple(
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in HEADERS_LEFT_TO_THE_RESPONSE
                ),
            )
        return response

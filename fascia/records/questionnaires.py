"""Outcome questionnaires the therapist asks a client to fill in from their account before a
visit: asked (the client is emailed), then answered once by the client, scored by the measure's
published rules into the record like any other score (`assessment.record_outcome`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.links import absolute
from fascia.notifications.outbox import Message, enqueue
from fascia.records import outcomes
from fascia.records.assessment import record_outcome
from fascia.records.auditing import audit_record
from fascia.records.errors import RecordError
from fascia.records.models import QuestionnaireRequest


def ask_for_questionnaire(
    client: Client,
    *,
    measure: str,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> QuestionnaireRequest:
    """Ask the client to fill in `measure` from their account; they are emailed a link."""
    found = outcomes.MEASURES.get(measure)
    if found is None:
        raise RecordError(_("There is no such questionnaire."))
    if client.user_id is None:
        raise RecordError(
            _("%(client)s has no online account yet: invite them from their page first.")
            % {"client": client}
        )
    try:
        with transaction.atomic():
            asked = QuestionnaireRequest.objects.create(
                practice=client.practice,
                client=client,
                measure=found.code,
                asked_by=acting_user(by),
                asked_at=now or timezone.now(),
            )
            audit_record(AuditAction.CREATE, asked, client, by, request, f"asked: {found.name}")
            if client.email:
                enqueue(
                    client.practice,
                    Message(
                        channel="email",
                        to=client.email,
                        subject=_("Please fill in a short questionnaire"),
                        body=_(
                            "Hello %(name)s,\n\n%(practice)s asks you to fill in the "
                            "%(measure)s before your next visit. It takes a few minutes:\n"
                            "%(link)s\n\nSign in to your account to answer it."
                        )
                        % {
                            "name": client.preferred_name or client.legal_first_name,
                            "practice": client.practice.public_name,
                            "measure": found.name,
                            "link": absolute(reverse("public:questionnaire", args=[asked.pk])),
                        },
                        dedupe_key=f"questionnaire:{asked.pk}",
                    ),
                )
    except IntegrityError as duplicate:
        raise RecordError(
            _("%(measure)s is already waiting for the client.") % {"measure": found.name}
        ) from duplicate
    return asked


def answer_questionnaire(
    asked: QuestionnaireRequest,
    *,
    answers: list[int | None],
    activities: list[str] | None = None,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> QuestionnaireRequest:
    """The client's answers, scored into their record; the request is then answered."""
    person = acting_user(by)
    if person is None or person.pk != asked.client.user_id:
        raise RecordError(_("Only the client may answer their questionnaire."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = QuestionnaireRequest.objects.select_for_update().get(pk=asked.pk)
        if locked.answered_at is not None:
            raise RecordError(_("This questionnaire is already answered. Thank you!"))
        score = record_outcome(
            asked.client,
            measure=asked.measure,
            answers=answers,
            activities=activities,
            by=by,
            request=request,
            now=now,
        )
        locked.score, locked.answered_at = score, now
        locked.save(update_fields=["score", "answered_at"])
    return locked


def open_questionnaires(client: Client) -> list[QuestionnaireRequest]:
    return list(QuestionnaireRequest.objects.filter(client=client, answered_at=None))


def answers_from(data: QueryDict, measure: outcomes.Measure) -> tuple[list[int | None], list[str]]:
    """A questionnaire form's answers in order (None for a skipped one); for PSFS, one rating per
    activity the client named. A value that is not a whole number is kept for the scorer to
    refuse."""

    def answer(name: str) -> int | None:
        text = data.get(name, "").strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            return measure.high + 1  # out of range: refused with the measure's own message

    if measure.names_activities:
        rows = [
            (data.get(f"activity_{n}", "").strip(), answer(f"rating_{n}"))
            for n in range(1, measure.items + 1)
        ]
        named = [(activity, rating) for activity, rating in rows if activity]
        return [rating for _, rating in named], [activity for activity, _ in named]
    return [answer(f"item_{n}") for n in range(1, measure.items + 1)], []


def questionnaire_form(data: QueryDict, measure: outcomes.Measure) -> dict[str, Any]:
    """What the questionnaire's form shows: the scale, each item with the answer given before
    a refusal (so nothing is typed twice), and the activity rows of PSFS."""
    return {
        "measure": measure,
        "choices": [str(value) for value in range(measure.low, measure.high + 1)],
        "items": [
            (n, label, data.get(f"item_{n}", ""))
            for n, label in enumerate(measure.item_labels, start=1)
        ],
        "activity_rows": [
            (n, data.get(f"activity_{n}", ""), data.get(f"rating_{n}", ""))
            for n in range(1, measure.items + 1)
        ],
    }

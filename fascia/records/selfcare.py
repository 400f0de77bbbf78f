"""Self-care plans: give one at a visit (sent to the client's account and by email), and print
it as a PDF with WeasyPrint."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.documents import document_language, render_pdf
from fascia.notifications.models import Channel
from fascia.notifications.outbox import Message, enqueue
from fascia.records.errors import RecordError
from fascia.records.models import SelfCareExercise, SelfCarePlan
from fascia.scheduling.models import Appointment


def give_self_care_plan(
    appointment: Appointment,
    *,
    exercises: list[tuple[SelfCareExercise, str]],
    next_visits: str,
    advice: str = "",
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> SelfCarePlan:
    """Record the home care given at a visit and send it to the client. Each exercise keeps
    its instructions and dose as given, so later library edits do not rewrite the plan; they
    are kept in the client's language (the library's French, when there is one)."""
    if not exercises and not advice.strip():
        raise RecordError(_("Choose at least one exercise or write the advice given."))
    if not next_visits.strip():
        raise RecordError(_("Recommend when to come back (e.g. weekly for 3 more weeks)."))
    foreign = [e.name for e, _ in exercises if e.practice_id != appointment.practice_id]
    if foreign:
        raise RecordError(
            _("Not in this practice's library: %(names)s.") % {"names": ", ".join(foreign)}
        )
    now = now or timezone.now()
    with translation.override(document_language(appointment.client)):
        items = [
            {
                "exercise": exercise.pk,
                "name": exercise.name,
                "kind": str(exercise.get_kind_display()),
                "instructions": exercise.instructions,
                "illustration": exercise.illustration,
                "dose": str(exercise.dose),
                "note": note.strip(),
            }
            for exercise, note in exercises
        ]
    with transaction.atomic():
        plan = SelfCarePlan.objects.create(
            practice=appointment.practice,
            client=appointment.client,
            appointment=appointment,
            therapist=appointment.therapist,
            items=items,
            next_visits=next_visits.strip(),
            advice=advice.strip(),
            created_at=now,
        )
        record_access(
            practice=appointment.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=plan,
            client=appointment.client,
            request=request,
        )
        transaction.on_commit(lambda: send_self_care_plan(plan))
    return plan


def plan_text(plan: SelfCarePlan) -> str:
    client = plan.client
    first = client.preferred_name or client.legal_first_name
    lines = [
        _("Hi %(first)s, here is your home care from %(therapist)s.")
        % {"first": first, "therapist": plan.therapist.display_name},
        "",
    ]
    for number, item in enumerate(plan.items, start=1):
        lines += [
            f"{number}. {item['name']} ({item['kind']}): {item['dose']}",
            item["instructions"],
        ]
        if item.get("note"):
            lines.append(_("Note: %(note)s") % {"note": item["note"]})
        lines.append("")
    if plan.advice:
        lines += [plan.advice, ""]
    lines += [
        _("Next visits: %(next_visits)s.") % {"next_visits": plan.next_visits},
        _("Stop any exercise that causes pain and tell your therapist."),
        "",
        _("Your plan is also in your account, where you can print it."),
        plan.practice.public_name,
    ]
    return "\n".join(lines)


def send_self_care_plan(plan: SelfCarePlan) -> None:
    if not plan.client.email:
        return
    with translation.override(document_language(plan.client)):
        subject, body = _("Your home care plan"), plan_text(plan)
    queued = enqueue(
        plan.practice,
        Message(
            channel=Channel.EMAIL,
            to=plan.client.email,
            subject=subject,
            body=body,
            dedupe_key=f"self-care:{plan.pk}",
        ),
    )
    if queued is not None:
        SelfCarePlan.objects.filter(pk=plan.pk).update(sent_at=timezone.now())


def self_care_pdf(plan: SelfCarePlan, language: str | None = None) -> bytes:
    """The plan as a printable PDF, in `language` (the client's preferred one when not given)."""
    return render_pdf(
        "records/self_care_pdf.html", {"plan": plan}, language or document_language(plan.client)
    )

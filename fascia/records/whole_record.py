"""A client's whole record, as the client has the right to a copy of it (PHIPA): their details,
visits, every health-history version (the answers written out with the questions), reviews,
consents, treatment plans, assessments, signed treatment notes with their amendments, outcome
scores, ranges of motion, self-care plans, disclosures and receipts. Drafts are left out: an
unsigned note is not yet part of the record.

`whole_record` gives it as data (the JSON download); `whole_record_pdf` as a readable document
in the client's language. Both are read through `export_whole_record`, the one audited way out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.documents import document_language, pdf_response, render_pdf
from fascia.privacy.lockbox import LockedParts, locked_for
from fascia.records.intake import BY_ID
from fascia.records.models import (
    Assessment,
    Consent,
    Disclosure,
    HealthHistory,
    HistoryReview,
    NoteAmendment,
    OutcomeScore,
    RangeOfMotion,
    RecordRequest,
    SelfCarePlan,
    TreatmentNote,
    TreatmentPlan,
)
from fascia.scheduling.models import Appointment

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Section:
    """One kind of record in the copy: its key in the JSON, its heading, its model, how its
    rows name the client, and the fields each row shows — the first is when it was written
    (the retention period counts from the latest of them)."""

    key: str
    heading: StrOrPromise
    model: type[models.Model]
    fields: tuple[str, ...]
    client_field: str = "client"
    only: tuple[tuple[str, Any], ...] = ()  # further conditions (signed notes only)

    def all_rows(self) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(**dict(self.only))

    def rows(self, client: Client) -> models.QuerySet[Any]:
        """The client's rows, oldest first, with the records they name (a visit's service and
        therapist…) read in the same query."""
        named = [
            name
            for name in self.fields
            if self.model._meta.get_field(name).many_to_one  # a foreign key shown by its name
        ]
        rows = self.all_rows().filter(**{self.client_field: client}).select_related(*named)
        return rows.order_by(self.fields[0], "pk")


SECTIONS: tuple[Section, ...] = (
    Section(
        "visits",
        gettext_lazy("Visits"),
        Appointment,
        ("starts_at", "service", "therapist", "duration_minutes", "status", "ended_early_reason"),
    ),
    Section(
        "health_history",
        gettext_lazy("Health history, every version"),
        HealthHistory,
        ("created_at", "version", "source", "answers", "skipped"),
    ),
    Section(
        "history_reviews",
        gettext_lazy("Health history reviewed at a visit"),
        HistoryReview,
        ("reviewed_at", "changed", "reviewed_by"),
    ),
    Section(
        "consents",
        gettext_lazy("Consents"),
        Consent,
        (
            "recorded_at",
            "scope",
            "given",
            "method",
            "areas",
            "nature",
            "risks",
            "signed_name",
            "withdrawn_at",
            "withdrawal_note",
        ),
    ),
    Section(
        "treatment_plans",
        gettext_lazy("Treatment plans"),
        TreatmentPlan,
        (
            "created_at",
            "therapist",
            "goals",
            "areas",
            "techniques",
            "pressure",
            "frequency",
            "visits_planned",
            "after_effects",
        ),
    ),
    Section(
        "assessments",
        gettext_lazy("Assessments"),
        Assessment,
        ("recorded_at", "posture", "palpation", "special_tests"),
    ),
    Section(
        "treatment_notes",
        gettext_lazy("Treatment notes (signed)"),
        TreatmentNote,
        (
            "signed_at",
            "therapist",
            "subjective",
            "objective",
            "assessment",
            "plan_text",
            "techniques",
            "areas_treated",
            "pressure",
            "client_response",
            "self_care",
        ),
        only=(("signed_at__isnull", False),),
    ),
    Section(
        "amendments",
        gettext_lazy("Amendments to treatment notes (the originals stay as written)"),
        NoteAmendment,
        ("created_at", "note", "text", "reason"),
        client_field="note__client",
    ),
    Section(
        "outcome_scores",
        gettext_lazy("Outcome scores"),
        OutcomeScore,
        ("recorded_at", "measure", "value", "band", "answers", "activities"),
    ),
    Section(
        "range_of_motion",
        gettext_lazy("Range of motion"),
        RangeOfMotion,
        ("recorded_at", "joint", "movement", "side", "degrees", "active"),
    ),
    Section(
        "self_care_plans",
        gettext_lazy("Self-care plans"),
        SelfCarePlan,
        ("created_at", "therapist", "items", "next_visits", "advice"),
    ),
    Section(
        "record_requests",
        gettext_lazy("Your requests to see or correct your record"),
        RecordRequest,
        ("received_on", "kind", "asked_for", "due_on", "extended_to", "outcome", "refusal_reason"),
    ),
    Section(
        "disclosures",
        gettext_lazy("Your record shared with others, with your consent"),
        Disclosure,
        ("disclosed_at", "recipient", "purpose", "consent_method"),
    ),
)


def sections() -> tuple[Section, ...]:
    """The record's own sections, then those other apps add (`FASCIA_WHOLE_RECORD_SECTIONS`:
    billing's receipts), so the record never imports them."""
    extra = tuple(import_string(path) for path in settings.FASCIA_WHOLE_RECORD_SECTIONS)
    return SECTIONS + extra


DETAILS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "email",
    "phone",
    "street",
    "unit",
    "city",
    "province",
    "postal_code",
    "preferred_language",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "consents_to_email_reminders",
    "consents_to_sms_reminders",
    "consents_to_marketing_email",
)


def _stored(row: models.Model, name: str) -> Any:
    """A field's value as data: related records by their name, everything else as stored."""
    field = row._meta.get_field(name)
    if field.is_relation:
        related = getattr(row, name)
        return str(related) if related is not None else None
    return field.value_from_object(row)  # type: ignore[union-attr]


def _locked_row(row: models.Model, locked: LockedParts) -> bool:
    """Whether the client locked this row from the reader (a note, its amendments, or their
    health history as a whole)."""
    if isinstance(row, TreatmentNote):
        return locked.note_locked(row)
    if isinstance(row, NoteAmendment):
        return locked.whole or row.note_id in locked.notes
    return isinstance(row, HealthHistory) and (locked.whole or locked.history)


def _row_data(row: models.Model, section: Section, locked: LockedParts) -> dict[str, Any]:
    first = section.fields[0]
    if _locked_row(row, locked):
        return {first: _stored(row, first), "locked_by_client": True}
    data = {name: _stored(row, name) for name in section.fields}
    if isinstance(row, HealthHistory) and locked.sections:
        data["answers"] = locked.visible_answers(row.answers)
        data["skipped"] = locked.visible_answers(row.skipped or {})
        data["locked_by_client"] = locked.locked_section_titles()
    return data


def whole_record(client: Client, locked: LockedParts | None = None) -> dict[str, Any]:
    """The client's whole record as data (the JSON copy); what the client locked from the
    reader is marked `locked_by_client` in place of its content."""
    locked = locked or LockedParts(client)
    return {
        "format": f"fascia-record/{FORMAT_VERSION}",
        "exported_at": timezone.now(),
        "practice": client.practice.public_name,
        "client": {name: _stored(client, name) for name in DETAILS},
        **{
            section.key: [_row_data(row, section, locked) for row in section.rows(client)]
            for section in sections()
        },
    }


def whole_record_json(client: Client, locked: LockedParts | None = None) -> str:
    return json.dumps(
        whole_record(client, locked), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


def _label(row: models.Model, name: str) -> str:
    """A field's name as the reader reads it."""
    return str(getattr(row._meta.get_field(name), "verbose_name", name))


def _shown(row: models.Model, name: str, zone: Any) -> str:
    """A field's value as a person reads it, in the active language."""
    field = row._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(getattr(row, f"get_{name}_display")())
    value = _stored(row, name)
    if isinstance(value, datetime):
        return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, date | Decimal | int):
        return str(value)
    if isinstance(value, list | dict):
        return _written_out(value)
    return str(value)


def _written_out(value: Any, depth: int = 0) -> str:
    """Stored structure (a body chart, a receipt's content, exercises) as lines a person reads:
    "name: value", lists one item to a line."""
    indent = "  " * depth
    if isinstance(value, dict):
        return "\n".join(
            f"{indent}{key.replace('_', ' ')}: {_written_out(item, depth + 1).lstrip()}"
            if not isinstance(item, list | dict) or not item
            else f"{indent}{key.replace('_', ' ')}:\n{_written_out(item, depth + 1)}"
            for key, item in value.items()
        )
    if isinstance(value, list):
        if all(not isinstance(item, list | dict) for item in value):
            return indent + ", ".join(str(item) for item in value)
        return "\n".join(_written_out(item, depth) for item in value)
    return indent + ("—" if value in (None, "") else str(value))


def _yes_no(value: Any) -> Any:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return value


def history_answers(
    history: HealthHistory, locked: LockedParts | None = None
) -> list[tuple[str, str]]:
    """A health-history version's answers written out: (question, answer), in the reader's
    language, and the questions skipped with the reason given (less what the client locked
    from the reader, which is named as locked)."""
    locked = locked or LockedParts(history.client)
    written = [(_("Locked by the client"), title) for title in locked.locked_section_titles()]
    for question_id, answer in locked.visible_answers(history.answers).items():
        question = BY_ID.get(question_id)
        if question is None:
            written.append((question_id, str(answer)))
            continue
        labels = dict(question.choices)
        values = answer if isinstance(answer, list) else [answer]
        shown = [
            str(
                labels.get(
                    value, _("yes") if value is True else _("no") if value is False else value
                )
            )
            for value in values
        ]
        written.append((str(question.text), ", ".join(shown)))
    for question_id, reason in locked.visible_answers(history.skipped or {}).items():
        question = BY_ID.get(question_id)
        text = str(question.text) if question else question_id
        written.append((text, _("skipped: %(reason)s") % {"reason": reason}))
    return written


def whole_record_pdf(client: Client, language: str, locked: LockedParts | None = None) -> bytes:
    """The client's whole record as a readable document."""
    zone = client.practice.zone
    locked = locked or LockedParts(client)
    drawn = []
    for section in sections():
        rows = []
        for row in section.rows(client):
            if _locked_row(row, locked):
                first = section.fields[0]
                rows.append(
                    [
                        (_label(row, first), _shown(row, first, zone)),
                        (_("Locked by the client"), _("The client locked this from you.")),
                    ]
                )
                continue
            shown = [
                (_label(row, name), _shown(row, name, zone))
                for name in section.fields
                if not (isinstance(row, HealthHistory) and name in ("answers", "skipped"))
            ]
            if isinstance(row, HealthHistory):
                shown += history_answers(row, locked)
            rows.append(shown)
        drawn.append((section.heading, rows))
    details = [(_label(client, name), _shown(client, name, zone)) for name in DETAILS]
    return render_pdf(
        "records/whole_record_pdf.html",
        {"client": client, "details": details, "sections": drawn, "exported_at": timezone.now()},
        language,
    )


def export_whole_record(
    client: Client, *, as_format: str, by: Any, request: Any = None, language: str = "en"
) -> Any:
    """The one way a client's whole record leaves Fascia: "json" (text) or "pdf" (bytes, in
    `language`), audited as an export; what the client locked from `by` stays out, marked."""
    if as_format not in ("json", "pdf"):
        raise ValueError(f"Unknown format {as_format!r}")
    record_access(
        practice=client.practice,
        actor=by,
        action=AuditAction.EXPORT,
        record=client,
        client=client,
        request=request,
        detail=f"whole record ({as_format})",
    )
    locked = locked_for(by, client)
    if as_format == "json":
        return whole_record_json(client, locked)
    return whole_record_pdf(client, language, locked)


def whole_record_response(client: Client, as_format: str, request: Any) -> HttpResponse:
    """The copy as a download, for the client's portal and the practice's chart alike."""
    if as_format not in ("json", "pdf"):
        raise Http404
    copy = export_whole_record(
        client,
        as_format=as_format,
        by=request.user,
        request=request,
        language=document_language(client, request),
    )
    day = timezone.localdate(timezone=client.practice.zone).isoformat()
    if as_format == "pdf":
        return pdf_response(copy, f"health-record-{day}.pdf")
    response = HttpResponse(copy, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="health-record-{day}.json"'
    return response

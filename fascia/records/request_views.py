"""The owner's page of clients' requests to see or correct their record: log one, extend it
once, answer it; overdue ones first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from fascia.accounts.access import RECORD_REQUESTS, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_search, record_view
from fascia.clients.models import Client
from fascia.practices.models import Practice
from fascia.records.errors import RecordError
from fascia.records.models import (
    RecordRequest,
    RecordRequestKind,
    RecordRequestOutcome,
    TreatmentNote,
)
from fascia.records.requests import (
    LONGEST_EXTENSION,
    answer_record_request,
    extend_record_request,
    log_record_request,
)


class NewRequestForm(forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), label=gettext_lazy("Client"))
    kind = forms.ChoiceField(
        choices=RecordRequestKind.choices, label=gettext_lazy("The client asks to")
    )
    received_on = forms.DateField(
        label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    asked_for = forms.CharField(
        label=gettext_lazy("What the client asked for"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clients = self.fields["client"]
        assert isinstance(clients, forms.ModelChoiceField)
        clients.queryset = Client.objects.for_practice(practice).order_by(
            "legal_last_name", "legal_first_name"
        )


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("More days"), min_value=1, max_value=LONGEST_EXTENSION
    )
    reason = forms.CharField(
        label=gettext_lazy("Why more time is needed (the client is told)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignedNoteChoice(forms.ModelChoiceField):
    """A signed treatment note, named by its day and first words."""

    def label_from_instance(self, obj: Any) -> str:
        day = timezone.localtime(obj.signed_at, obj.practice.zone)
        return f"{day:%Y-%m-%d} · {obj.subjective[:60]}"


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(choices=RecordRequestOutcome.choices, label=gettext_lazy("Outcome"))
    note = forms.CharField(
        label=gettext_lazy("What was given or changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    refusal_reason = forms.CharField(
        label=gettext_lazy("Why it was refused (in whole or part)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    correct_note = SignedNoteChoice(
        queryset=TreatmentNote.objects.none(),
        required=False,
        label=gettext_lazy("Treatment note to correct (an amendment is added; the original stays)"),
    )
    correction = forms.CharField(
        label=gettext_lazy("The correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, asked: RecordRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signed = TreatmentNote.objects.filter(client=asked.client, signed_at__isnull=False)
        notes = self.fields["correct_note"]
        assert isinstance(notes, forms.ModelChoiceField)
        notes.queryset = signed.order_by("-signed_at")


@access(RECORD_REQUESTS)
def record_requests(request: PracticeRequest) -> HttpResponse:
    practice = request.practice
    form = NewRequestForm(request.POST or None, practice=practice)
    if request.method == "POST" and form.is_valid():
        try:
            logged = log_record_request(
                form.cleaned_data["client"],
                kind=form.cleaned_data["kind"],
                received_on=form.cleaned_data["received_on"],
                asked_for=form.cleaned_data["asked_for"],
                by=request.user,
                request=request,
            )
        except RecordError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Request logged: answer it by %(day)s.") % {"day": logged.due_on.isoformat()},
            )
            return redirect("records:record-request", request_id=logged.pk)
    record_search(
        request, practice, record_type="records.recordrequest", detail=gettext_noop("requests")
    )
    today = timezone.localdate(timezone=practice.zone)
    every = list(RecordRequest.objects.for_practice(practice).select_related("client"))
    waiting = sorted((r for r in every if not r.outcome), key=lambda r: r.deadline)
    answered = [r for r in every if r.outcome][:50]
    return render(
        request,
        "records/record_requests.html",
        {"form": form, "waiting": waiting, "answered": answered, "today": today},
        status=422 if form.errors else 200,
    )


@access(RECORD_REQUESTS)
def record_request(request: PracticeRequest, request_id: int) -> HttpResponse:
    asked = get_object_or_404(
        RecordRequest.objects.for_practice(request.practice).select_related("client"),
        pk=request_id,
    )
    extend = ExtendForm(request.POST if request.POST.get("do") == "extend" else None)
    answer = AnswerForm(request.POST if request.POST.get("do") == "answer" else None, asked=asked)
    if request.method == "POST":
        chosen = extend if request.POST.get("do") == "extend" else answer
        if chosen.is_valid():
            try:
                if chosen is extend:
                    extend_record_request(
                        asked,
                        days=extend.cleaned_data["days"],
                        reason=extend.cleaned_data["reason"],
                        by=request.user,
                        request=request,
                    )
                else:
                    data = answer.cleaned_data
                    answer_record_request(
                        asked,
                        outcome=data["outcome"],
                        note=data["note"],
                        refusal_reason=data["refusal_reason"],
                        correct_note=data["correct_note"],
                        correction=data["correction"],
                        by=request.user,
                        request=request,
                    )
            except RecordError as refused:
                chosen.add_error(None, refused.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("records:record-request", request_id=asked.pk)
    record_view(request, asked.client, record=asked, detail=gettext_noop("record request"))
    return render(
        request,
        "records/record_request.html",
        {"asked": asked, "extend": extend, "answer": answer},
        status=422 if (extend.errors or answer.errors) else 200,
    )

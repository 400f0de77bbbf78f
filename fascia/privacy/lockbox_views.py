"""The lockbox's pages: the client locks or unlocks parts of their record from their account;
the practice records an instruction the client gave in person or in writing; a therapist or the
owner who meets a locked part sees "locked by the client" and may open it only under a lawful
exception, with the reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import CLIENT_DIRECTORY, CLINICAL_RECORD, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_view
from fascia.clients.models import Client
from fascia.practices.models import Therapist
from fascia.privacy import lockbox
from fascia.privacy.models import LawfulException, LockboxDirective, LockedPart, WithheldFrom
from fascia.records.errors import RecordError
from fascia.records.models import TreatmentNote
from fascia.scheduling.wording import time_text
from fascia.validation import local_next


class LockboxForm(forms.Form):
    part = forms.ChoiceField(
        label=gettext_lazy("What to lock"), choices=LockedPart.choices, widget=forms.RadioSelect
    )
    history_section = forms.ChoiceField(
        label=gettext_lazy("Which section of the health history"), required=False
    )
    note = forms.ChoiceField(label=gettext_lazy("Which treatment note"), required=False)
    withheld_from = forms.ChoiceField(
        label=gettext_lazy("Withhold it from"),
        choices=WithheldFrom.choices,
        widget=forms.RadioSelect,
    )
    practitioners = forms.MultipleChoiceField(
        label=gettext_lazy("Practitioners"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Those it is withheld from, or those who may still see it."),
    )

    def __init__(self, client: Client, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        sections = self.fields["history_section"]
        assert isinstance(sections, forms.ChoiceField)
        sections.choices = [
            ("", "—"),
            *((key, str(title)) for key, title in lockbox.history_sections().items()),
        ]
        self.notes = {
            note.pk: note
            for note in TreatmentNote.objects.filter(client=client)
            .exclude(signed_at=None)
            .select_related("appointment", "therapist")
            .order_by("-appointment__starts_at")
        }
        zone = client.practice.zone
        note_field = self.fields["note"]
        assert isinstance(note_field, forms.ChoiceField)
        note_field.choices = [
            ("", "—"),
            *(
                (
                    str(pk),
                    f"{note.appointment.starts_at.astimezone(zone):%Y-%m-%d} · "
                    f"{note.therapist.display_name}",
                )
                for pk, note in self.notes.items()
            ),
        ]
        self.therapists = {
            t.pk: t
            for t in Therapist.objects.for_practice(client.practice).order_by("display_name")
        }
        named = self.fields["practitioners"]
        assert isinstance(named, forms.MultipleChoiceField)
        named.choices = [(str(pk), t.display_name) for pk, t in self.therapists.items()]

    def lock(self, *, by: Any, request: HttpRequest) -> LockboxDirective:
        data = self.cleaned_data
        return lockbox.lock_record(
            self.client,
            part=data["part"],
            history_section=data["history_section"],
            note=self.notes.get(int(data["note"])) if data["note"] else None,
            withheld_from=data["withheld_from"],
            practitioners=[self.therapists[int(pk)] for pk in data["practitioners"]],
            by=by,
            request=request,
        )


def lockbox_page(
    request: HttpRequest, client: Client, *, staff: bool, form: LockboxForm | None = None
) -> HttpResponse:
    directives = LockboxDirective.objects.filter(client=client).prefetch_related("practitioners")
    titles = lockbox.history_sections()
    return render(
        request,
        "privacy/lockbox.html",
        {
            "client": client,
            "staff": staff,
            "form": form or LockboxForm(client),
            "in_force": [
                (d, titles.get(d.history_section, "")) for d in directives if d.lifted_at is None
            ],
            "lifted": [d for d in directives if d.lifted_at is not None],
        },
        status=422 if form is not None and form.errors else 200,
    )


def change_lockbox(request: HttpRequest, client: Client, *, staff: bool) -> HttpResponse:
    """The POST of either page: lift a lock, or record a new one."""
    back = redirect(request.path)
    lift = request.POST.get("lift")
    if lift:
        directive = get_object_or_404(
            LockboxDirective.objects.filter(client=client), pk=int(lift) if lift.isdigit() else 0
        )
        try:
            lockbox.lift_lock(directive, by=request.user, request=request)
        except RecordError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Unlocked: this part is shared again from now on."))
        return back
    form = LockboxForm(client, request.POST)
    if form.is_valid():
        try:
            form.lock(by=request.user, request=request)
        except RecordError as refused:
            for reason in refused.reasons or [refused.message]:
                form.add_error(None, reason)
        else:
            messages.success(request, _("Locked. The practice sees it marked as locked by you."))
            return back
    return lockbox_page(request, client, staff=staff, form=form)


@access(CLIENT_DIRECTORY)
def client_lockbox(request: PracticeRequest, client_id: int) -> HttpResponse:
    """The practice records the lockbox instruction a client gave in person or in writing."""
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    if request.method == "POST":
        return change_lockbox(request, client, staff=True)
    record_view(request, client, record_type="privacy.lockbox")
    return lockbox_page(request, client, staff=True)


def locked_page(
    request: HttpRequest, client: Client, back: str, *, error: str = "", reason: str = ""
) -> HttpResponse:
    """The page a reader meets at a part the client locked from them (403)."""
    return render(
        request,
        "privacy/locked_by_client.html",
        {
            "client": client,
            "next": back,
            "locked": lockbox.locked_for(request.user, client),
            "exceptions": LawfulException.choices,
            "hours": lockbox.OVERRIDE_HOURS,
            "error": error,
            "reason": reason,
        },
        status=422 if error else 403,
    )


@access(CLINICAL_RECORD)
def override(request: PracticeRequest, client_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    back = local_next(request)
    reason = request.POST.get("reason", "")
    try:
        opened = lockbox.override_lock(
            client,
            by=request.user,
            exception=request.POST.get("exception", ""),
            reason=reason,
            request=request,
        )
    except RecordError as refused:
        return locked_page(request, client, back, error=refused.message, reason=reason)
    messages.warning(
        request,
        _(
            "Opened under a lawful exception until %(time)s. The owner sees it and your reason "
            "on the audit log."
        )
        % {"time": time_text(opened.ends_at.astimezone(request.practice.zone))},
    )
    return redirect(back or "records:chart", **({} if back else {"client_id": client.pk}))

"""Professional records (each therapist's registration, insurance, continuing education and
CPR/first aid) and equipment records. A therapist keeps their own; the owner sees everyone's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.access import EQUIPMENT, PROFESSIONAL_RECORDS, access
from fascia.accounts.models import Role
from fascia.accounts.practice_context import PracticeRequest, signed_in_user
from fascia.practices.models import Location, Therapist
from fascia.practices.setup import save_therapist_profile
from fascia.professional.actions import (
    add_education,
    add_equipment,
    add_first_aid,
    add_insurance,
    record_equipment_service,
    save_registration,
)
from fascia.professional.forms import (
    EducationForm,
    EquipmentForm,
    EquipmentServiceForm,
    FirstAidForm,
    InsuranceForm,
    PublicProfileForm,
    RegistrationForm,
)
from fascia.professional.models import ContinuingEducation, Equipment
from fascia.professional.reminders import equipment_with_due_dates
from fascia.professional.standing import education_cycle, lapses


def _therapists_for(request: PracticeRequest) -> Any:
    therapists = Therapist.objects.for_practice(request.practice).filter(is_active=True)
    if request.staff_role != Role.OWNER:
        therapists = therapists.filter(user_id=request.user.pk)
    return therapists


@access(PROFESSIONAL_RECORDS)
def professional_overview(request: PracticeRequest) -> HttpResponse:
    """The owner's list of therapists and their standing; a therapist goes to their own."""
    therapists = list(_therapists_for(request))
    if request.staff_role != Role.OWNER:
        if not therapists:
            raise Http404
        return redirect("staff:professional-records", therapist_id=therapists[0].pk)
    today = timezone.localdate()
    return render(
        request,
        "staff/professional_overview.html",
        {"rows": [(therapist, lapses(therapist, today)) for therapist in therapists]},
    )


FORMS = {
    "profile": PublicProfileForm,
    "registration": RegistrationForm,
    "insurance": InsuranceForm,
    "education": EducationForm,
    "first_aid": FirstAidForm,
}


@access(PROFESSIONAL_RECORDS)
def professional_records(request: PracticeRequest, therapist_id: int) -> HttpResponse:
    therapist = get_object_or_404(_therapists_for(request), pk=therapist_id)
    today = timezone.localdate()
    posted = request.POST.get("record") if request.method == "POST" else None
    forms: dict[str, BaseForm] = {
        name: form_class(
            request.POST if name == posted else None,
            request.FILES if name == posted else None,
            **({"instance": therapist} if name in ("registration", "profile") else {}),
        )
        for name, form_class in FORMS.items()
    }
    if posted in forms and forms[posted].is_valid():
        try:
            _save(posted, forms[posted], therapist, today)
        except ValidationError as refused:
            _attach(forms[posted], refused)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:professional-records", therapist_id=therapist.pk)
    return render(
        request,
        "staff/professional_records.html",
        {
            "therapist": therapist,
            "forms": forms,
            "lapses": lapses(therapist, today),
            "cycle": education_cycle(therapist, today),
            "insurance_policies": therapist.insurance_policies.all(),
            "education": therapist.education.all(),
            "first_aid": therapist.first_aid_certificates.all(),
        },
    )


def _save(posted: str, form: BaseForm, therapist: Therapist, today: Any) -> None:
    data = dict(form.cleaned_data)
    if posted == "profile":
        therapist.refresh_from_db()  # the form changed its copy while checking it
        save_therapist_profile(therapist, **form.profile())  # type: ignore[attr-defined]
    elif posted == "registration":
        save_registration(therapist, **data)
    elif posted == "insurance":
        add_insurance(therapist, **data)
    elif posted == "education":
        add_education(therapist, today=today, **data)
    else:
        add_first_aid(therapist, **data)


def _attach(form: BaseForm, refused: ValidationError) -> None:
    if not hasattr(refused, "error_dict"):
        form.add_error(None, refused)
        return
    for field, reasons in refused.message_dict.items():
        form.add_error(field if field in form.fields else None, reasons)


@access(PROFESSIONAL_RECORDS)
def certificate(request: PracticeRequest, education_id: int) -> FileResponse:
    activity = get_object_or_404(
        ContinuingEducation.objects.for_practice(request.practice).filter(
            therapist__in=_therapists_for(request)
        ),
        pk=education_id,
    )
    if not activity.certificate:
        raise Http404
    return FileResponse(activity.certificate.open("rb"), as_attachment=True)


@access(EQUIPMENT)
def equipment_list(request: PracticeRequest) -> HttpResponse:
    form = EquipmentForm(request.POST or None)
    form.fields["location"].queryset = Location.objects.for_practice(  # type: ignore[attr-defined]
        request.practice
    ).filter(is_active=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            add_equipment(data.pop("location"), **data)
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, _("Equipment added."))
            return redirect("staff:equipment")
    today = timezone.localdate()
    return render(
        request,
        "staff/equipment.html",
        {
            "rows": [
                (item, due, due <= today)
                for item, due in equipment_with_due_dates(request.practice)
            ],
            "form": form,
        },
    )


@access(EQUIPMENT)
def equipment_detail(request: PracticeRequest, equipment_id: int) -> HttpResponse:
    item = get_object_or_404(
        Equipment.objects.for_practice(request.practice).select_related("location"),
        pk=equipment_id,
    )
    form = EquipmentServiceForm(request.POST or None)
    today = timezone.localdate()
    if request.method == "POST" and form.is_valid():
        try:
            record_equipment_service(
                item, by=signed_in_user(request), today=today, **form.cleaned_data
            )
        except ValidationError as refused:
            _attach(form, refused)
        else:
            messages.success(request, _("Recorded."))
            return redirect("staff:equipment-detail", equipment_id=item.pk)
    due = dict(equipment_with_due_dates(request.practice)).get(item)
    return render(
        request,
        "staff/equipment_detail.html",
        {
            "item": item,
            "due": due,
            "overdue": due is not None and due <= today,
            "services": item.services.select_related("recorded_by"),
            "form": form,
        },
    )

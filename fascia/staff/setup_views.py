"""The owner's set-up pages: the checklist and one page per step. Thin: forms check what was
typed, the actions in `fascia.practices.setup`, `fascia.scheduling.weekly_hours` and
`fascia.scheduling.readiness` save it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import PRACTICE_SETUP, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.practices.models import Location, Room, Service, ServiceArea, Therapist
from fascia.practices.setup import save_location, save_service, save_service_area, update_practice
from fascia.scheduling.geography import describe_days
from fascia.scheduling.readiness import open_online_booking
from fascia.scheduling.weekly_hours import current_week, save_weekly_hours
from fascia.staff.checklist import setup_checklist
from fascia.staff.setup_forms import (
    CancellationPolicyForm,
    LocationForm,
    PracticeDetailsForm,
    ReceiptDetailsForm,
    RemindersForm,
    ServiceAreaForm,
    ServiceForm,
    WeeklyHoursForm,
)


def _attach(form: BaseForm, error: ValidationError) -> None:
    """An action's refusal, on the form field it names (or the whole form)."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error)


def _saved(request: PracticeRequest, what: str) -> HttpResponse:
    messages.success(request, _("%(what)s saved.") % {"what": what})
    return redirect("staff:setup")


@access(PRACTICE_SETUP)
def checklist(request: PracticeRequest) -> HttpResponse:
    return render(
        request, "staff/setup/checklist.html", {"checklist": setup_checklist(request.practice)}
    )


@access(PRACTICE_SETUP)
def open_booking(request: PracticeRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    opening = request.POST.get("open") == "yes"
    try:
        open_online_booking(request.practice, open_=opening)
    except ValidationError as error:
        for reason in error.messages:
            messages.error(request, reason)
    else:
        messages.success(
            request,
            _("Online booking is open: clients can book now.")
            if opening
            else _("Online booking is closed: clients see how to reach you instead."),
        )
    return redirect("staff:setup")


PRACTICE_PAGES: dict[str, tuple[type[BaseForm], Any]] = {
    "details": (PracticeDetailsForm, gettext_lazy("Practice details and branding")),
    "receipts": (ReceiptDetailsForm, gettext_lazy("Receipt details")),
    "cancellation": (CancellationPolicyForm, gettext_lazy("Cancellation policy and booking rules")),
    "reminders": (RemindersForm, gettext_lazy("Reminders")),
}


def _practice_page(request: PracticeRequest, step: str) -> HttpResponse:
    form_class, title = PRACTICE_PAGES[step]
    practice = request.practice
    form = form_class(request.POST or None, request.FILES or None, instance=practice)  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if "logo" in fields and not fields["logo"]:
            del fields["logo"]  # no new file: keep the logo there is
        practice.refresh_from_db()  # the form changed its copy while checking it
        try:
            update_practice(practice, step=step, **fields)
        except ValidationError as error:
            _attach(form, error)
        else:
            return _saved(request, str(title))
    return render(
        request,
        "staff/setup/form.html",
        {"form": form, "title": title, "multipart": step == "details"},
    )


@access(PRACTICE_SETUP)
def details(request: PracticeRequest) -> HttpResponse:
    return _practice_page(request, "details")


@access(PRACTICE_SETUP)
def receipts(request: PracticeRequest) -> HttpResponse:
    return _practice_page(request, "receipts")


@access(PRACTICE_SETUP)
def cancellation(request: PracticeRequest) -> HttpResponse:
    return _practice_page(request, "cancellation")


@access(PRACTICE_SETUP)
def reminders(request: PracticeRequest) -> HttpResponse:
    return _practice_page(request, "reminders")


@access(PRACTICE_SETUP)
def locations(request: PracticeRequest) -> HttpResponse:
    rows = Location.objects.for_practice(request.practice).prefetch_related(
        Prefetch("rooms", queryset=Room.objects.filter(is_active=True)), "opening_hours"
    )
    return render(request, "staff/setup/locations.html", {"locations": rows})


@access(PRACTICE_SETUP)
def location(request: PracticeRequest, location_id: int | None = None) -> HttpResponse:
    practice = request.practice
    existing = (
        get_object_or_404(Location.objects.for_practice(practice), pk=location_id)
        if location_id
        else None
    )
    initial: dict[str, Any] = {}
    if existing is not None:
        initial["rooms"] = "\n".join(
            existing.rooms.filter(is_active=True).values_list("name", flat=True)
        )
        for opening in existing.opening_hours.all():
            initial[f"opens_{opening.weekday}"] = opening.opens_at
            initial[f"closes_{opening.weekday}"] = opening.closes_at
    form = LocationForm(request.POST or None, instance=existing, initial=initial)
    if request.method == "POST" and form.is_valid():
        if existing is not None:
            existing.refresh_from_db()
        try:
            save_location(
                practice,
                existing,
                rooms=form.room_names(),
                opening_hours=form.opening_hours(),
                **form.location_fields(),
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Location saved."))
            return redirect("staff:setup-locations")
    return render(request, "staff/setup/location.html", {"form": form, "location": existing})


@access(PRACTICE_SETUP)
def service_areas(request: PracticeRequest) -> HttpResponse:
    areas = [
        (area, describe_days(area))
        for area in ServiceArea.objects.for_practice(request.practice).prefetch_related("locations")
    ]
    has_mobile = (
        Location.objects.for_practice(request.practice).filter(kind=Location.Kind.MOBILE).exists()
    )
    return render(
        request, "staff/setup/service_areas.html", {"areas": areas, "has_mobile": has_mobile}
    )


@access(PRACTICE_SETUP)
def service_area(request: PracticeRequest, area_id: int | None = None) -> HttpResponse:
    practice = request.practice
    existing = (
        get_object_or_404(ServiceArea.objects.for_practice(practice), pk=area_id)
        if area_id
        else None
    )
    form = ServiceAreaForm(request.POST or None, instance=existing, practice=practice)
    if request.method == "POST" and form.is_valid():
        if existing is not None:
            existing.refresh_from_db()
        try:
            save_service_area(
                practice,
                existing,
                locations=form.cleaned_data["served_from"],
                **form.area_fields(),
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Service area saved."))
            return redirect("staff:setup-service-areas")
    return render(request, "staff/setup/service_area.html", {"form": form, "area": existing})


@access(PRACTICE_SETUP)
def services(request: PracticeRequest) -> HttpResponse:
    rows = Service.objects.for_practice(request.practice).prefetch_related("durations")
    return render(request, "staff/setup/services.html", {"services": rows})


@access(PRACTICE_SETUP)
def service(request: PracticeRequest, service_id: int | None = None) -> HttpResponse:
    practice = request.practice
    existing = (
        get_object_or_404(Service.objects.for_practice(practice), pk=service_id)
        if service_id
        else None
    )
    form = ServiceForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        if existing is not None:
            existing.refresh_from_db()
        try:
            save_service(practice, existing, lengths=form.lengths(), **form.service_fields())
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Service saved."))
            return redirect("staff:setup-services")
    return render(request, "staff/setup/service.html", {"form": form, "service": existing})


@access(PRACTICE_SETUP)
def hours(request: PracticeRequest) -> HttpResponse:
    therapists = Therapist.objects.for_practice(request.practice).filter(is_active=True)
    return render(request, "staff/setup/hours.html", {"therapists": therapists})


@access(PRACTICE_SETUP)
def therapist_hours(request: PracticeRequest, therapist_id: int) -> HttpResponse:
    practice = request.practice
    therapist = get_object_or_404(Therapist.objects.for_practice(practice), pk=therapist_id)
    shifts, breaks = current_week(therapist)
    form = WeeklyHoursForm(
        request.POST or None,
        practice=practice,
        initial=WeeklyHoursForm.initial_for(shifts, breaks)
        | {"techniques": therapist.modalities or []},
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_weekly_hours(
                therapist,
                shifts=form.shifts(),
                breaks=form.breaks(),
                techniques=form.cleaned_data["techniques"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(
                request, _("%(name)s's weekly hours saved.") % {"name": therapist.display_name}
            )
            return redirect("staff:setup-hours")
    return render(
        request, "staff/setup/therapist_hours.html", {"form": form, "therapist": therapist}
    )

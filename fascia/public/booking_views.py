"""Online booking for clients: service -> therapist (or anyone) -> location -> time -> details
-> confirmation. Each step reads the choice from the URL; writes go through the scheduling
actions (hold, book, reschedule) and the client-account action."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fascia.accounts.access import PUBLIC, SIGNED_IN, access
from fascia.accounts.practice_context import signed_in_user
from fascia.billing.money import ZERO
from fascia.billing.quotes import quote_visit
from fascia.billing.tax import tax_for
from fascia.clients.models import Client
from fascia.practices.models import Location, Practice, Service, ServiceDuration, Therapist
from fascia.public.booking_flow import ANYONE, BookingChoice, resolve
from fascia.public.closed import open_for_booking
from fascia.public.email_confirmation import Person, ask_to_confirm_by_email
from fascia.public.site_views import site_context
from fascia.scheduling.booking import (
    BookingError,
    BookingRequest,
    VisitAddress,
    book_appointment,
    booking_warnings,
    policy_acceptance_needed,
)
from fascia.scheduling.choices import anyone_by_start, offered_by, sole_location
from fascia.scheduling.errors import NotServed
from fascia.scheduling.geography import Point, describe_days, locate_visit
from fascia.scheduling.holds import hold_slot, holder_digest
from fascia.scheduling.models import Appointment, AppointmentStatus, BookingChannel
from fascia.scheduling.moves import reschedule_appointment
from fascia.scheduling.schedule import (
    AvailabilityRequest,
    available_slots,
    duration_for,
)
from fascia.scheduling.travel import travel_fee

HOLD_SESSION_KEY = "fascia_booking_hold"
DAYS_SHOWN = 7


def _practice(slug: str) -> Practice:
    return get_object_or_404(Practice, slug=slug)


def _step_url(practice: Practice, step: str, choice: BookingChoice) -> str:
    return reverse(f"public:book-{step}", args=[practice.slug]) + "?" + choice.query()


def _own_client(request: HttpRequest, practice: Practice) -> Client | None:
    """The signed-in person's client record at this practice (None when signed out)."""
    return Client.objects.filter(practice=practice, user_id=request.user.pk or 0).first()


@access(PUBLIC)
@open_for_booking
def choose_service(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    services = (
        Service.objects.for_practice(practice)
        .filter(is_active=True, bookable_online=True)
        .prefetch_related(
            Prefetch("durations", queryset=ServiceDuration.objects.order_by("minutes"))
        )
    )
    choice = BookingChoice.from_request(request)
    context = site_context(
        request,
        practice,
        page="services",
        title=_("Services and prices"),
        description=_("Treatments, lengths and prices at %(practice)s, and online booking.")
        % {"practice": practice.public_name},
    )
    context.update(services=services, choice=choice, tax_name=tax_for(practice)[0])
    return render(request, "public/book_service.html", context)


@access(PUBLIC)
@open_for_booking
def choose_therapist(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    choice = BookingChoice.from_request(request)
    chosen = resolve(practice, choice)
    if duration_for(chosen.service, choice.minutes) is None:
        return redirect(_step_url(practice, "service", choice))
    therapists, _ = offered_by(practice, chosen.service)
    if len(therapists) == 1:
        return redirect(
            _step_url(practice, "location", choice.with_(therapist=str(therapists[0].pk)))
        )
    if choice.therapist and any(str(t.pk) == choice.therapist for t in therapists):
        # Chosen on the therapist's own page: straight on to the location.
        return redirect(_step_url(practice, "location", choice))
    return render(
        request,
        "public/book_therapist.html",
        {
            "practice": practice,
            "choice": choice,
            "service": chosen.service,
            "therapists": therapists,
            "anyone": ANYONE,
        },
    )


@access(PUBLIC)
@open_for_booking
def choose_location(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(slug)
    choice = BookingChoice.from_request(request)
    chosen = resolve(practice, choice)
    _, locations = offered_by(practice, chosen.service)
    error = ""
    if chosen.location is not None and chosen.location.is_mobile:
        try:
            visit = locate_visit(chosen.location, choice.postal_code)
        except NotServed as refused:
            error = refused.message
        else:
            return redirect(
                _step_url(practice, "time", choice.with_(postal_code=visit.postal_code))
            )
    elif chosen.location is not None:
        return redirect(_step_url(practice, "time", choice))
    clinic = sole_location(practice, chosen.service, in_home=False)
    if clinic is not None and not any(location.is_mobile for location in locations):
        return redirect(_step_url(practice, "time", choice.with_(location=clinic.pk)))
    return render(
        request,
        "public/book_location.html",
        {
            "practice": practice,
            "choice": choice,
            "service": chosen.service,
            "locations": locations,
            "error": error,
        },
    )


@access(PUBLIC)
@open_for_booking
def choose_time(request: HttpRequest, slug: str) -> HttpResponse:
    """The week's free times; choosing one (a POST) holds it and goes on to the details."""
    practice = _practice(slug)
    choice = BookingChoice.from_request(request)
    chosen = resolve(practice, choice)
    if chosen.location is None:
        return redirect(_step_url(practice, "location", choice))
    duration = duration_for(chosen.service, choice.minutes)
    if duration is None:
        return redirect(_step_url(practice, "service", choice))
    if request.method == "POST":
        return _hold_chosen_time(request, practice, choice, chosen, duration.minutes)
    today = timezone.localdate(timezone=practice.zone)
    first = max(choice.week or today, today)
    last = first + timedelta(days=DAYS_SHOWN - 1)
    visit, fee = None, None
    if chosen.location.is_mobile:
        try:
            visit = locate_visit(chosen.location, choice.postal_code)
        except NotServed as refused:
            messages.error(request, refused.message)
            return redirect(_step_url(practice, "location", choice))
        fee = travel_fee(chosen.location, visit.point)
    home = visit.place(chosen.location.pk) if visit else None
    slots = available_slots(
        practice,
        AvailabilityRequest(
            service=chosen.service,
            minutes=duration.minutes,
            first_day=first,
            last_day=last,
            therapist=chosen.therapist,
            location=chosen.location,
            place=home,
        ),
    )
    by_day: dict[date, dict[datetime, int]] = defaultdict(dict)
    # "Anyone": one button per time, for the therapist Fascia books when the client lets it.
    anyone = anyone_by_start(practice, slots, place=home, client=_own_client(request, practice))
    for start, therapist_id in anyone.items():
        local = start.astimezone(practice.zone)
        by_day[local.date()][local] = therapist_id
    days = [
        (first + timedelta(days=n), sorted(by_day.get(first + timedelta(days=n), {}).items()))
        for n in range(DAYS_SHOWN)
    ]
    return render(
        request,
        "public/book_time.html",
        {
            "practice": practice,
            "choice": choice,
            "service": chosen.service,
            "duration": duration,
            "therapist": chosen.therapist,
            "location": chosen.location,
            "days": days,
            "any_slots": bool(slots),
            "visit": visit,
            "area_days": describe_days(visit.area) if visit else "",
            "travel_fee": fee,
            "previous_week": _step_url(
                practice, "time", choice.with_(week=first - timedelta(days=7))
            )
            if first > today
            else None,
            "next_week": _step_url(practice, "time", choice.with_(week=last + timedelta(days=1))),
        },
    )


class NewClientForm(forms.Form):
    legal_first_name = forms.CharField(label=gettext_lazy("First name (legal)"), max_length=100)
    legal_last_name = forms.CharField(label=gettext_lazy("Last name (legal)"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("Email"))
    phone = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=30, required=False)


class VisitAddressForm(forms.Form):
    street = forms.CharField(label=gettext_lazy("Street address"), max_length=200)
    unit = forms.CharField(label=gettext_lazy("Unit / buzzer"), max_length=50, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)


@access(PUBLIC)
@open_for_booking
def confirm_details(request: HttpRequest, slug: str) -> HttpResponse:
    """Hold the chosen time, then collect who is coming and their acceptance of the policy."""
    practice = _practice(slug)
    choice = BookingChoice.from_request(request)
    chosen = resolve(practice, choice)
    duration = duration_for(chosen.service, choice.minutes)
    if chosen.location is None or duration is None:
        return redirect(_step_url(practice, "service", choice))
    start, therapist = _chosen_start(request, practice)
    if start is None or therapist is None:
        messages.error(request, _("Please choose a time."))
        return redirect(_step_url(practice, "time", choice))
    try:
        home = (
            locate_visit(chosen.location, choice.postal_code).place(chosen.location.pk)
            if chosen.location.is_mobile
            else None
        )
    except NotServed as refused:
        messages.error(request, refused.message)
        return redirect(_step_url(practice, "location", choice))
    if _session_hold(request, therapist, chosen.location, start) is None:
        messages.error(request, _("Your hold on that time ended. Please choose a time again."))
        return redirect(
            _step_url(practice, "time", choice.with_(week=start.astimezone(practice.zone).date()))
        )
    client = _own_client(request, practice)
    new_client_form = NewClientForm(request.POST if request.POST.get("confirm") else None)
    address_form = VisitAddressForm(
        request.POST if request.POST.get("confirm") else None,
        initial={"street": client.street, "unit": client.unit, "city": client.city}
        if client
        else None,
    )
    error = ""
    if request.POST.get("confirm"):
        outcome = _book(
            request,
            practice,
            choice,
            chosen,
            duration.minutes,
            therapist,
            start,
            client,
            new_client_form,
            address_form,
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        error = outcome
    reschedule = _rescheduled_appointment(request, practice, choice)
    fee = (
        travel_fee(chosen.location, Point(home.latitude, home.longitude))
        if home is not None and home.latitude is not None and home.longitude is not None
        else None
    )
    return render(
        request,
        "public/book_details.html",
        {
            "practice": practice,
            "choice": choice,
            "service": chosen.service,
            "duration": duration,
            "therapist": therapist,
            "location": chosen.location,
            "start": start,
            "client": client,
            "new_client_form": new_client_form,
            "address_form": address_form,
            "needs_policy": reschedule is None
            and (client is None or policy_acceptance_needed(client)),
            "warnings": booking_warnings(client, start, chosen.service) if client else [],
            "hold_minutes": practice.slot_hold_minutes,
            "error": error,
            "idempotency_key": request.POST.get("idempotency_key") or secrets.token_urlsafe(16),
            "reschedule": reschedule,
            "sign_in_url": reverse("accounts:login") + "?next=" + request.get_full_path(),
            "travel_fee": fee,
            "quote": quote_visit(
                practice,
                chosen.service,
                duration.price,
                travel_fee=fee.amount if fee is not None else ZERO,
            ),
        },
    )


def _chosen_start(
    request: HttpRequest, practice: Practice, data: Any = None
) -> tuple[datetime | None, Therapist | None]:
    data = request.GET if data is None else data
    try:
        start = datetime.fromisoformat(data.get("start", ""))
    except ValueError:
        return None, None
    if timezone.is_naive(start):
        return None, None
    therapist_id = data.get("slot_therapist", "")
    therapist = (
        Therapist.objects.for_practice(practice)
        .filter(pk=int(therapist_id) if therapist_id.isdigit() else 0)
        .first()
    )
    return start, therapist


def _hold_key(therapist: Therapist, location: Location, start: datetime) -> str:
    return f"{therapist.pk}:{location.pk}:{start.isoformat()}"


def _session_hold(
    request: HttpRequest, therapist: Therapist, location: Location, start: datetime
) -> str | None:
    """The token of this browser's live hold on exactly this time, or None."""
    from fascia.scheduling.models import SlotHold

    held = request.session.get(HOLD_SESSION_KEY) or {}
    if held.get("key") != _hold_key(therapist, location, start):
        return None
    alive = SlotHold.objects.filter(token=held.get("token"), expires_at__gt=timezone.now())
    return str(held["token"]) if alive.exists() else None


def _holder(request: HttpRequest) -> str:
    """One live hold per signed-in person, or else per browser session."""
    if request.user.is_authenticated:
        return holder_digest("user", request.user.pk)
    if request.session.session_key is None:
        request.session.save()
    return holder_digest("session", request.session.session_key)


def _hold_chosen_time(
    request: HttpRequest, practice: Practice, choice: BookingChoice, chosen: Any, minutes: int
) -> HttpResponse:
    start_text, _bar, therapist_text = request.POST.get("slot", "").partition("|")
    start, therapist = _chosen_start(
        request, practice, {"start": start_text, "slot_therapist": therapist_text}
    )
    time_step = _step_url(practice, "time", choice)
    if start is None or therapist is None:
        messages.error(request, _("Please choose one of the times shown."))
        return redirect(time_step)
    try:
        home = (
            locate_visit(chosen.location, choice.postal_code).place(chosen.location.pk)
            if chosen.location.is_mobile
            else None
        )
        hold = hold_slot(
            practice,
            service=chosen.service,
            minutes=minutes,
            therapist=therapist,
            location=chosen.location,
            start=start,
            home=home,
            holder=_holder(request),
            address=request.META.get("REMOTE_ADDR"),
        )
    except BookingError as refused:
        messages.error(request, refused.message)
        return redirect(
            _step_url(practice, "time", choice.with_(week=start.astimezone(practice.zone).date()))
        )
    request.session[HOLD_SESSION_KEY] = {
        "key": _hold_key(therapist, chosen.location, start),
        "token": hold.token,
    }
    details = reverse("public:book-details", args=[practice.slug])
    return redirect(
        f"{details}?{choice.query()}&{urlencode({'start': start.isoformat()})}"
        f"&slot_therapist={therapist.pk}"
    )


def _rescheduled_appointment(
    request: HttpRequest, practice: Practice, choice: BookingChoice
) -> Appointment | None:
    if choice.reschedule is None or not request.user.is_authenticated:
        return None
    return Appointment.objects.filter(
        practice=practice,
        pk=choice.reschedule,
        client__user=signed_in_user(request),
        status=AppointmentStatus.BOOKED,
    ).first()


def _book(
    request: HttpRequest,
    practice: Practice,
    choice: BookingChoice,
    chosen: Any,
    minutes: int,
    therapist: Therapist,
    start: datetime,
    client: Client | None,
    new_client_form: NewClientForm,
    address_form: VisitAddressForm,
) -> HttpResponse | str:
    """Book (or move) and go to the confirmation page; or say what stopped it."""
    reschedule = _rescheduled_appointment(request, practice, choice)
    if reschedule is not None:
        try:
            reschedule_appointment(
                reschedule,
                start=start,
                therapist=therapist,
                location=chosen.location,
                by=request.user,
                request=request,
                hold_token=(request.session.get(HOLD_SESSION_KEY) or {}).get("token"),
            )
        except BookingError as refused:
            return refused.message
        request.session.pop(HOLD_SESSION_KEY, None)
        return redirect("public:booked", slug=practice.slug, appointment_id=reschedule.pk)
    address = None
    if chosen.location.is_mobile:
        if not address_form.is_valid():
            return _("Please give the address for the visit.")
        address = VisitAddress(
            address_form.cleaned_data["street"],
            address_form.cleaned_data["city"],
            choice.postal_code,
            address_form.cleaned_data["unit"],
        )
    hold = (request.session.get(HOLD_SESSION_KEY) or {}).get("token")
    if client is None:
        # Not signed in: the same answer for every address; the email says the rest.
        if not new_client_form.is_valid():
            return _("Please fill in your details.")
        try:
            asked = ask_to_confirm_by_email(
                practice,
                person=Person(**new_client_form.cleaned_data),
                service=chosen.service,
                therapist=therapist,
                location=chosen.location,
                start=start,
                minutes=minutes,
                address=address,
                accepts_cancellation_policy=request.POST.get("accept_policy") == "on",
                hold_token=hold,
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except BookingError as refused:
            return refused.message
        return render(
            request,
            "public/book_check_email.html",
            {"practice": practice, "asked": asked, "hold_minutes": practice.slot_hold_minutes},
        )
    try:
        result = book_appointment(
            practice,
            BookingRequest(
                client=client,
                service=chosen.service,
                therapist=therapist,
                location=chosen.location,
                start=start,
                minutes=minutes,
                by=request.user,
                channel=BookingChannel.ONLINE,
                hold_token=hold,
                idempotency_key=request.POST.get("idempotency_key") or None,
                accepts_cancellation_policy=request.POST.get("accept_policy") == "on",
                address=address,
                request=request,
            ),
        )
    except BookingError as refused:
        return refused.message
    request.session.pop(HOLD_SESSION_KEY, None)
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect("public:booked", slug=practice.slug, appointment_id=result.appointment.pk)


@access(SIGNED_IN)
def booked(request: HttpRequest, slug: str, appointment_id: int) -> HttpResponse:
    practice = _practice(slug)
    appointment = (
        Appointment.objects.select_related("service", "therapist", "location")
        .filter(practice=practice, pk=appointment_id, client__user=signed_in_user(request))
        .first()
    )
    if appointment is None:
        raise Http404("No such appointment.")
    return render(
        request, "public/book_done.html", {"practice": practice, "appointment": appointment}
    )


@dataclass(frozen=True)
class HomeVisitAnswer:
    location: Location
    area_name: str
    days: str
    fee: Any


@access(PUBLIC)
@open_for_booking
def home_visit_check(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Do you come to my postal code?": which mobile services reach it, on which days, and the
    travel fee, before the client chooses anything."""
    practice = _practice(slug)
    postal_code = request.GET.get("postal_code", "").strip()
    answers: list[HomeVisitAnswer] = []
    error = ""
    mobiles = Location.objects.for_practice(practice).filter(
        kind=Location.Kind.MOBILE, is_active=True
    )
    if postal_code:
        refusals = []
        for mobile in mobiles:
            try:
                visit = locate_visit(mobile, postal_code)
            except NotServed as refused:
                refusals.append(refused.message)
                continue
            answers.append(
                HomeVisitAnswer(
                    mobile,
                    visit.area.name,
                    describe_days(visit.area),
                    travel_fee(mobile, visit.point),
                )
            )
            postal_code = visit.postal_code
        if not answers:
            error = refusals[0] if refusals else f"{practice.public_name} does not visit homes."
    context = site_context(
        request,
        practice,
        page="locations",
        title=_("Do you come to my home?"),
        description=_(
            "Check whether %(practice)s visits your postal code, on which days, and the travel fee."
        )
        % {"practice": practice.public_name},
    )
    context.update(
        postal_code=postal_code, answers=answers, error=error, has_mobile=mobiles.exists()
    )
    return render(request, "public/home_visit_check.html", context)

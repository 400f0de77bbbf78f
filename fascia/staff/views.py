"""Staff screens. Views stay thin: they read through `for_practice` and write through actions."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fascia.accounts.access import ANY_STAFF, BILLING, BOOKING, CLIENT_DIRECTORY, access
from fascia.accounts.models import Role
from fascia.accounts.practice_context import (
    BOOKING_ROLES,
    PracticeRequest,
    acts_for_therapist,
    signed_in_user,
)
from fascia.api.schemas import ClientOut
from fascia.audit.log import record_search, record_view
from fascia.clients.actions import register_client, update_client
from fascia.clients.forms import CLIENT_FIELDS, ClientForm
from fascia.clients.models import Client
from fascia.practices.modalities import modality_labels
from fascia.practices.models import Location, Room, Service, ServiceDuration, Therapist
from fascia.professional.standing import in_good_standing, lapses
from fascia.public.client_accounts import invite_client_online
from fascia.records.queries import unsigned_overdue
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.errors import BookingError
from fascia.scheduling.feeds import active_feed, issue_calendar_feed, revoke_calendar_feed
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.schedule import location_offers
from fascia.staff import board
from fascia.staff.checklist import setup_checklist
from fascia.staff.dashboard import summarise_practice, visits_on
from fascia.staff.owner_dashboard import owner_dashboard
from fascia.validation import optional_id

CLIENTS_PER_PAGE = 25


@access(ANY_STAFF)
def home(request: PracticeRequest) -> HttpResponse:
    practice = request.practice
    now = timezone.now()
    summary = summarise_practice(practice, now=now)
    therapist = Therapist.objects.for_practice(practice).filter(user=request.user).first()
    to_sign = (
        unsigned_overdue(therapist, hours=practice.unsigned_note_hours)
        if therapist is not None
        else []
    )
    # The day's visits name clients, so the bookkeeper (no client directory) sees counts only.
    today = None
    if request.staff_role != Role.BOOKKEEPER:
        today = visits_on(practice, now.astimezone(practice.zone).date(), therapist=therapist)
    checklist = setup_checklist(practice) if request.staff_role == Role.OWNER else None
    dashboard = owner_dashboard(practice, now=now) if request.staff_role == Role.OWNER else None
    not_bookable = []
    if request.staff_role == Role.OWNER:
        day = now.astimezone(practice.zone).date()
        active = Therapist.objects.for_practice(practice).filter(is_active=True)
        for member in active.exclude(pk__in=in_good_standing(active, day).values("pk")):
            reasons = lapses(member, day)
            if reasons:
                not_bookable.append((member, reasons))
    return render(
        request,
        "staff/home.html",
        {
            "summary": summary,
            "to_sign": to_sign,
            "today": today,
            "now": now,
            "checklist": checklist if checklist and not checklist.complete else None,
            "not_bookable": not_bookable,
            "dashboard": dashboard,
        },
    )


@access(CLIENT_DIRECTORY)
def client_list(request: PracticeRequest) -> HttpResponse:
    practice = request.practice
    query = request.GET.get("q", "").strip()
    clients = Client.objects.for_practice(practice)
    if query:
        clients = clients.search(query)
    page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    record_search(
        request,
        practice,
        record_type="clients.client",
        detail=f"list page {page.number}" + (f", search {query!r}" if query else ""),
    )
    return render(request, "staff/client_list.html", {"page": page, "query": query})


@access(CLIENT_DIRECTORY)
def invite_client_online_view(request: PracticeRequest, client_id: int) -> HttpResponse:
    """ "Set up your online account": email the client a link that joins a login to this
    record."""
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    if request.method == "POST":
        try:
            invite_client_online(client, by=signed_in_user(request), request=request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                _("We have emailed %(email)s a link to set up an online account.")
                % {"email": client.email},
            )
    return redirect("staff:client-detail", client_id=client.pk)


@access(CLIENT_DIRECTORY)
def client_create(request: PracticeRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, practice=request.practice)
    if request.method == "POST" and form.is_valid():
        try:
            client = register_client(
                request.practice, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(client)s was added.") % {"client": client.display_name})
            return redirect("staff:client-detail", client_id=client.pk)
    return render(request, "staff/client_form.html", {"form": form, "client": None})


@access(CLIENT_DIRECTORY)
def client_edit(request: PracticeRequest, client_id: int) -> HttpResponse:
    practice = request.practice
    client = get_object_or_404(Client.objects.for_practice(practice), pk=client_id)
    # The form validates a scratch copy; the action compares against the stored client.
    form = ClientForm(
        request.POST or None,
        initial=model_to_dict(client, CLIENT_FIELDS),
        practice=practice,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_client(client, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(client)s's details were saved.") % {"client": client.display_name}
            )
            return redirect("staff:client-detail", client_id=client.pk)
    record_view(request, client, record=client, detail=gettext_noop("edit form"))
    return render(request, "staff/client_form.html", {"form": form, "client": client})


@access(ANY_STAFF)
def therapist_list(request: PracticeRequest) -> HttpResponse:
    therapists = Therapist.objects.for_practice(request.practice)
    rows = [(therapist, modality_labels(therapist.modalities)) for therapist in therapists]
    return render(request, "staff/therapist_list.html", {"rows": rows})


@access(ANY_STAFF)
def service_list(request: PracticeRequest) -> HttpResponse:
    services = Service.objects.for_practice(request.practice).prefetch_related(
        Prefetch("durations", queryset=ServiceDuration.objects.order_by("minutes"))
    )
    return render(request, "staff/service_list.html", {"services": services})


@access(ANY_STAFF)
def location_list(request: PracticeRequest) -> HttpResponse:
    locations = Location.objects.for_practice(request.practice).prefetch_related(
        Prefetch("rooms", queryset=Room.objects.filter(is_active=True)), "service_areas"
    )
    return render(request, "staff/location_list.html", {"locations": locations})


@access(ANY_STAFF)
def calendar(request: PracticeRequest) -> HttpResponse:
    """The schedule: day and week, a column per therapist (or room), working time shaded;
    booking, moving, check-in and cancelling go through the JSON API, so through the same
    booking actions as everything else."""
    practice = request.practice
    therapists = Therapist.objects.for_practice(practice).filter(is_active=True)
    services = (
        Service.objects.for_practice(practice)
        .filter(is_active=True)
        .prefetch_related(
            Prefetch("durations", queryset=ServiceDuration.objects.order_by("minutes"))
        )
    )
    locations = list(Location.objects.for_practice(practice).filter(is_active=True))
    day_starts, day_ends = board.day_span(practice)
    setup = {
        "therapists": [{"id": t.pk, "name": t.display_name} for t in therapists],
        "locations": [
            {"id": loc.pk, "name": loc.name, "mobile": loc.is_mobile} for loc in locations
        ],
        "services": [
            {
                "id": s.pk,
                "name": s.name,
                "in_clinic": s.in_clinic,
                "in_home": s.in_home,
                "locations": [loc.pk for loc in locations if location_offers(loc, s)],
                "durations": [
                    {"minutes": d.minutes, "price": str(d.price)} for d in s.durations.all()
                ],
            }
            for s in services
        ],
        "timeZone": practice.time_zone,
        "locale": get_language() or "en-ca",
        "dayStarts": day_starts,
        "dayEnds": day_ends,
        "canBook": request.staff_role in BOOKING_ROLES,
        "canCheckOut": request.staff_role in BILLING.roles,
        "listUrl": reverse("staff:schedule-list"),
        "icons": {
            key: {"symbol": symbol, "label": str(label)} for key, symbol, label in board.ICONS
        },
        "text": board.calendar_text(),
        "bookFor": _booking_for(request),
    }
    return render(
        request,
        "staff/calendar.html",
        {
            "setup": setup,
            "icons": board.ICONS,
            "may_cash_out": request.staff_role in BILLING.roles,
        },
    )


def _booking_for(request: PracticeRequest) -> dict[str, object] | None:
    """`?client=12` (the "Book" button on a client's page): the client the calendar books for."""
    client_id = optional_id(request.GET, "client")
    if client_id is None or request.staff_role not in BOOKING_ROLES:
        return None
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    return ClientOut.model_validate(client).model_dump()


@access(ANY_STAFF)
def schedule_list(request: PracticeRequest) -> HttpResponse:
    """The day's schedule as a list, therapist by therapist: what a phone or a screen reader
    reads best. Check-in and checkout work from here too."""
    practice = request.practice
    today = timezone.localdate(timezone=practice.zone)
    try:
        day = date.fromisoformat(request.GET["date"]) if request.GET.get("date") else today
    except ValueError:
        messages.error(request, _("Give the day as YYYY-MM-DD."))
        day = today
    therapist_id = optional_id(request.GET, "therapist")
    visits = list(board.schedule_visits(practice, day, day, therapist_id=therapist_id))
    flags = board.visit_flags(
        visits, now=timezone.now(), clinical=request.staff_role != Role.BOOKKEEPER
    )
    record_search(
        request,
        practice,
        record_type="scheduling.appointment",
        detail=f"schedule list {day}",
    )
    therapists = Therapist.objects.for_practice(practice).filter(is_active=True)
    if therapist_id is not None:
        therapists = therapists.filter(pk=therapist_id)
    columns = [
        (
            therapist,
            [
                (visit, board.icons(flags[visit.pk]))
                for visit in visits
                if visit.therapist_id == therapist.pk
            ],
        )
        for therapist in therapists
    ]
    return render(
        request,
        "staff/schedule_list.html",
        {
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "columns": columns,
            "icons": board.ICONS,
            "may_book": request.staff_role in BOOKING_ROLES,
            "may_check_out": request.staff_role in BILLING.roles,
            "therapist_id": therapist_id,
        },
    )


@access(BOOKING)
@require_POST
def check_in(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    """The client is here: mark the visit arrived (from the list view)."""
    visit = get_object_or_404(Appointment.objects.for_practice(request.practice), pk=appointment_id)
    try:
        set_attendance(visit, AppointmentStatus.ARRIVED, by=request.user, request=request)
    except BookingError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("%(client)s is checked in.") % {"client": visit.client.display_name}
        )
    day = visit.starts_at.astimezone(request.practice.zone).date()
    return redirect(f"{reverse('staff:schedule-list')}?date={day.isoformat()}")


@access(ANY_STAFF)
def calendar_feed(request: PracticeRequest, therapist_id: int) -> HttpResponse:
    """A therapist's private calendar subscription: only that therapist and the owner may see,
    issue or revoke it."""
    therapist = get_object_or_404(Therapist.objects.for_practice(request.practice), pk=therapist_id)
    if not acts_for_therapist(request.user, therapist):
        return render(
            request,
            "403.html",
            {"reason": _("Only the therapist and the owner manage this feed.")},
            status=403,
        )
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoke_calendar_feed(therapist, by=request.user, request=request)
            messages.success(request, _("The calendar link no longer works."))
        else:
            issue_calendar_feed(therapist, by=request.user, request=request)
            messages.success(
                request, _("A new calendar link is ready; any older link stopped working.")
            )
        return redirect("staff:calendar-feed", therapist_id=therapist.pk)
    feed = active_feed(therapist)
    feed_url = (
        request.build_absolute_uri(reverse("public:calendar-feed", args=[feed.token]))
        if feed
        else None
    )
    return render(
        request,
        "staff/calendar_feed.html",
        {"therapist": therapist, "feed": feed, "feed_url": feed_url},
    )

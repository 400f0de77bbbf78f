"""`fascia demo` loads a realistic practice once; running it again changes nothing."""

from __future__ import annotations

from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from fascia.accounts.models import StaffMember, User
from fascia.clients.models import Client
from fascia.demo.catalogue import DEMO_PASSWORD, SERVICE_AREAS
from fascia.practices.models import Location, Practice, Service, Therapist


def snapshot() -> dict[str, Any]:
    return {
        model._meta.label: sorted(model._default_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model.__module__.startswith("fascia.")
    } | {"client_updated": sorted(Client.objects.values_list("updated_at", flat=True))}


# Loading the demo writes six months of a practice through the real actions (about a
# minute), so one test loads it once and checks everything a visitor relies on.
def test_demo_practice_is_realistic_usable_and_loads_once(db: Any, client: Any) -> None:
    call_command("demo", stdout=StringIO())
    demo = Practice.objects.get(slug="demo")

    assert Client.objects.for_practice(demo).count() >= 200
    assert Therapist.objects.for_practice(demo).count() == 3
    assert Service.objects.for_practice(demo).count() >= 12
    mobile = Location.objects.for_practice(demo).get(kind=Location.Kind.MOBILE)
    assert set(mobile.service_areas.values_list("name", flat=True)) == set(SERVICE_AREAS)
    clinic = Location.objects.for_practice(demo).get(kind=Location.Kind.CLINIC)
    assert clinic.rooms.count() == 3
    consult = Service.objects.for_practice(demo).get(modality="consultation")
    assert [str(d.price) for d in consult.durations.all()] == ["0.00"]
    _the_record_and_books_are_filled_in(demo)
    _the_dashboard_agrees_with_the_records(demo)
    _home_visits_can_be_booked_in_each_area(demo, client)
    _the_website_speaks_for_the_practice(client)

    before = snapshot()
    call_command("demo", stdout=StringIO())
    assert snapshot() == before, "running the demo again must change nothing"

    for email, role in (
        ("owner@demo.test", "owner"),
        ("therapist@demo.test", "therapist"),
        ("frontdesk@demo.test", "front_desk"),
        ("bookkeeper@demo.test", "bookkeeper"),
    ):
        assert sign_in(client, email)
        assert StaffMember.objects.get(user__email=email, practice=demo).role == role
        assert client.get("/staff/").status_code == 200
        client.logout()

    assert sign_in(client, "client@demo.test")
    assert client.get("/accounts/welcome/")["Location"] == "/account/"
    assert "Alexandra Morgan" in client.get("/account/").content.decode()
    assert client.get("/staff/").status_code == 403


def _the_record_and_books_are_filled_in(demo: Practice) -> None:
    """Past visits carry what a real practice's would: a history, consent, a signed note and
    a receipt; the demo client sees Maya every few weeks, not every few days."""
    from django.utils import timezone

    from fascia.billing.coverage import client_coverage
    from fascia.billing.models import Receipt
    from fascia.records.completeness import visit_records
    from fascia.records.models import OutcomeScore, TreatmentNote
    from fascia.scheduling.models import Appointment, AppointmentStatus

    past = list(
        Appointment.objects.for_practice(demo).filter(
            status=AppointmentStatus.COMPLETED, ends_at__lt=timezone.now()
        )
    )
    assert len(past) > 300
    records = visit_records(past)
    complete = [record for record in records if record.complete]
    assert len(complete) >= len(past) - 3  # a couple of the newest notes wait to be signed
    assert {tuple(r.missing) for r in records if not r.complete} <= {("signed treatment note",)}
    assert Receipt.objects.filter(invoice__appointment__in=past).count() >= len(past) * 0.9
    assert TreatmentNote.objects.for_practice(demo).exclude(body_chart=[]).exists()

    alex = Client.objects.get(practice=demo, email="client@demo.test")
    visits = list(
        Appointment.objects.filter(client=alex)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )
    assert 6 <= len(visits) <= 12
    assert min(b - a for a, b in pairwise(visits)).days >= 14
    pain = list(
        OutcomeScore.objects.filter(client=alex, measure="nprs")
        .order_by("recorded_at")
        .values_list("value", flat=True)
    )
    assert len(pain) >= 3 and pain[-1] < pain[0]
    (coverage,) = client_coverage(alex)
    assert coverage.used > 0
    _the_record_tells_the_truth(demo)


def _the_record_tells_the_truth(demo: Practice) -> None:
    """The demo's records pass the product's own rules: notes signed after the treatment of
    visits that happened, in the words of the service given, and plans that fit the client."""
    from fascia.demo.records import COMPLAINTS
    from fascia.records.models import TreatmentNote, TreatmentPlan
    from fascia.records.queries import current_history
    from fascia.scheduling.models import DID_NOT_HAPPEN

    signed = TreatmentNote.objects.for_practice(demo).exclude(signed_at=None)
    for note in signed.select_related("appointment__service"):
        visit = note.appointment
        assert visit.status not in DID_NOT_HAPPEN, note
        assert note.signed_at >= visit.starts_at, note
        assert note.techniques == [visit.service.modality], note
        assert note.assessment.startswith(visit.service.name), note.assessment
    fits_pregnancy = {c.goals for c in COMPLAINTS if c.fits_pregnancy}
    for plan in TreatmentPlan.objects.for_practice(demo).select_related("client"):
        history = current_history(plan.client)
        if history is not None and history.answers.get("pregnant"):
            assert plan.goals in fits_pregnancy, (plan.client, plan.goals)


def _home_visits_can_be_booked_in_each_area(demo: Practice, web: Any) -> None:
    """A visitor trying a home visit finds times: the demo's mobile days are not booked solid
    (it used to offer one in-home time in Brampton in eight weeks)."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate(timezone=demo.zone)
    mobile = Location.objects.for_practice(demo).get(kind=Location.Kind.MOBILE)
    massage = Service.objects.for_practice(demo).filter(in_home=True, bookable_online=True)[0]
    for area, postal_code in (("Brampton", "L6Y 1N2"), ("Mississauga", "L5B 1M4")):
        answer = web.get(
            "/api/v1/availability",
            {
                "service": massage.pk,
                "minutes": 60,
                "location": mobile.pk,
                "start": today.isoformat(),
                "end": (today + timedelta(days=20)).isoformat(),
                "postal_code": postal_code,
            },
        )
        assert answer.status_code == 200, answer.content
        days = {slot["start"][:10] for slot in answer.json()["slots"]}
        assert len(days) >= 3, (area, days)  # open times on several of its days


def _the_dashboard_agrees_with_the_records(demo: Practice) -> None:
    """The owner's dashboard figures equal sums worked out here, row by row in Python, from
    the demo's invoices, payments and appointments (not through the dashboard's queries)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from fascia.billing.models import Invoice, Payment
    from fascia.billing.totals import totals
    from fascia.scheduling.models import Appointment, AppointmentStatus
    from fascia.staff.owner_dashboard import owner_dashboard

    now = timezone.now()
    board = owner_dashboard(demo, now=now)
    zone = demo.zone

    def local(moment: Any) -> Any:
        return moment.astimezone(zone).date()

    for figures in board.periods:
        first, last = figures.period.first, figures.period.last

        def within(moment: Any, first: Any = first, last: Any = last) -> bool:
            return bool(first <= local(moment) <= last)

        revenue = sum(
            (
                line.unit_price * line.quantity - line.discount
                for invoice in Invoice.objects.filter(practice=demo, voided_at=None)
                if within(invoice.issued_at)
                for line in invoice.lines.all()
            ),
            Decimal("0"),
        )
        assert figures.revenue == revenue, figures.period
        received = sum(
            (
                -payment.amount if payment.is_refund else payment.amount
                for payment in Payment.objects.filter(practice=demo)
                if within(payment.received_at)
            ),
            Decimal("0"),
        )
        assert figures.received == received, figures.period
        statuses = [
            visit.status
            for visit in Appointment.objects.for_practice(demo)
            if within(visit.starts_at)
        ]
        assert figures.attendance.completed == statuses.count(AppointmentStatus.COMPLETED)
        due = sum(
            statuses.count(status)
            for status in (
                AppointmentStatus.COMPLETED,
                AppointmentStatus.NO_SHOW,
                AppointmentStatus.LATE_CANCELLED,
            )
        )
        no_shows = statuses.count(AppointmentStatus.NO_SHOW)
        expected_rate = (Decimal(no_shows * 100) / due).quantize(Decimal("0.1")) if due else 0
        assert figures.attendance.no_show_rate == expected_rate
        completed = Appointment.objects.for_practice(demo).filter(
            status=AppointmentStatus.COMPLETED
        )
        first_visit: dict[int, Any] = {}
        for visit in completed.order_by("starts_at"):
            first_visit.setdefault(visit.client_id, local(visit.starts_at))
        seen = {visit.client_id for visit in completed if within(visit.starts_at)}
        new = {client for client in seen if first_visit[client] >= first}
        assert (figures.clients.new, figures.clients.returning) == (len(new), len(seen - new))

    assert board.month.revenue > 0 and board.month.attendance.completed > 0  # a real month
    balances = [
        totals(invoice).balance for invoice in Invoice.objects.filter(practice=demo, voided_at=None)
    ]
    assert board.owing == sum((b for b in balances if b > 0), Decimal("0"))
    assert board.invoices_owing == sum(1 for b in balances if b > 0)
    unreceipted = [
        invoice
        for invoice in Invoice.objects.filter(practice=demo, voided_at=None)
        if not invoice.receipts.exists()
        and any(line.kind == "treatment" and line.in_scope for line in invoice.lines.all())
        and totals(invoice).total > 0
        and totals(invoice).balance <= 0
    ]
    assert board.receipts_not_issued == len(unreceipted)

    from fascia.pay.report import pay_report

    month_ago = local(now) - timedelta(days=30)
    paid = pay_report(demo, month_ago, local(now))
    assert all(therapist.pay > 0 for therapist in paid), "every demo therapist earns pay"
    rules = {line.rule_text for therapist in paid for line in therapist.lines}
    assert {"60% of treatments", "70% of treatments · own clients", "$48.00 per hour"} <= rules


def _the_website_speaks_for_the_practice(client: Any) -> None:
    home = client.get("/book/demo/").content.decode()
    assert "Registered massage therapy in Brampton, and in your home across the GTA" in home
    assert "Maya Chen, RMT" in home
    locations = client.get("/book/demo/locations/").content.decode()
    assert "09:00–20:00" in locations and "Guelph" in locations
    insurance = client.get("/book/demo/insurance/").content.decode()
    assert "Green Shield Canada" in insurance
    pregnancy = client.get("/book/demo/conditions/pregnancy/").content.decode()
    assert "Sophie offers prenatal massage" in pregnancy
    assert "Prenatal massage" in pregnancy  # a suited service to book
    # The directory: the demo's therapists and two more listed practices.
    found = client.get(
        "/therapists/", {"place": "Milton", "language": "French", "home_visits": "on"}
    ).content.decode()
    assert "Claire Dubois" in found and "Halton Hills Mobile Massage Therapy" in found
    assert "Sophie Tremblay" in found and "Visits homes in Milton" in found
    from fascia.records.models import QuestionnaireRequest

    assert QuestionnaireRequest.objects.filter(
        client__email="client@demo.test", answered_at=None
    ).exists()  # Alex's account shows a questionnaire to fill in
    guelph = client.get("/therapists/", {"place": "Guelph"}).content.decode()
    assert "Riverside Massage Therapy" in guelph and "Noah Singh" in guelph


@override_settings(FASCIA_ALLOW_DEMO=False)
def test_demo_is_refused_where_turned_off(db: Any) -> None:
    with pytest.raises(CommandError, match="turned off"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.filter(email="owner@demo.test").exists()


def sign_in(client: Any, email: str) -> bool:
    """Through the sign-in page, as a person would (and as sign-in throttling counts)."""
    answer = client.post("/accounts/sign-in/", {"username": email, "password": DEMO_PASSWORD})
    return answer.status_code == 302


def test_a_demo_visit_under_way_when_the_demo_loads_is_arrived_not_completed() -> None:
    """A visit that has begun but not ended has no note yet: calling it completed left the demo
    with completed visits lacking a signed note whenever the demo loaded mid-visit."""
    import random
    from datetime import UTC, datetime, timedelta

    from fascia.demo.history import visit_outcome
    from fascia.scheduling.models import AppointmentStatus

    now = datetime(2026, 12, 2, 21, 50, tzinfo=UTC)
    under_way = [
        visit_outcome(
            random.Random(seed), now - timedelta(minutes=20), now + timedelta(minutes=40), now
        )
        for seed in range(50)
    ]
    assert set(under_way) == {AppointmentStatus.ARRIVED}
    over = {
        visit_outcome(random.Random(seed), now - timedelta(hours=2), now - timedelta(hours=1), now)
        for seed in range(200)
    }
    assert AppointmentStatus.COMPLETED in over and AppointmentStatus.ARRIVED not in over

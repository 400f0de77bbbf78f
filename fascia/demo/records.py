"""What the demo practice's past three months left behind: each client's health history and
treatment plan with consent, a signed note for each completed visit (a few of the latest still
waiting to be signed), pain scores that improve, home care, and the books — insurance policies,
invoices, payments by clients and insurers, receipts, a few balances still owing.

Everything is written through the same actions the screens use, dated when it would have
happened, so the demo obeys every rule a real record does."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fascia.accounts.models import User
from fascia.billing.actions import invoice_appointment, record_payment
from fascia.billing.coverage import plan_share
from fascia.billing.models import InsurancePolicy, PaymentMethod, Relationship
from fascia.billing.policies import save_insurance_policy
from fascia.billing.receipts import issue_receipt
from fascia.billing.totals import totals
from fascia.clients.models import Client
from fascia.practices.models import Practice
from fascia.records.assessment import record_outcome
from fascia.records.consents import ConsentRequest, record_consent
from fascia.records.history import review_history, submit_health_history
from fascia.records.models import HealthHistory, HistorySource, SelfCareExercise
from fascia.records.notes import edit_note, sign_note, start_note
from fascia.records.plans import create_treatment_plan
from fascia.records.queries import alerts_against, client_alerts
from fascia.records.questionnaires import ask_for_questionnaire
from fascia.records.screening import screen
from fascia.records.selfcare import give_self_care_plan
from fascia.scheduling.models import Appointment, AppointmentStatus

PROGRESS_EVERY = 100
UNSIGNED_RECENT = 2
INSURERS = ("Sun Life", "Manulife", "Canada Life", "Green Shield Canada", "Blue Cross")
CARD_METHODS = (PaymentMethod.DEBIT, PaymentMethod.CREDIT, PaymentMethod.E_TRANSFER)


@dataclass(frozen=True)
class Complaint:
    """Why a client comes, and how their notes read."""

    reason: str
    goals: str
    areas: tuple[str, ...]
    marks: tuple[tuple[str, str, str], ...]  # (area, mark kind, view)
    objective: str
    focus: str  # what the treatment worked on, whatever the service (its name comes first)
    plan: str
    response: str
    self_care: str
    exercises: tuple[str, ...]  # names in the starter self-care library
    activity: str
    work_posture: str
    fits_pregnancy: bool = False


COMPLAINTS = (
    Complaint(
        "Neck and shoulder tension from desk work, with headaches late in the day",
        "Turn my head fully; fewer afternoon headaches",
        ("neck_back", "upper_back", "shoulder_left", "shoulder_right"),
        (("neck_back", "tension", "back"), ("shoulder_right", "trigger_point", "back")),
        "Hypertonic upper trapezius and levator scapulae, right more than left; an active "
        "trigger point in the right upper trapezius reproduces the temple headache.",
        "back and neck, easing the right upper trapezius trigger point; suboccipital release.",
        "Every 2-3 weeks; review the workstation set-up next visit.",
        "Tension eased; headache referral gone after release. Moderate pressure was comfortable.",
        "Upper trapezius stretch three times a day; heat 15 minutes in the evening.",
        ("Upper trapezius stretch", "Doorway chest stretch"),
        "Walks 30 minutes most days",
        "Desk job, about 8 hours a day at a laptop",
    ),
    Complaint(
        "Low back pain after moving house",
        "Garden and lift groceries without back pain",
        ("low_back", "mid_back", "hip_left", "hip_right"),
        (("low_back", "pain", "back"), ("hip_left", "tension", "front")),
        "Hypertonic lumbar erectors and quadratus lumborum, left more than right; lumbar "
        "flexion limited by tightness, no radiating symptoms.",
        "lumbar fascia, quadratus lumborum and gluteus medius, in side-lying.",
        "Weekly for three visits, then every three weeks.",
        "Moving more freely after treatment; some tenderness expected tomorrow.",
        "Knee-to-chest stretch morning and evening; heat before activity.",
        ("Glute bridge", "Heat for tight muscles"),
        "Gardening, cycling on weekends",
        "Standing and walking at work (retail)",
        fits_pregnancy=True,
    ),
    Complaint(
        "Tight calves and hamstrings while training for a half marathon",
        "Train without calf cramps; recover faster after long runs",
        ("calf_left", "calf_right", "thigh_back_left", "thigh_back_right"),
        (("calf_left", "tension", "back"), ("calf_right", "trigger_point", "back")),
        "Dense, hypertonic gastrocnemius and soleus bilaterally; trigger point in the right "
        "medial gastrocnemius; hamstrings tight, straight-leg raise 70 degrees.",
        "posterior chain, with pin-and-stretch to the calves.",
        "Every two weeks through the training block; lighter work in race week.",
        "Legs feel lighter; no cramping on the walk out.",
        "Calf and hamstring stretches after each run; contrast bath for the feet after long runs.",
        ("Hamstring stretch", "Contrast bath for the feet"),
        "Runs four times a week",
        "Office work, stands at a desk half the day",
    ),
    Complaint(
        "General stress and poor sleep; wants relaxation massage",
        "Sleep better and feel less wound up",
        ("upper_back", "neck_back", "low_back", "calf_left", "calf_right"),
        (("upper_back", "tension", "back"),),
        "Generalised muscle guarding through the upper back and neck; breathing shallow at the "
        "start, slowing through the session.",
        "full body, with diaphragmatic breathing coached at the start.",
        "Monthly, or as wanted.",
        "Very relaxed; fell asleep briefly.",
        "Slow breathing five minutes before bed; a warm shower to unwind.",
        ("Heat for tight muscles",),
        "Yoga once a week",
        "Works from home, long video meetings",
        fits_pregnancy=True,
    ),
    Complaint(
        "Right shoulder stiffness after a fall last spring",
        "Reach the top shelf and sleep on the right side again",
        ("shoulder_right", "upper_arm_right", "upper_back", "neck_back"),
        (("shoulder_right", "pain", "front"), ("upper_arm_right", "tension", "front")),
        "Right shoulder flexion and abduction limited and painful at end range; hypertonic "
        "infraspinatus and teres minor; pectoralis minor short.",
        "rotator cuff and posterior capsule of the right shoulder.",
        "Weekly for four visits, then reassess range of motion.",
        "Gained range during the session; mild soreness at end range.",
        "Wall angels daily; ice 10 minutes if sore after exercise.",
        ("Wall angels", "Ice for a fresh strain"),
        "Swims once a week",
        "Teacher, writes on the board overhead",
    ),
)


def load_demo_records(
    practice: Practice, progress: Callable[[str], object] = print, now: datetime | None = None
) -> int:
    """Write the demo's clinical records and books once; returns how many visits were
    charted (0 if the practice already has records)."""
    if HealthHistory.objects.for_practice(practice).exists():
        return 0
    now = now or timezone.now()
    chooser = random.Random(11)
    library = {e.name: e for e in SelfCareExercise.objects.for_practice(practice)}
    visits = list(
        Appointment.objects.for_practice(practice)
        .filter(ends_at__lte=now)
        .select_related("client", "service", "therapist__user", "practice", "location")
        .order_by("starts_at")
    )
    # Two home visits of two days ago wait to be signed: the therapist's to-do list shows them.
    overdue = [
        v
        for v in visits
        if v.status == AppointmentStatus.COMPLETED
        and v.is_in_home
        and v.ends_at < now - timedelta(hours=practice.unsigned_note_hours + 2)
    ]
    unsigned = {v.pk for v in overdue[-UNSIGNED_RECENT:]}
    # A client who comes for prenatal massage is pregnant through the demo's months.
    expecting = {v.client_id for v in visits if v.service.modality == "prenatal"}
    charts: dict[int, _Chart] = {}
    charted = 0
    with transaction.atomic():  # one commit: thousands of small ones are slow on disk
        for visit in visits:
            chart = charts.get(visit.client_id)
            if chart is None:
                chart = charts[visit.client_id] = _Chart.open(
                    visit.client, chooser, practice, pregnant=visit.client_id in expecting
                )
            if visit.status == AppointmentStatus.COMPLETED:
                chart.chart_visit(visit, library, sign=visit.pk not in unsigned)
                charted += 1
                if charted % PROGRESS_EVERY == 0:
                    progress(f"  {charted} visits charted")
            recent = visit.starts_at > now - timedelta(days=2)
            chart.bill(visit, settle=not recent or chooser.random() < 0.6)
        _ask_the_demo_client_for_a_questionnaire(practice, now)
    return charted


def _ask_the_demo_client_for_a_questionnaire(practice: Practice, now: datetime) -> None:
    """Maya asks the demo's own client (client@demo.test) for a pain-and-function
    questionnaire before the next visit: their account shows it waiting."""
    alex = Client.objects.for_practice(practice).filter(email="client@demo.test").first()
    if alex is None or alex.user_id is None:
        return
    maya = User.objects.get(email="therapist@demo.test")
    ask_for_questionnaire(alex, measure="psfs", by=maya, now=now)


@dataclass
class _Chart:
    client: Client
    complaint: Complaint
    chooser: random.Random
    policy: InsurancePolicy | None
    direct_billing: bool
    pain: int
    plan: Any = None
    visits: int = 0
    pregnant: bool = False

    @classmethod
    def open(
        cls, client: Client, chooser: random.Random, practice: Practice, *, pregnant: bool
    ) -> _Chart:
        """A client's chart: a pregnant client comes with a complaint that fits pregnancy, not
        a half-marathon."""
        complaint = chooser.choice(
            [c for c in COMPLAINTS if c.fits_pregnancy] if pregnant else COMPLAINTS
        )
        policy = None
        if client.user_id or chooser.random() < 0.45:
            policy = save_insurance_policy(
                client,
                insurer=chooser.choice(INSURERS),
                plan_number=f"{chooser.randrange(10000, 99999)}",
                member_id=f"{chooser.randrange(10**8, 10**9)}",
                subscriber_name=client.legal_name,
                relationship=Relationship.SELF,
                year_starts=date(2026, 1, 1),
                annual_maximum=Decimal(chooser.choice(("500.00", "750.00", "1000.00"))),
                per_visit_maximum=None if chooser.random() < 0.6 else Decimal("100.00"),
                percent_covered=Decimal(chooser.choice(("80", "100"))),
            )
        return cls(
            client,
            complaint,
            chooser,
            policy,
            direct_billing=policy is not None and chooser.random() < 0.5,
            pain=chooser.randint(5, 8),
            pregnant=pregnant,
        )

    # --- The clinical record -------------------------------------------------------------

    def chart_visit(self, visit: Appointment, library: dict[str, Any], *, sign: bool) -> None:
        therapist = visit.therapist.user
        arrived = visit.starts_at - timedelta(minutes=5)
        if self.visits == 0:
            self._first_visit(visit, therapist, arrived)
        else:
            review_history(visit, changes={}, by=therapist, now=arrived)
        self.visits += 1
        before = self.pain
        note = start_note(visit, by=therapist, now=visit.starts_at)
        alerts = [alert.rule for alert in client_alerts(self.client, visit.starts_at.date())]
        complaint = self.complaint
        edit_note(
            note,
            {
                "subjective": self._subjective(before),
                "objective": complaint.objective,
                "assessment": f"{visit.service.name}: {complaint.focus}",
                "plan_text": complaint.plan,
                "techniques": [visit.service.modality],
                "areas_treated": list(complaint.areas),
                "pressure": "moderate",
                "client_response": complaint.response,
                "body_chart": [_mark(area, kind, view) for area, kind, view in complaint.marks],
                "self_care": complaint.self_care,
                "acknowledged_alerts": alerts,
                "plan": self.plan,
            },
            by=therapist,
            now=visit.ends_at,
        )
        record_outcome(
            self.client,
            measure="nprs",
            answers=[before],
            appointment=visit,
            by=therapist,
            now=visit.starts_at,
        )
        if self.visits == 1:
            exercises = [(library[n], "") for n in complaint.exercises if n in library]
            if exercises and self.client.user_id:
                give_self_care_plan(
                    visit,
                    exercises=exercises,
                    next_visits=complaint.plan,
                    advice=complaint.self_care,
                    by=therapist,
                    now=visit.ends_at,
                )
        if sign:
            sign_note(note, by=therapist, now=visit.ends_at + timedelta(minutes=10))
        self.pain = max(1, before - self.chooser.choice((0, 1, 1, 2)))

    def _first_visit(self, visit: Appointment, therapist: Any, arrived: datetime) -> None:
        complaint = self.complaint
        submit_health_history(
            self.client,
            answers=self._history_answers(visit),
            skipped={"physiotherapist": "Not seeing one"},
            source=HistorySource.ONLINE if self.client.user_id else HistorySource.STAFF,
            by=self.client.user if self.client.user_id else therapist,
            now=arrived - timedelta(days=2),
        )
        self.plan = create_treatment_plan(
            self.client,
            therapist=visit.therapist,
            goals=complaint.goals,
            areas=list(complaint.areas),
            techniques=[visit.service.modality],
            pressure="moderate",
            frequency=complaint.plan,
            visits_planned=6,
            after_effects="Soreness for a day or two; drink water; bruising is rare.",
            by=therapist,
            now=arrived,
        )
        record_consent(
            self.client,
            ConsentRequest(
                scope="treatment",
                nature=f"{visit.service.name} of the areas in the plan, as explained",
                benefits=complaint.goals,
                risks="Soreness for a day or two; rarely bruising or a headache",
                alternatives="Exercise, physiotherapy, rest",
                consequences="Symptoms may persist or return",
                withdrawal_explained=True,
                given=True,
                method="verbal",
                plan=self.plan,
            ),
            by=therapist,
            now=arrived,
        )

    def _history_answers(self, visit: Appointment) -> dict[str, Any]:
        complaint, roll = self.complaint, self.chooser.random()
        answers: dict[str, Any] = {
            "reason": complaint.reason,
            "goals": complaint.goals,
            "activity": complaint.activity,
            "work_posture": complaint.work_posture,
            "allergies": "None known",
            "physician": "Family doctor at the local health centre",
            "pregnant": self.pregnant,
        }
        if answers["pregnant"]:
            answers["pregnancy_weeks"] = self.chooser.randint(16, 34)
        # About one client in four has something the therapist must work around.
        if roll < 0.07:
            answers["medication_flags"] = ["anticoagulant"]
            answers["medications"] = "Apixaban daily"
        elif roll < 0.13:
            answers["conditions"] = ["varicose_veins"]
        elif roll < 0.18:
            answers["conditions"] = ["osteoporosis"]
        elif roll < 0.25:
            answers["conditions"] = ["high_blood_pressure"]
            answers["medications"] = "Ramipril"
        # A clinic books a client's first visit as what suits them: no history that advises
        # against the service they came for.
        today = visit.starts_at.date()
        if alerts_against(screen(answers, today), visit.service):
            for question in ("conditions", "medication_flags", "medications"):
                answers.pop(question, None)
        return answers

    def _subjective(self, pain: int) -> str:
        if self.visits == 1:
            return f"{self.complaint.reason}. Pain {pain}/10 today."
        change = "better since last visit" if pain < 6 else "about the same as last visit"
        return f"Pain {pain}/10, {change}; did the home care most days."

    # --- The books -------------------------------------------------------------------------

    def bill(self, visit: Appointment, *, settle: bool) -> None:
        """Invoice what the visit is billed for; settle it (by the insurer's direct payment
        and the client's share, or by the client) and receipt it."""
        billable = visit.status == AppointmentStatus.COMPLETED or visit.late_cancellation_fee_due
        if not billable:
            return
        desk = None  # written by the practice, not by a person
        invoice = invoice_appointment(visit, by=desk, now=visit.ends_at)
        if not settle:
            return
        paid_at = visit.ends_at + timedelta(minutes=5)
        owing = totals(invoice).balance
        if self.direct_billing and visit.status == AppointmentStatus.COMPLETED and self.policy:
            share = plan_share(self.policy, owing)
            if share > 0:
                record_payment(
                    invoice,
                    amount_paid=share,
                    method=PaymentMethod.INSURER_DIRECT,
                    policy=self.policy,
                    by=desk,
                    now=paid_at,
                )
                owing -= share
        if owing > 0:
            record_payment(
                invoice,
                amount_paid=owing,
                method=self.chooser.choice(CARD_METHODS),
                by=desk,
                now=paid_at,
            )
        if visit.status == AppointmentStatus.COMPLETED:
            issue_receipt(invoice, by=desk, now=paid_at + timedelta(minutes=1))


def _mark(area: str, kind: str, view: str) -> dict[str, Any]:
    """A body-chart mark in the middle of the area's region."""
    from fascia.records.body import chart_regions

    region = next(r for r in chart_regions(view) if r["code"] == area)
    x = int(region["x"]) + int(region["width"]) // 2  # type: ignore[call-overload]
    y = int(region["y"]) + int(region["height"]) // 2  # type: ignore[call-overload]
    return {"area": area, "kind": kind, "view": view, "x": x, "y": y}

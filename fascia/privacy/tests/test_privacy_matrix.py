"""The privacy matrix of docs/security.md ("What each role may read and change, record by
record"), tried for real: for every kind of record, a page or API operation that reads it and
one that changes it, requested by each role of the practice, by the client whose record it is,
by that client for someone else's record, by each role of another practice, and signed out —
and the outcome compared with the table's cell.

The table is the contract: a row the test does not know fails it, as does a cell that says
"read" where the product refuses, or "—" where the product answers. (`test_role_operations`
walks every URL and API operation against the policy table; this walks every kind of record
against the record table, with real records of two clients and two practices.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient

from fascia.accounts.tokens import issue_token
from fascia.audit.models import AuditAction, AuditEntry
from fascia.billing.actions import invoice_appointment, record_payment
from fascia.billing.models import Receipt
from fascia.billing.receipts import issue_receipt
from fascia.billing.referrals import upload_referral
from fascia.billing.tests.test_referrals import PDF
from fascia.billing.totals import totals
from fascia.conftest import make_practice
from fascia.records.models import SelfCarePlan, TreatmentNote
from fascia.records.tests.conftest import Chart
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, at

TABLE = Path(__file__).resolve().parents[3] / "docs" / "security.md"
STAFF = ("owner", "therapist", "front desk", "bookkeeper")
COLUMNS = (*STAFF, "client")
# How a cell's actions begin when they let a person read the record, or change it. A cell
# lists actions separated by commas or semicolons; a dash starts a condition on them.
READS = ("read", "their own", "a copy of the whole record", "the public pages")
CHANGES = ("change", "new version", "record", "give", "file", "lock", "replace", "book")
# A row tried elsewhere, with where.
TRIED_ELSEWHERE = {
    "A part the client locked from this reader†": "fascia/privacy/tests/test_lockbox.py",
}


def record_table() -> dict[str, dict[str, str]]:
    """Record kind -> column -> cell, from the table under "record by record"."""
    text = TABLE.read_text().split("record by record", 1)[1]
    rows = {}
    lines = [line for line in text.splitlines()[1:] if line.strip()]
    for line in lines[2:]:  # after the heading row and its rule
        if not line.startswith("| "):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows[cells[0]] = dict(zip(COLUMNS, cells[1:], strict=True))
    return rows


@dataclass(frozen=True)
class Try:
    """One request: `path` with `{…}` filled from the world; `api` sends a bearer token."""

    method: str
    path: str
    api: bool = False
    body: str = "{}"


@dataclass(frozen=True)
class Probes:
    staff_read: Try | None = None
    staff_change: Try | None = None
    client_read: Try | None = None
    client_change: Try | None = None


# Changes the API accepts as well formed, so the answer is the privacy rule's, not the
# schema's (an admitted one is made, or refused by the action for its content).
HISTORY = '{"answers": {"reason": "Checking the privacy matrix"}}'
AMENDMENT = '{"text": "Checking the privacy matrix.", "reason": "A test of who may amend."}'
SCORE = '{"measure": "nprs", "answers": [3]}'
PAYMENT = '{"amount": "0.01", "method": "cash"}'

PROBES: dict[str, Probes] = {
    "Appointments (time, service, price)": Probes(
        staff_read=Try("get", "/api/v1/appointments/{appointment}", api=True),
        client_read=Try("get", "/api/v1/appointments/{appointment}", api=True),
    ),
    "In-home address, access notes": Probes(
        staff_read=Try("get", "/staff/therapists/{maya}/day/{monday}/run-sheet/"),
        client_read=Try("get", "/account/details/{client}/"),
        client_change=Try("post", "/account/details/{client}/"),
    ),
    "Client contact details": Probes(
        staff_read=Try("get", "/staff/clients/{client}/"),
        staff_change=Try("post", "/staff/clients/{client}/edit/"),
        client_read=Try("get", "/account/details/{client}/"),
    ),
    "Health history": Probes(
        staff_read=Try("get", "/staff/clients/{client}/health-history/"),
        staff_change=Try("post", "/api/v1/clients/{client}/health-history", True, HISTORY),
        client_read=Try("get", "/account/health-history/{client}/"),
        client_change=Try("post", "/api/v1/clients/{client}/health-history", True, HISTORY),
    ),
    "Treatment notes, consents, plans, assessments": Probes(
        staff_read=Try("get", "/api/v1/notes/{note}", api=True),
        staff_change=Try("post", "/api/v1/notes/{note}/amendments", True, AMENDMENT),
        client_read=Try("get", "/account/record/{client}.json"),
    ),
    "Outcome scores": Probes(
        staff_read=Try("get", "/api/v1/clients/{client}/outcomes", api=True),
        staff_change=Try("post", "/api/v1/clients/{client}/outcomes", True, SCORE),
        client_read=Try("get", "/api/v1/clients/{client}/outcomes", api=True),
    ),
    "Self-care plans": Probes(
        staff_read=Try("get", "/staff/self-care/{self_care}.pdf"),
        staff_change=Try("post", "/staff/appointments/{appointment}/self-care/"),
        client_read=Try("get", "/account/self-care/{self_care}.pdf"),
    ),
    "Physician referral notes": Probes(
        staff_read=Try("get", "/staff/referrals/{referral}/"),
        staff_change=Try("post", "/staff/clients/{client}/billing/referrals/"),
    ),
    "Invoices, payments, receipts, refunds": Probes(
        staff_read=Try("get", "/api/v1/invoices/{invoice}", api=True),
        staff_change=Try("post", "/api/v1/invoices/{invoice}/payments", True, PAYMENT),
        client_read=Try("get", "/account/receipts/{receipt}.pdf"),
    ),
    "Insurance policies, claims": Probes(
        staff_read=Try("get", "/api/v1/invoices/{invoice}/claim", api=True),
        staff_change=Try("post", "/staff/clients/{client}/billing/policies/"),
        client_read=Try("get", "/api/v1/clients/{client}/coverage", api=True),
    ),
    "Calendar feed of a therapist": Probes(
        staff_read=Try("get", "/staff/therapists/{maya}/calendar-feed/"),
    ),
    "Practice set-up (services, locations, hours)": Probes(
        staff_read=Try("get", "/api/v1/practice/summary", api=True),
        staff_change=Try("post", "/staff/setup/services/{service}/"),
        client_read=Try("get", "/book/{slug}/services/"),
    ),
    "Audit log (who accessed a record, what a person accessed, CSV)": Probes(
        staff_read=Try("get", "/staff/audit/?client={client}"),
    ),
    "The client's lockbox (what they withhold, from whom)": Probes(
        staff_read=Try("get", "/staff/clients/{client}/lockbox/"),
        staff_change=Try("post", "/staff/clients/{client}/lockbox/"),
        client_read=Try("get", "/account/record/{client}/lockbox/"),
        client_change=Try("post", "/account/record/{client}/lockbox/"),
    ),
}


@dataclass
class World:
    """Two clients of one practice with every kind of record, and another practice."""

    ids: dict[str, Any]
    others: dict[str, Any]  # the same names, for the other client
    people: dict[str, Any]
    name: str  # how the client's own pages and the practice's name them


@pytest.fixture
def world(kept: Chart, settings: Any, tmp_path: Path) -> World:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    week = kept.week
    cast = week.cast
    referral = upload_referral(
        kept.client,
        document=SimpleUploadedFile("referral.pdf", PDF),
        physician="Dr. Lee",
        issued_on=NOW.date() + timedelta(days=365),
    )
    other_visit = book_appointment(
        week.practice,
        week.request(at(MONDAY, 14), client=week.other_client, therapist=week.dan),
        now=NOW,
    ).appointment
    set_attendance(other_visit, "completed", now=at(MONDAY, 16))
    other_visit.refresh_from_db()
    other_invoice = invoice_appointment(other_visit, by=cast.front_desk, now=at(MONDAY, 16))
    record_payment(
        other_invoice,
        amount_paid=totals(other_invoice).total,
        method="debit",
        now=at(MONDAY, 16),
    )
    other_receipt = issue_receipt(other_invoice, now=at(MONDAY, 16))
    receipt = Receipt.objects.get(invoice__client=kept.client)
    ids = {
        "client": kept.client.pk,
        "appointment": kept.appointment.pk,
        "note": TreatmentNote.objects.get(client=kept.client).pk,
        "self_care": SelfCarePlan.objects.get(client=kept.client).pk,
        "referral": referral.pk,
        "invoice": receipt.invoice_id,
        "receipt": receipt.pk,
        "maya": week.maya.pk,
        "service": week.service.pk,
        "monday": MONDAY.isoformat(),
        "slug": week.practice.slug,
    }
    others = {
        **ids,
        "client": week.other_client.pk,
        "appointment": other_visit.pk,
        "invoice": other_invoice.pk,
        "receipt": other_receipt.pk,
    }
    birch = make_practice("birch", "Birch Wellness")
    people = {
        "owner": cast.owner,
        "therapist": kept.maya,  # the treating therapist: the client is in her care
        "front desk": cast.front_desk,
        "bookkeeper": cast.bookkeeper,
        "client": cast.client_user,
        "birch owner": birch.owner,
        "birch therapist": birch.therapist_user,
        "birch front desk": birch.front_desk,
        "birch bookkeeper": birch.bookkeeper,
    }
    return World(ids, others, people, kept.client.legal_last_name)


def _response(attempt: Try, ids: dict[str, Any], person: Any, signed_in: Any) -> Any:
    url = attempt.path.format(**ids)
    if attempt.api:
        token: dict[str, Any] = (
            {"HTTP_AUTHORIZATION": f"Bearer {issue_token(person)}"} if person else {}
        )
        return WebClient().generic(
            attempt.method.upper(), url, attempt.body, content_type="application/json", **token
        )
    web = signed_in(person) if person else WebClient()
    return getattr(web, attempt.method)(url)


def _answer(attempt: Try, ids: dict[str, Any], person: Any, signed_in: Any) -> int:
    """The status, signing in (a redirect to the sign-in page) counted as 401."""
    answer = _response(attempt, ids, person, signed_in)
    if answer.status_code == 302 and "/accounts/sign-in/" in answer["Location"]:
        return 401
    return answer.status_code


def _let_in(status: int, attempt: Try) -> bool:
    """Whether the request got past the privacy rules: a read answered, a change made or
    refused for its content (400/422, or the form again) rather than for who asked."""
    if status in (401, 403, 404):
        return False
    assert status < 500, (attempt, status)
    return True


def _expected(cell: str, words: tuple[str, ...]) -> bool:
    actions = [
        action.split("—")[0].strip().strip('"').lower() for action in re.split(r"[,;]", cell)
    ]
    return any(action.startswith(words) for action in actions if action)


def test_every_row_of_the_record_table_is_tried() -> None:
    assert set(record_table()) == set(PROBES) | set(TRIED_ELSEWHERE)


@pytest.mark.django_db
def test_each_role_reads_and_changes_exactly_what_the_record_table_says(
    world: World, signed_in: Any
) -> None:
    table = record_table()
    found: dict[tuple[str, str, str], bool] = {}
    wanted: dict[tuple[str, str, str], bool] = {}
    for record, probes in PROBES.items():
        cells = table[record]
        for role in STAFF:
            for action, attempt, words in (
                ("read", probes.staff_read, READS),
                ("change", probes.staff_change, CHANGES),
            ):
                if attempt is None:
                    continue
                status = _answer(attempt, world.ids, world.people[role], signed_in)
                found[record, role, action] = _let_in(status, attempt)
                wanted[record, role, action] = _expected(cells[role], words)
        for action, attempt, words in (
            ("read", probes.client_read, READS),
            ("change", probes.client_change, CHANGES),
        ):
            if attempt is None:
                continue
            status = _answer(attempt, world.ids, world.people["client"], signed_in)
            found[record, "client", action] = _let_in(status, attempt)
            wanted[record, "client", action] = _expected(cells["client"], words)
    assert found == wanted


def _public(attempt: Try) -> bool:
    return attempt.path.startswith("/book/")


@pytest.mark.django_db
def test_nobody_else_reaches_a_clients_record(world: World, signed_in: Any) -> None:
    """The client asking for someone else's record, another practice's staff, and anyone
    signed out: refused everywhere (a public page of the practice excepted)."""
    reached = []
    for record, probes in PROBES.items():
        for attempt in (probes.client_read, probes.client_change):
            if attempt is None or _public(attempt):
                continue
            if re.search(r"\{(client|appointment|receipt|invoice)\}", attempt.path):
                status = _answer(attempt, world.others, world.people["client"], signed_in)
                if _let_in(status, attempt):
                    reached.append((record, "client, someone else's", attempt.path, status))
        for attempt in (
            probes.staff_read,
            probes.staff_change,
            probes.client_read,
            probes.client_change,
        ):
            if attempt is None or _public(attempt):
                continue
            for person in (
                "birch owner",
                "birch therapist",
                "birch front desk",
                "birch bookkeeper",
            ):
                answer = _response(attempt, world.ids, world.people[person], signed_in)
                if _shows_the_record(answer, attempt, world.name):
                    reached.append((record, person, attempt.path, answer.status_code))
            status = _answer(attempt, world.ids, None, signed_in)
            if _let_in(status, attempt):
                reached.append((record, "signed out", attempt.path, status))
    assert reached == [], "\n".join(map(str, reached))
    # Each time the client asked for someone else's record, the practice can see it.
    tried = AuditEntry.objects.filter(
        action=AuditAction.REFUSED,
        actor=world.people["client"],
        client_id=world.others["client"],
    )
    assert tried.count() >= 4  # details, health history, record copy, lockbox, receipt …


# Pages of the asker's own practice that take no record of another: their practice summary,
# and their audit log, whose form refuses a client it does not know.
OWN_PRACTICE_PAGES = ("/api/v1/practice/summary", "/staff/audit/")


def _shows_the_record(answer: Any, attempt: Try, name: str) -> bool:
    """Whether another practice's staff got at the record: anything but a refusal, or one of
    their own practice's pages naming the client."""
    if answer.status_code in (401, 403, 404):
        return False
    assert answer.status_code < 500, (attempt, answer.status_code)
    if attempt.path.startswith(OWN_PRACTICE_PAGES) and answer.status_code == 200:
        return name in answer.content.decode()
    return True

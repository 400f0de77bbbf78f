"""Every page and API operation that shows health information writes an audit entry naming the
client it showed (PHIPA: "who looked at this client's file?" must find every look).

The walk below opens each one as someone allowed to; a second test checks that the walk covers
every URL and API read that a health-information policy guards, so a new page that shows
health information cannot be added without being audited (or said here why it shows none)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from fascia.accounts.access import (
    CLIENT_DIRECTORY,
    CLIENT_RECORD,
    CLINICAL_RECORD,
    CLINICAL_RESULTS,
    REFERRAL_NOTES,
    SIGNED_IN,
    policy_of,
)
from fascia.accounts.tokens import issue_token
from fascia.api.v1 import api
from fascia.audit.models import AuditEntry
from fascia.billing.referrals import upload_referral
from fascia.billing.tests.test_referrals import PDF
from fascia.records.history import submit_health_history
from fascia.records.models import SelfCareExercise
from fascia.records.notes import start_note
from fascia.records.plans import create_treatment_plan
from fascia.records.questionnaires import ask_for_questionnaire
from fascia.records.selfcare import give_self_care_plan
from fascia.records.selfcare_library import ensure_starter_library
from fascia.records.tests.conftest import Chart
from fascia.scheduling.tests.conftest import MONDAY

HEALTH_POLICIES = {
    CLIENT_DIRECTORY,
    CLIENT_RECORD,
    CLINICAL_RECORD,
    CLINICAL_RESULTS,
    REFERRAL_NOTES,
}

# Pages under a health-information policy that show none on GET, and why.
SHOWS_NO_HEALTH_INFORMATION = {
    "staff:client-list": "a list: audited as a search (see test_client_list_is_audited)",
    "staff:client-create": "an empty form for a new client",
    "mobile:my-day": "redirects to the therapist's own day",
    "mobile:check-in": "a POST; GET redirects to the day",
    "records:note-amend": "a POST of an amendment (audited as a change)",
    "records:note-assessment": "a POST (audited as a change)",
    "records:note-ended-early": "a POST (audited as a change)",
    "records:note-history-review": "a POST (audited as a change)",
    "records:note-save": "a POST (audited as a change)",
    "records:note-self-care": "a POST (audited as a change)",
    "records:note-sign": "a POST (audited as a change)",
    "records:note-start": "a POST (audited as a change)",
    "records:outcome-measure": "an empty questionnaire; the answers are audited when saved",
    "records:progress-report": "a POST that makes the report (audited as an export)",
    "billing:file-referral": "a POST (audited as a change)",
    "public:booked": "the booking's confirmation: times and the practice, no health details",
    "records:ask-questionnaire": "a POST (audited as a change)",
    "public:add-policy": "an empty form; the policy is audited when saved (test_client_portal)",
    "public:waitlist-join": "a POST",
    "public:choose-password": "a POST of the person's own first password",
    "accounts:api-tokens": "the person's own API tokens",
    "public:password-change": "the person's own password form",
    "public:password-changed": "a confirmation that the password changed",
    "public:receipt-pdf": "audited by receipt_download (test_receipts)",
    "accounts:after-login": "a redirect",
    "staff:client-online-account": "a POST that emails the client an invitation (audited)",
    "staff:client-message": "a POST that writes to the client (audited; test_client_page)",
    "staff:client-send-health-history": "a POST that emails the form's link (audited)",
    "public:account-security": "the person's own sign-in address and sessions",
    "public:sign-out-everywhere": "a POST",
    "privacy:lockbox-override": "a POST (audited as a lockbox opening; test_lockbox)",
    "public:lockbox": "the client's own lockbox: what they locked from whom (changes audited)",
    "public:verify-email": "the person's own address, before it is proved",
    "accounts:two-factor": "the second sign-in step: a code form",
    "accounts:two-factor-set-up": "the person's own authenticator set-up",
    "accounts:two-factor-recovery-codes": "a POST: the person's own new recovery codes",
    "accounts:two-factor-off": "a POST",
    "records:emergency-access": "a POST that opens a record in an emergency (audited as such)",
    "records:transfers": "a therapist's own request to take records, and a count of clients",
    "records:transfer-download": "each client's copy is an export entry (test_record_transfer)",
}


@dataclass
class Look:
    """One page or API read of health information, and whose information it shows."""

    name: str
    url: str
    as_user: str  # an attribute of the cast, or "maya"
    api: bool = False


def looks(chart: Chart) -> tuple[list[Look], dict[str, Any]]:
    week = chart.week
    client = chart.client
    submit_health_history(client, answers={"conditions": ["osteoporosis"]}, source="staff")
    note = start_note(chart.appointment, by=chart.maya)
    ensure_starter_library(week.practice)
    plan = give_self_care_plan(
        chart.appointment,
        exercises=[(SelfCareExercise.objects.get(name="Heat for tight muscles"), "")],
        next_visits="in two weeks",
        by=chart.maya,
    )
    referral = upload_referral(
        client,
        document=SimpleUploadedFile("referral.pdf", PDF),
        physician="Dr. Lee",
        issued_on=date(2031, 1, 1),
    )
    treatment_plan = create_treatment_plan(
        client,
        therapist=week.maya,
        goals="Less neck pain.",
        areas=["neck_back"],
        techniques=["swedish"],
        pressure="moderate",
        frequency="weekly",
        visits_planned=4,
        after_effects="Tenderness for a day.",
        by=chart.maya,
    )
    asked = ask_for_questionnaire(client, measure="ndi", by=chart.maya)
    day = f"/staff/therapists/{week.maya.pk}/day/{MONDAY.isoformat()}/"
    c, a = client.pk, chart.appointment.pk
    pages = [
        Look("staff:client-detail", f"/staff/clients/{c}/", "front_desk"),
        Look("staff:client-edit", f"/staff/clients/{c}/edit/", "front_desk"),
        Look("records:chart", f"/staff/clients/{c}/chart/", "maya"),
        Look("privacy:lockbox", f"/staff/clients/{c}/lockbox/", "front_desk"),
        Look("records:health-history", f"/staff/clients/{c}/health-history/", "front_desk"),
        Look("records:consent", f"/staff/clients/{c}/consents/new/?appointment={a}", "maya"),
        Look("records:note", f"/staff/appointments/{a}/note/", "maya"),
        Look("records:self-care-pdf", f"/staff/self-care/{plan.pk}.pdf", "maya"),
        Look("records:whole-record", f"/staff/clients/{c}/record.json", "maya"),
        Look("public:whole-record", f"/account/record/{c}.pdf", "client_user"),
        Look("mobile:day", day, "front_desk"),
        Look("mobile:run-sheet", day + "run-sheet/", "maya"),
        Look("billing:referral", f"/staff/referrals/{referral.pk}/", "front_desk"),
        Look("public:my-account", "/account/", "client_user"),
        Look("public:account-intake", f"/account/health-history/{c}/", "client_user"),
        Look("public:account-details", f"/account/details/{c}/", "client_user"),
        Look("public:self-care-pdf", f"/account/self-care/{plan.pk}.pdf", "client_user"),
        Look("public:cancel-appointment", f"/account/appointments/{a}/cancel/", "client_user"),
        Look("public:plan-consent", f"/account/plans/{treatment_plan.pk}/consent/", "client_user"),
        Look("public:questionnaire", f"/account/questionnaires/{asked.pk}/", "client_user"),
        Look(
            "public:statement-pdf",
            f"/account/statements/{c}/{date.today().year}.pdf",
            "client_user",
        ),
    ]
    reads = [
        Look("/appointments/{appointment_id}", f"/api/v1/appointments/{a}", "front_desk", True),
        Look("/notes/{note_id}", f"/api/v1/notes/{note.pk}", "maya", True),
        Look("/clients/{client_id}/alerts", f"/api/v1/clients/{c}/alerts", "front_desk", True),
        Look("/clients/{client_id}/outcomes", f"/api/v1/clients/{c}/outcomes", "maya", True),
        Look(
            "/therapists/{therapist_id}/day",
            f"/api/v1/therapists/{week.maya.pk}/day?date={MONDAY.isoformat()}",
            "front_desk",
            True,
        ),
    ]
    return pages + reads, {"maya": chart.maya}


def _user(chart: Chart, name: str, extra: dict[str, Any]) -> Any:
    return extra.get(name) or getattr(chart.week.cast, name)


@pytest.mark.django_db
def test_every_page_and_api_read_of_health_information_is_audited(
    chart: Chart,
    signed_in: Callable[[Any], Any],
    client: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    walked, extra = looks(chart)
    unaudited = []
    for look in walked:
        user = _user(chart, look.as_user, extra)
        before = AuditEntry.objects.filter(client=chart.client).count()
        if look.api:
            answer = client.get(look.url, HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
        else:
            answer = signed_in(user).get(look.url)
        assert answer.status_code == 200, (look.name, answer.status_code)
        entries = AuditEntry.objects.filter(client=chart.client).order_by("-id")
        if entries.count() == before:
            unaudited.append(look.name)
        else:
            assert entries[0].actor == user, look.name
    assert unaudited == []


def test_the_walk_covers_every_page_and_api_read_a_health_policy_guards(
    chart: Chart,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    walked = {look.name for look in looks(chart)[0]}
    guarded_pages = {
        name
        for name, view in _named_views(get_resolver().url_patterns)
        if policy_of(view) in HEALTH_POLICIES or policy_of(view) == SIGNED_IN
    }
    assert guarded_pages - walked - set(SHOWS_NO_HEALTH_INFORMATION) == set()
    assert set(SHOWS_NO_HEALTH_INFORMATION) & walked == set()
    guarded_reads = {
        route
        for _prefix, router in api._routers
        for route, path_view in router.path_operations.items()
        for operation in path_view.operations
        if "GET" in operation.methods
        and any(
            getattr(auth, "policy", None) in HEALTH_POLICIES for auth in operation.auth_callbacks
        )
    }
    # Lists are audited as searches (no one client); the rest must be walked.
    lists = {"/clients"}
    assert guarded_reads - walked - lists == set()


def _named_views(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Any]]:
    """("namespace:name", view) for every named URL outside the admin and the API."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace not in ("admin", "api"):
                yield from _named_views(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name and namespace:
            yield f"{namespace}:{entry.name}", entry.callback

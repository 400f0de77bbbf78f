"""The chart is remembered until the client's record changes: a second opening draws nothing
again and checks nothing again but who is signed in and their role (it is still audited), and
every kind of change — through an action, a bulk update, a bulk insert, a delete, a rename of
the service — is on the very next opening, as is a permission that ended by the clock. A client
with anything in their lockbox is drawn every time, and the forms carry the reader's own token."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fascia.accounts.models import Role, StaffMember
from fascia.audit.models import AuditEntry
from fascia.privacy.lockbox import lock_record, override_lock
from fascia.privacy.models import LawfulException, LockboxOverride, LockedPart, WithheldFrom
from fascia.records.assessment import record_outcome
from fascia.records.care import open_in_emergency
from fascia.records.consents import record_consent
from fascia.records.models import (
    EmergencyAccess,
    IntakeLink,
    OutcomeScore,
    QuestionnaireRequest,
    RecordStamp,
)
from fascia.records.questionnaires import ask_for_questionnaire
from fascia.records.remembered_chart import NOT_STAMPED, stamped_models
from fascia.records.tests.conftest import NOW, Chart, consent_to
from fascia.scheduling.attendance import cancel_appointment
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.remembered import schedule_models


def chart_url(chart: Chart) -> str:
    return f"/staff/clients/{chart.client.pk}/chart/"


def tables_read(queries: list[dict[str, Any]]) -> set[str]:
    return {
        table
        for query in queries
        for sql in [_statement(query["sql"].lstrip())]
        if sql.upper().startswith("SELECT")
        for table in re.findall(r'(?:FROM|JOIN)\s+\(?"(\w+)"', sql)
    }


def _statement(sql: str) -> str:
    """The SQL a query ran: a prepared statement's own text for its EXECUTE (PostgreSQL)."""
    prepared = re.match(r"EXECUTE (\w+)", sql)
    if prepared is None:
        return sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE name = %s", [prepared.group(1)]
        )
        return str(cursor.fetchone()[0]).partition(" AS ")[2]


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


# What every signed-in staff page reads, and what every opening of a chart reads besides.
SIGNED_IN = {"django_session", "accounts_user", "accounts_staffmember", "scheduling_schedulestamp"}
STAMPS = {"records_recordstamp", "scheduling_schedulestamp"}


def opened(web: WebClient, chart: Chart) -> tuple[str, set[str]]:
    with CaptureQueriesContext(connection) as queries:
        page = web.get(chart_url(chart))
    assert page.status_code == 200
    return page.content.decode(), tables_read(queries.captured_queries)


def test_a_second_opening_draws_nothing_again_but_is_still_checked_and_audited(
    chart: Chart, signed_in: Any
) -> None:
    web = signed_in(chart.maya)
    first, read_first = opened(web, chart)
    again, read_again = opened(web, chart)
    assert {"records_consent", "records_outcomescore", "records_healthhistory"} <= read_first
    assert not read_again & {"records_consent", "records_outcomescore", "records_healthhistory"}
    # The permission to read was remembered with the chart: only who is signed in, the stamps
    # and the audit chain are read again (the chain's head by a SELECT on SQLite, inside the
    # entry's INSERT on PostgreSQL).
    assert read_again - {"audit_auditchainhead"} == SIGNED_IN | STAMPS
    assert without_tokens(again) == without_tokens(first)  # each request has its own token
    assert AuditEntry.objects.filter(record_type="records.chart").count() == 2


def test_every_change_to_the_record_is_on_the_next_opening(chart: Chart, signed_in: Any) -> None:
    web = signed_in(chart.week.cast.owner)
    opened(web, chart)

    record_consent(chart.client, consent_to("treatment"), by=chart.maya)
    assert "Treatment · given" in opened(web, chart)[0]

    record_outcome(chart.client, measure="nprs", answers=[6], by=chart.maya)
    assert "NPRS 6" in opened(web, chart)[0]

    score = OutcomeScore.objects.get(client=chart.client)
    OutcomeScore.objects.bulk_create(
        [
            OutcomeScore(
                practice=chart.week.practice,
                client=chart.client,
                measure="nprs",
                answers=[2],
                value=2,
                complete=True,
                recorded_at=score.recorded_at + timedelta(days=7),
            )
        ]
    )
    assert "NPRS 2" in opened(web, chart)[0]

    ask_for_questionnaire(chart.client, measure="nprs", by=chart.maya)
    assert "Waiting for the client" in opened(web, chart)[0]
    QuestionnaireRequest.objects.filter(client=chart.client).update(answered_at=timezone.now())
    assert "Waiting for the client" not in opened(web, chart)[0]

    Appointment.objects.filter(pk=chart.appointment.pk).update(
        status=AppointmentStatus.LATE_CANCELLED
    )
    assert str(AppointmentStatus.LATE_CANCELLED.label) in opened(web, chart)[0]

    chart.client.legal_first_name = "Alexandra"
    chart.client.preferred_name = ""
    chart.client.save()
    assert "Alexandra" in opened(web, chart)[0]

    service = chart.appointment.service
    service.name = "Deep tissue, 60 minutes"
    service.save()
    assert "Deep tissue, 60 minutes" in opened(web, chart)[0]


def test_the_permission_to_read_lasts_only_until_the_record_changes(
    chart: Chart, signed_in: Any
) -> None:
    """Maya may read the chart because of her visit with the client; once it is cancelled the
    client is no longer in her care, and the next opening is refused."""
    web = signed_in(chart.maya)
    opened(web, chart)
    opened(web, chart)
    cancel_appointment(
        chart.appointment, by=chart.week.cast.owner, by_practice=True, tell_client=False, now=NOW
    )
    refused = web.get(chart_url(chart))
    assert refused.status_code == 403
    assert "Open in an emergency" in refused.content.decode()


def test_the_readers_role_is_read_on_every_opening(chart: Chart, signed_in: Any) -> None:
    """The owner sees every record; the same person made a therapist (a change to their staff
    membership, not to the client's record) sees only the clients in their care."""
    owner = chart.week.cast.owner
    web = signed_in(owner)
    opened(web, chart)
    StaffMember._base_manager.filter(user=owner, practice=chart.week.practice).update(
        role=Role.THERAPIST
    )
    assert web.get(chart_url(chart)).status_code == 403


def test_an_emergency_opening_is_never_remembered(chart: Chart, signed_in: Any) -> None:
    """A therapist let in by an emergency opening is let in only while it lasts: the clock ends
    it, with no write to the record."""
    dan = chart.week.dan.user
    web = signed_in(dan)
    open_in_emergency(
        chart.client, by=dan, reason="Client collapsed in the waiting room; need medications."
    )
    opened(web, chart)
    opened(web, chart)
    EmergencyAccess._base_manager.filter(client_id=chart.client.pk).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    assert web.get(chart_url(chart)).status_code == 403


def test_a_client_with_anything_in_their_lockbox_is_drawn_every_time(
    chart: Chart, signed_in: Any
) -> None:
    """What is locked depends on the reader and on openings that end with the clock: an opening
    under a lawful exception shows the history, and the next opening after it ends does not."""
    lock_record(
        chart.client,
        part=LockedPart.HEALTH_HISTORY,
        withheld_from=WithheldFrom.NAMED,
        practitioners=[chart.week.maya],
        by=chart.week.cast.owner,
    )
    web = signed_in(chart.maya)
    assert "locked by the client" in opened(web, chart)[0]
    override_lock(
        chart.client,
        by=chart.maya,
        exception=LawfulException.SERIOUS_HARM,
        reason="Client collapsed in the waiting room; need medications now.",
    )
    page, _read = opened(web, chart)
    assert "locked by the client" not in page
    # Four hours pass (the clock, not a write: no stamp changes).
    LockboxOverride._base_manager.filter(client_id=chart.client.pk).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    assert "locked by the client" in opened(web, chart)[0]


def test_the_forms_on_a_remembered_chart_carry_the_readers_own_token(
    chart: Chart, signed_in: Any
) -> None:
    signed_in(chart.maya).get(chart_url(chart))  # drawn and remembered in another session
    web = WebClient(enforce_csrf_checks=True)
    web.force_login(chart.maya)
    page = web.get(chart_url(chart)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    posted = web.post(
        chart_url(chart),
        {"csrfmiddlewaretoken": token, "action": "rom", "movement": "x:y", "degrees": "oops"},
    )
    assert posted.status_code == 302  # past the CSRF check (the bad degrees are refused)


def test_each_language_has_its_own_chart(chart: Chart, signed_in: Any) -> None:
    signed_in(chart.maya).get(chart_url(chart))
    french = WebClient(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    french.force_login(chart.maya)
    page = french.get(chart_url(chart)).content.decode()
    assert "Visites et notes" in page or "Consentements" in page
    assert "Visits and notes" not in page


def test_the_chart_reads_nothing_that_does_not_stamp_it(chart: Chart, signed_in: Any) -> None:
    """Every table the chart's record part reads is stamped by its writes: a model naming the
    client stamps the client; what the whole practice shares stamps the practice's schedule."""
    record_consent(chart.client, consent_to("treatment"), by=chart.maya)
    record_outcome(chart.client, measure="nprs", answers=[6], by=chart.maya)
    web = signed_in(chart.maya)
    _page, read = opened(web, chart)
    covered = {m._meta.db_table for m in [*stamped_models(), *schedule_models()]}
    # The signed-in request, the stamps themselves and the audit chain the opening is logged on.
    checked_every_time = SIGNED_IN | STAMPS | {"audit_auditchainhead"}
    by_table = {m._meta.db_table: m._meta.label_lower for m in apps.get_models()}
    not_stamped = {by_table[t] for t in read - covered - checked_every_time}
    assert not_stamped == set()
    assert "audit_auditentry" not in read and "audit.auditentry" in NOT_STAMPED


@pytest.mark.parametrize("model", stamped_models(), ids=lambda m: m._meta.label)
def test_every_model_naming_a_client_stamps_the_record(model: Any) -> None:
    from django.db.models.signals import post_delete, post_save

    from fascia.practices.tenancy import clients_written

    assert post_save.has_listeners(model) and post_delete.has_listeners(model)
    assert clients_written.has_listeners(model)


def test_deleting_a_row_that_names_the_client_stamps_the_record(chart: Chart) -> None:
    def token() -> int | None:
        return (
            RecordStamp.objects.filter(client_id=chart.client.pk)
            .values_list("token", flat=True)
            .first()
        )

    link = IntakeLink.objects.create(
        practice=chart.week.practice,
        client=chart.client,
        digest="0" * 64,
        expires_at=timezone.now() + timedelta(days=1),
    )
    before = token()
    IntakeLink.objects.filter(pk=link.pk).delete()
    assert token() not in (None, before)

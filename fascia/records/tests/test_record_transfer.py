"""A therapist who leaves takes the records of the clients in their care to their new
practice, once the owner approves for the custodian: one archive of each client's whole record
(JSON and PDF), every copy audited; nothing before approval, nothing of other clients."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from fascia.audit.models import AuditAction, AuditEntry
from fascia.records.care import clients_in_care_of
from fascia.records.errors import RecordError
from fascia.records.models import RecordTransfer
from fascia.records.tests.conftest import Chart
from fascia.records.transfer import (
    ask_to_take_records,
    decide_record_transfer,
    transfer_archive,
)

PAGE = "/staff/records/transfers/"


def test_only_the_clients_in_the_therapists_care_are_taken(chart: Chart) -> None:
    maya, dan = chart.week.maya, chart.week.dan
    assert list(clients_in_care_of(maya)) == [chart.client]
    assert list(clients_in_care_of(dan)) == []


def test_the_therapist_asks_the_owner_approves_and_the_therapist_downloads(
    chart: Chart, signed_in: Any
) -> None:
    maya = signed_in(chart.maya)
    maya.post(PAGE, {"do": "ask", "reason": "Moving to Riverside Massage in Guelph."})
    transfer = RecordTransfer.objects.get()
    assert maya.get(f"{PAGE}{transfer.pk}/records.zip").status_code == 302  # not approved yet

    owner = signed_in(chart.week.cast.owner)
    assert "Moving to Riverside Massage" in owner.get(PAGE).content.decode()
    owner.post(PAGE, {"do": "approve", "transfer": transfer.pk})
    transfer.refresh_from_db()
    assert transfer.approved_by == chart.week.cast.owner

    download = maya.get(f"{PAGE}{transfer.pk}/records.zip")
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    folder = f"client-{chart.client.pk}"
    assert sorted(archive.namelist()) == [f"{folder}/record.json", f"{folder}/record.pdf"]
    copy = json.loads(archive.read(f"{folder}/record.json"))
    assert copy["client"]["legal_first_name"] == "Casey"
    assert archive.read(f"{folder}/record.pdf").startswith(b"%PDF")
    exports = AuditEntry.objects.filter(action=AuditAction.EXPORT, client=chart.client)
    assert exports.count() == 2 and {e.actor for e in exports} == {chart.maya}


def test_a_refusal_says_why_and_only_the_owner_decides(chart: Chart) -> None:
    transfer = ask_to_take_records(chart.week.maya, by=chart.maya, reason="Leaving.")
    with pytest.raises(RecordError, match="already waiting"):
        ask_to_take_records(chart.week.maya, by=chart.maya, reason="Again.")
    with pytest.raises(RecordError, match="Only the owner"):
        decide_record_transfer(transfer, approve=True, by=chart.maya)
    with pytest.raises(RecordError, match="says why"):
        decide_record_transfer(transfer, approve=False, by=chart.week.cast.owner)
    decide_record_transfer(
        transfer, approve=False, refusal_reason="Custody agreement first.", by=chart.week.cast.owner
    )
    with pytest.raises(RecordError, match="not approved"):
        transfer_archive(transfer, by=chart.maya)


def test_nobody_else_asks_or_downloads_for_a_therapist(chart: Chart) -> None:
    with pytest.raises(RecordError, match="Only the therapist"):
        ask_to_take_records(chart.week.maya, by=chart.week.dan.user, reason="Taking Maya's.")
    transfer = ask_to_take_records(chart.week.maya, by=chart.maya, reason="Leaving.")
    decide_record_transfer(transfer, approve=True, by=chart.week.cast.owner)
    with pytest.raises(RecordError, match="Only the therapist downloads"):
        transfer_archive(transfer, by=chart.week.cast.owner)

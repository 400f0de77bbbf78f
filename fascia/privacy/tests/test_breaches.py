"""The privacy breach log: the owner records what happened and to whom, sees when the IPC must
be told, emails each affected client the notice in their language (with their right to complain
to the IPC), records those told another way, and downloads the yearly statistics for the IPC."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fascia.audit.models import AuditAction, AuditEntry
from fascia.clients.actions import register_client
from fascia.notifications.models import OutboundMessage
from fascia.privacy.breaches import BreachError, BreachReport, record_breach
from fascia.privacy.models import BreachNotice, PrivacyBreach

LOG = "/staff/privacy/breaches/"


def form(cast: Any, **changes: Any) -> dict[str, Any]:
    yesterday = timezone.localtime(timezone.now() - timedelta(days=1), cast.practice.zone)
    values: dict[str, Any] = {
        "discovered_at": yesterday.strftime("%Y-%m-%dT%H:%M"),
        "kind": "lost",
        "status": "confirmed",
        "what_happened": "A printed day sheet was left on the bus.",
        "records_affected": "Names, times and services of the day's visits.",
        "containment": "Transit lost-and-found asked; day sheets are no longer printed.",
        "clients": [cast.client.pk],
        "others_affected": "0",
    }
    values.update(changes)
    return values


@pytest.fixture
def no_email(maple: Any) -> Any:
    return register_client(
        maple.practice, by=None, legal_first_name="Noor", legal_last_name="Paper", phone=""
    )


def test_the_owner_records_a_breach_and_tells_the_clients(
    maple: Any, no_email: Any, signed_in: Any
) -> None:
    owner = signed_in(maple.owner)
    assert owner.get(LOG).status_code == 200
    maple.client.preferred_language = "fr"
    maple.client.save()
    recorded = owner.post(
        LOG, form(maple, clients=[maple.client.pk, no_email.pk], ipc_categories=["significant"])
    )
    breach = PrivacyBreach.objects.get()
    assert recorded.status_code == 302 and recorded["Location"] == f"{LOG}{breach.pk}/"
    assert breach.people_affected == 2 and breach.must_report_to_ipc
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, record_id=str(breach.pk)).exists()
    page = owner.get(f"{LOG}{breach.pk}/").content.decode()
    assert "The IPC must be told of this breach." in page

    told = owner.post(f"{LOG}{breach.pk}/tell/", follow=True).content.decode()
    assert "Noor Paper have no email address" in told
    email = OutboundMessage.objects.get(to=maple.client.email)
    assert "commissaire à l’information et à la protection de la vie privée" in email.body.lower()
    assert "https://www.ipc.on.ca/" in email.body
    assert BreachNotice.objects.get(client=maple.client).method == "email"

    owner.post(f"{LOG}{breach.pk}/told/", {"client": no_email.pk, "method": "phone"})
    assert BreachNotice.objects.get(client=no_email).method == "phone"
    # Telling again sends nothing twice.
    owner.post(f"{LOG}{breach.pk}/tell/")
    assert OutboundMessage.objects.filter(to=maple.client.email).count() == 1


def test_the_yearly_statistics_count_confirmed_breaches_and_people(
    maple: Any, signed_in: Any
) -> None:
    owner = signed_in(maple.owner)
    owner.post(LOG, form(maple, others_affected="3"))
    owner.post(LOG, form(maple, kind="used", status="suspected"))
    owner.post(LOG, form(maple, kind="used", what_happened="A colleague looked at a chart."))
    year = timezone.localdate(timezone=maple.practice.zone).year
    if PrivacyBreach.objects.filter(discovered_at__year=year - 1).exists():
        year -= 1  # "yesterday" fell in last year
    response = owner.get(f"{LOG}statistics/{year}.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Kind", "Breaches", "People affected"]
    by_kind = {row[0]: row[1:] for row in rows[1:]}
    assert by_kind["Lost"] == ["1", "4"]
    assert by_kind["Used without authority"] == ["1", "1"]  # the suspected one is not counted
    assert by_kind["Total"] == ["2", "5"]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, detail__contains="statistics")


def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    owner = signed_in(maple.owner)
    tomorrow = timezone.localtime(timezone.now() + timedelta(days=2), maple.practice.zone)
    future = owner.post(LOG, form(maple, discovered_at=tomorrow.strftime("%Y-%m-%dT%H:%M")))
    assert future.status_code == 422
    assert "cannot be discovered in the future" in future.content.decode()
    foreign = owner.post(LOG, form(maple, clients=[birch.client.pk]))
    assert foreign.status_code == 422 and "clients" in foreign.context["form"].errors
    early = owner.post(LOG, form(maple, reported_to_ipc_on="2001-01-01"))
    assert "cannot be told before" in early.content.decode()
    assert not PrivacyBreach.objects.exists()


def test_only_the_owner_keeps_the_breach_log(maple: Any, signed_in: Any) -> None:
    for who in (maple.therapist_user, maple.front_desk, maple.bookkeeper, maple.client_user):
        assert signed_in(who).get(LOG).status_code in (302, 403)
    with pytest.raises(BreachError):
        record_breach(
            maple.practice,
            BreachReport(
                discovered_at=timezone.now(),
                kind="lost",
                what_happened="x",
                records_affected="y",
            ),
            by=maple.front_desk,
        )

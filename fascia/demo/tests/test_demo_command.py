"""`fascia demo` loads a realistic practice once; running it again changes nothing."""

from __future__ import annotations

from io import StringIO
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


@pytest.fixture
def demo(db: Any) -> Practice:
    call_command("demo", stdout=StringIO())
    return Practice.objects.get(slug="demo")


def test_demo_practice_is_realistic(demo: Practice) -> None:
    assert Client.objects.for_practice(demo).count() >= 200
    assert Therapist.objects.for_practice(demo).count() == 3
    assert Service.objects.for_practice(demo).count() >= 12
    mobile = Location.objects.for_practice(demo).get(kind=Location.Kind.MOBILE)
    assert set(mobile.service_areas.values_list("name", flat=True)) == set(SERVICE_AREAS)
    clinic = Location.objects.for_practice(demo).get(kind=Location.Kind.CLINIC)
    assert clinic.rooms.count() == 3
    consult = Service.objects.for_practice(demo).get(modality="consultation")
    assert [str(d.price) for d in consult.durations.all()] == ["0.00"]


def test_running_demo_again_changes_nothing(demo: Practice) -> None:
    before = snapshot()
    call_command("demo", stdout=StringIO())
    assert snapshot() == before


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("owner@demo.test", "owner"),
        ("therapist@demo.test", "therapist"),
        ("frontdesk@demo.test", "front_desk"),
    ],
)
def test_demo_logins_work_for_each_role(demo: Practice, client: Any, email: str, role: str) -> None:
    assert client.login(username=email, password=DEMO_PASSWORD)
    assert StaffMember.objects.get(user__email=email, practice=demo).role == role
    assert client.get("/staff/").status_code == 200


def test_demo_client_login_sees_their_own_account(demo: Practice, client: Any) -> None:
    assert client.login(username="client@demo.test", password=DEMO_PASSWORD)
    assert client.get("/accounts/welcome/")["Location"] == "/account/"
    assert "Alexandra Morgan" in client.get("/account/").content.decode()
    assert client.get("/staff/").status_code == 403


@override_settings(FASCIA_ALLOW_DEMO=False)
def test_demo_is_refused_where_turned_off(db: Any) -> None:
    with pytest.raises(CommandError, match="turned off"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.filter(email="owner@demo.test").exists()

"""Shared personas: a practice with one person in each role and a client with a portal login,
and a second practice whose records must never leak into the first."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test import Client as WebClient
from django.utils import timezone

from fascia.accounts.models import Role, StaffMember, User
from fascia.audit.purge import set_purge_permit
from fascia.clients.actions import register_client
from fascia.clients.models import Client
from fascia.practices.models import Location, Practice, Service, ServiceDuration, Therapist

# Django's test server queues 10 pending connections; the race tests open 50 at once.
WSGIServer.request_queue_size = 128

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it. Test-only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery"


@dataclass
class PracticeCast:
    practice: Practice
    owner: User
    therapist_user: User
    therapist: Therapist
    front_desk: User
    bookkeeper: User
    client_user: User
    client: Client
    service: Service


def make_practice(slug: str, name: str) -> PracticeCast:
    practice = Practice.objects.create(
        slug=slug, name=name, street="1 Main St", city="Brampton", postal_code="L6Y 1A1"
    )

    def staff(role: str, label: str) -> User:
        user = User.objects.create_user(
            f"{label}@{slug}.test",
            PASSWORD,
            full_name=label.title(),
            email_verified_at=timezone.now(),
        )
        StaffMember.objects.create(practice=practice, user=user, role=role)
        return user

    owner = staff(Role.OWNER, "owner")
    therapist_user = staff(Role.THERAPIST, "therapist")
    therapist = Therapist.objects.create(
        practice=practice,
        user=therapist_user,
        display_name=f"{name} Therapist",
        registration_number="A1234",
        modalities=["swedish"],
    )
    front_desk = staff(Role.FRONT_DESK, "frontdesk")
    bookkeeper = staff(Role.BOOKKEEPER, "bookkeeper")
    client_user = User.objects.create_user(
        f"client@{slug}.test", PASSWORD, full_name="Casey", email_verified_at=timezone.now()
    )
    client = register_client(
        practice,
        by=None,
        user=client_user,
        legal_first_name="Casey",
        legal_last_name=f"{name.split()[0]}client",
        email=f"client@{slug}.test",
        postal_code="L6Y 2B2",
    )
    service = Service.objects.create(practice=practice, name="Swedish massage", modality="swedish")
    ServiceDuration.objects.create(practice=practice, service=service, minutes=60, price="120.00")
    Location.objects.create(practice=practice, name="Clinic", street="1 Main St", city="Brampton")
    return PracticeCast(
        practice,
        owner,
        therapist_user,
        therapist,
        front_desk,
        bookkeeper,
        client_user,
        client,
        service,
    )


@pytest.fixture
def maple(db: Any) -> PracticeCast:
    """The practice under test."""
    return make_practice("maple", "Maple Massage")


@pytest.fixture
def birch(db: Any) -> PracticeCast:
    """Another practice on the same server; nothing of it may show in Maple's pages."""
    return make_practice("birch", "Birch Wellness")


@pytest.fixture
def signed_in() -> Callable[[User], WebClient]:
    """signed_in(user) -> a test web client with that user signed in."""

    def sign_in(user: User) -> WebClient:
        web = WebClient()
        web.force_login(user)
        return web

    return sign_in


@pytest.fixture(autouse=True)
def _english_to_start_with() -> Iterator[None]:
    """Each test starts in English: a French page requested by an earlier test leaves French
    active in the worker's thread (as Django leaves the last request's language)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _forget_remembered_answers() -> Iterator[None]:
    """Each test starts with an empty cache: the database is rolled back between tests (and
    SQLite reuses ids), so answers remembered by one test must not reach the next."""
    from django.core.cache import cache

    from fascia.accounts.practice_context import forget_remembered_practices
    from fascia.api.remembered_answers import forget_recallable
    from fascia.records.remembered_chart import forget_remembered_charts
    from fascia.scheduling.practice_setup import forget_practice_setups
    from fascia.scheduling.remembered import forget_remembered

    cache.clear()
    forget_remembered()
    forget_recallable()
    forget_remembered_charts()
    forget_remembered_practices()
    forget_practice_setups()
    yield


@pytest.fixture(autouse=True)
def _permit_flush_of_audit_log(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with Django's flush (TRUNCATE/DELETE), which the audit log's
    append-only triggers refuse; grant the purge permit for that flush only."""
    marker = request.node.get_closest_marker("django_db")
    marked_transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not (
        {"transactional_db", "live_server"} & set(request.fixturenames) or marked_transactional
    ):
        yield
        return
    request.getfixturevalue("transactional_db")
    set_purge_permit(False)
    yield
    set_purge_permit(True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if executable is None:
        pytest.fail("Browser tests need Debian's chromium: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    # Let the requests the page still has in flight finish before the test's database is
    # flushed: a request the live server is still answering (and the audit chain's lock it
    # takes) would otherwise meet the flush's table locks.
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


def pytest_report_header(config: pytest.Config) -> str:
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"

"""Every URL and API operation declares who may use it; anything undeclared is refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

from fascia import urls as product_urls
from fascia.accounts.access import (
    CLIENT_RECORD,
    DELEGATED_NAMESPACES,
    PUBLIC,
    PolicyAuth,
    access,
    policy_of,
)
from fascia.api.v1 import api


def walk(patterns: list[Any], namespaces: tuple[str, ...] = (), prefix: str = "") -> Iterator:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield namespaces, prefix + str(entry.pattern), entry.callback


def test_every_url_declares_an_access_policy() -> None:
    undeclared = [
        route
        for namespaces, route, view in walk(get_resolver().url_patterns)
        if not any(ns in DELEGATED_NAMESPACES for ns in namespaces) and policy_of(view) is None
    ]
    assert undeclared == []


def test_the_walk_finds_the_product_urls() -> None:
    routes = {route for _, route, _ in walk(get_resolver().url_patterns)}
    assert {"staff/clients/<int:client_id>/", "accounts/sign-in/", "api/v1/services"} <= routes


def test_every_api_operation_declares_a_policy() -> None:
    operations = [
        (path_view_path, operation)
        for router_prefix, router in api._routers
        for path_view_path, path_view in router.path_operations.items()
        for operation in path_view.operations
    ]
    assert operations, "the API has operations"
    for route, operation in operations:
        assert operation.auth_callbacks, route
        assert all(isinstance(auth, PolicyAuth) for auth in operation.auth_callbacks), route


def undeclared_view(request: Any) -> HttpResponse:
    return HttpResponse("secret")


declared_view = access(PUBLIC)(lambda request: HttpResponse("hello"))

urlpatterns = [
    path("undeclared/", undeclared_view),
    path("declared/", declared_view),
    *product_urls.urlpatterns,
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_policy_is_refused_even_to_staff(maple: Any, signed_in: Any) -> None:
    web = signed_in(maple.owner)
    refused = web.get("/undeclared/")
    assert refused.status_code == 403
    assert b"secret" not in refused.content
    assert web.get("/declared/").content == b"hello"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", 200),
        ("therapist_user", 200),
        ("front_desk", 200),
        ("bookkeeper", 403),
        ("client_user", 403),
    ],
)
def test_client_directory_is_for_clinical_and_front_desk_staff(
    maple: Any, signed_in: Any, persona: str, expected: int
) -> None:
    response = signed_in(getattr(maple, persona)).get("/staff/clients/")
    assert response.status_code == expected


def test_signed_out_visitors_are_sent_to_sign_in(db: Any, client: Any) -> None:
    response = client.get("/staff/clients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=/staff/clients/")


def test_api_answers_401_and_403_in_json(maple: Any, signed_in: Any, client: Any) -> None:
    anonymous = client.get("/api/v1/practice/summary")
    assert anonymous.status_code == 401
    assert "detail" in anonymous.json()
    as_client = signed_in(maple.client_user).get("/api/v1/practice/summary")
    assert as_client.status_code == 403
    assert "staff" in as_client.json()["detail"]
    assert signed_in(maple.bookkeeper).get("/api/v1/practice/summary").status_code == 200


def test_record_owner_may_see_their_own_record_only(maple: Any, birch: Any) -> None:
    factory = RequestFactory()
    request = factory.get("/")
    request.user = maple.client_user
    request.staff_role = None  # type: ignore[attr-defined]
    assert CLIENT_RECORD.decide(request, {"client_id": maple.client.pk}).allowed
    assert not CLIENT_RECORD.decide(request, {"client_id": birch.client.pk}).allowed
    request.user = maple.bookkeeper
    request.staff_role = "bookkeeper"  # type: ignore[attr-defined]
    decision = CLIENT_RECORD.decide(request, {"client_id": maple.client.pk})
    assert not decision.allowed
    assert "Bookkeeper" in decision.reason


def test_admin_is_for_owners_only(maple: Any, signed_in: Any) -> None:
    assert signed_in(maple.owner).get("/admin/").status_code == 200
    assert signed_in(maple.front_desk).get("/admin/").status_code == 302
    assert signed_in(maple.therapist_user).get("/admin/clients/client/").status_code == 302

"""Role x operation: every page and API operation, requested as each role of a practice (and
signed out), against the policy table in docs/security.md.

The table is the contract: each policy in `access.py` must appear there with exactly its roles.
Then every URL and API operation is requested by each role the table leaves out, and must be
refused (403, or sign-in / 401 when signed out) before its view runs; pages the table allows are
opened too and must not be refused by their policy. Refused requests change nothing, so the
walk can send every method."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import URLPattern, URLResolver, get_resolver

from fascia.accounts import access
from fascia.accounts.access import Policy, PolicyAuth, policy_of
from fascia.accounts.models import Role
from fascia.accounts.tokens import issue_token
from fascia.api.v1 import api
from fascia.conftest import PracticeCast

TABLE = Path(__file__).resolve().parents[3] / "docs" / "security.md"
ROLE_WORDS = {
    "owner": Role.OWNER,
    "therapist": Role.THERAPIST,
    "front desk": Role.FRONT_DESK,
    "bookkeeper": Role.BOOKKEEPER,
}
PERSONAS = ("owner", "therapist", "front desk", "bookkeeper", "client", "signed out")


@cache
def documented_policies() -> dict[str, frozenset[str]]:
    """Policy name -> who the table lets in: role words, "own client", "anyone", "signed in"."""
    found = {}
    for name, who in re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", TABLE.read_text(), re.M):
        words = frozenset(part.strip() for part in who.split(","))
        found[name] = words
    return found


def declared_policies() -> dict[str, Policy]:
    return {name: value for name, value in vars(access).items() if isinstance(value, Policy)}


def admits(policy: Policy, persona: str) -> bool:
    """Whether the table's entry for `policy` lets `persona` in (the client asks about their
    own record)."""
    who = documented_policies()[_name_of(policy)]
    if "anyone" in who:
        return True
    if persona == "signed out":
        return False
    if "anyone signed in" in who:
        return True
    if persona == "client":
        return "own client" in who
    return persona in who


def _name_of(policy: Policy) -> str:
    return next(name for name, value in declared_policies().items() if value is policy)


def test_the_table_lists_every_policy_with_exactly_its_roles() -> None:
    documented = documented_policies()
    declared = declared_policies()
    assert set(documented) == set(declared)
    for name, policy in declared.items():
        who = documented[name]
        if policy.public:
            assert who == {"anyone"}, name
        elif policy.signed_in:
            assert who == {"anyone signed in"}, name
        else:
            roles = {ROLE_WORDS[word] for word in who if word in ROLE_WORDS}
            assert roles == set(policy.roles), name
            assert ("own client" in who) == bool(policy.record_owner_kwarg), name
            assert who <= set(ROLE_WORDS) | {"own client"}, name


def pages(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """(route, view) of every page outside the admin and the API."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace not in ("admin", "api"):
                yield from pages(entry.url_patterns, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def concrete(route: str, cast: PracticeCast) -> str:
    """A route with its arguments filled: the client's own id where one is asked for."""
    filled = re.sub(r"<int:client_id>", str(cast.client.pk), route)
    filled = re.sub(r"<int:[a-z_]+>", "1", filled)
    filled = re.sub(r"<slug:slug>", cast.practice.slug, filled)
    filled = re.sub(r"<(?:str|slug):[a-z_]+>", "x", filled)
    filled = filled.replace("^", "").replace("$", "")
    return "/" + filled


def web_as(persona: str, cast: PracticeCast, signed_in: Any) -> WebClient:
    users = {
        "owner": cast.owner,
        "therapist": cast.therapist_user,
        "front desk": cast.front_desk,
        "bookkeeper": cast.bookkeeper,
        "client": cast.client_user,
    }
    return WebClient() if persona == "signed out" else signed_in(users[persona])


def refused(answer: Any, persona: str) -> bool:
    if persona == "signed out":
        return answer.status_code == 401 or (
            answer.status_code == 302 and "/accounts/sign-in/" in answer["Location"]
        )
    return answer.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_admits_only_the_roles_its_policy_names(
    maple: PracticeCast, signed_in: Any, persona: str
) -> None:
    web = web_as(persona, maple, signed_in)
    leaks, blocked = [], []
    for route, view in pages(get_resolver().url_patterns):
        policy = policy_of(view)
        assert policy is not None, route
        url = concrete(route, maple)
        if admits(policy, persona):
            answer = web.get(url)
            if refused(answer, persona) and b"does not give access" in answer.content:
                blocked.append(route)
        else:
            for method in ("get", "post"):
                answer = getattr(web, method)(url)
                if not refused(answer, persona):
                    leaks.append((method, route, answer.status_code))
    assert leaks == []
    assert blocked == []


def api_operations() -> Iterator[tuple[str, str, Policy]]:
    for _prefix, router in api._routers:
        for route, path_view in router.path_operations.items():
            for operation in path_view.operations:
                (auth,) = operation.auth_callbacks
                assert isinstance(auth, PolicyAuth), route
                for method in operation.methods:
                    yield method, route, auth.policy


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_operation_admits_only_the_roles_its_policy_names(
    maple: PracticeCast, persona: str
) -> None:
    users = {
        "owner": maple.owner,
        "therapist": maple.therapist_user,
        "front desk": maple.front_desk,
        "bookkeeper": maple.bookkeeper,
        "client": maple.client_user,
    }
    web = (
        WebClient()
        if persona == "signed out"
        else WebClient(HTTP_AUTHORIZATION=f"Bearer {issue_token(users[persona])}")
    )
    leaks = []
    for method, route, policy in api_operations():
        if admits(policy, persona):
            continue
        url = "/api/v1" + concrete(re.sub(r"\{(\w+)\}", r"<int:\1>", route), maple)[1:]
        answer = web.generic(method, url, "{}", content_type="application/json")
        if not refused(answer, persona):
            leaks.append((method, route, answer.status_code))
    assert leaks == []

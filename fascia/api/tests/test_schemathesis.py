"""Schemathesis over the published OpenAPI schema: generated requests to every operation, as a
staff member and anonymously, never get a server error, and every documented answer matches the
schema it is documented with. Bounded: a few examples per operation."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from fascia.accounts.tokens import issue_token
from fascia.api.v1 import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()

CHECKS = [not_a_server_error, response_schema_conformance]
BOUNDED = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_database_open() -> Any:
    """Django's own test client does this: a request's end must not close the connection the
    test's transaction lives in."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_headers(maple: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(maple.owner)}"}


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_the_api_as_staff_never_errs_and_answers_as_documented(
    case: Any, staff_headers: dict[str, str]
) -> None:
    case.call_and_validate(headers=staff_headers, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_the_api_anonymously_never_errs_and_answers_as_documented(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)

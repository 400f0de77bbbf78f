"""A kept PostgreSQL connection is health-checked before each request without a round trip, and
one the server has ended is still found out and replaced."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connections"),
    pytest.mark.django_db(transaction=True),  # a connection of its own, ended and replaced
]


def other_connection() -> psycopg.Connection[Any]:
    params = {**connection.get_connection_params()}
    params.pop("cursor_factory", None)
    return psycopg.connect(**params, autocommit=True)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def last_query_of(pid: int) -> str:
    with other_connection() as other:
        row = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return str(row[0]) if row else ""


def test_a_live_connection_is_checked_without_a_query() -> None:
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    pid = backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last query'")
    assert connection.is_usable()
    assert last_query_of(pid) == "SELECT 'the last query'"  # no SELECT 1 was sent


def test_a_connection_the_server_ended_is_found_out_and_replaced() -> None:
    pid = backend_pid()
    with other_connection() as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    deadline = time.monotonic() + 10
    while connection.is_usable():  # the server's goodbye reaches the socket
        assert time.monotonic() < deadline, "the ended connection still looked usable"
        time.sleep(0.02)

    connection.health_check_done = False  # type: ignore[attr-defined]  # as a request starts
    connection.close_if_health_check_failed()
    assert backend_pid() != pid  # a new connection, and the request's query ran on it

"""Shared fixtures for the project-wide tests."""

from fascia.scheduling.tests.conftest import mobile_week, open_week, week  # noqa: F401 - shared fixtures

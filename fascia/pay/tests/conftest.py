from fascia.scheduling.tests.conftest import week  # noqa: F401 - shared fixtures

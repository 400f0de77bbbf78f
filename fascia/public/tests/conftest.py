from fascia.scheduling.tests.conftest import open_week, week  # noqa: F401 - shared fixtures

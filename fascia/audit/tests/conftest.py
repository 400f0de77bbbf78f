from fascia.records.tests.conftest import chart  # noqa: F401 - shared fixtures
from fascia.scheduling.tests.conftest import week  # noqa: F401

"""The records tests' client with a booked visit (and the visit with all its records), for the
lockbox and backup tests."""

from fascia.records.tests.conftest import chart, week  # noqa: F401 - fixtures
from fascia.records.tests.test_whole_record import kept  # noqa: F401 - fixture

"""The desk by keys on PostgreSQL: the same walks from `n` to close as on SQLite (every screen
reads and writes through the same store), run here against the server."""

from __future__ import annotations

import pytest
from test_category_walks import test_a_repair_with_paid_services_walks_to_close_and_shows_the_total  # noqa: F401
from test_medical_flow import test_medical_emergency_with_ambulance_from_intake_to_close  # noqa: F401


@pytest.fixture
def engine_name() -> str:
    return "postgresql"

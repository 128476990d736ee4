from datetime import date

import pytest

from practices.models import Practice


@pytest.fixture(autouse=True)
def enrolled_long_ago(request):
    """The persona worlds' practices enrol on the day the suite runs; the schedules here are
    dated 2026, so their practices enrolled before that (rolled back with each test)."""
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    Practice.all_programs.filter(program=world.program).update(enrolled_on=date(2025, 1, 1))
    world.practice.enrolled_on = world.other_practice.enrolled_on = date(2025, 1, 1)

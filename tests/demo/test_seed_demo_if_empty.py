"""`seed_demo --if-empty` (what `make run` calls) seeds an empty database and leaves any other
alone. Apart from tests/demo/test_seed_demo.py, whose module-wide seeded demo would not leave the
database empty."""

from psp.demo.programs import LEGAL, NORTHERN
from psp.tenancy.models import Program
from tests.demo.conftest import seed
from tests.factories import ProgramFactory

DEMO_SLUGS = [NORTHERN, LEGAL]


def test_if_empty_leaves_a_database_with_programs_alone(db):
    ProgramFactory(slug="someone-elses", name="Someone else's program")
    output = seed("--if-empty")
    assert not Program.objects.filter(slug__in=DEMO_SLUGS).exists()
    assert "leaving the data as it is" in output


def test_if_empty_seeds_an_empty_database(db):
    assert not Program.objects.exists()
    seed("--if-empty")
    assert Program.objects.filter(slug__in=DEMO_SLUGS).count() == 2

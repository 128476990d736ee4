"""The demo shows a filled dose of support on first run: seeding writes its visits in bulk, and
the dose summary those writes keep current equals the dose counted from the visits."""

import pytest
from django.db.models import Sum

from coaching.dose.models import DoseActivityMonth, DoseMonth
from coaching.models import Visit, VisitActivity, VisitStatus
from practices import derived
from psp.demo.programs import LEGAL, NORTHERN
from psp.tenancy.models import Program


@pytest.mark.parametrize("slug", [NORTHERN, LEGAL])
def test_the_demo_dose_summary_is_filled_and_right(seeded, slug):
    program = Program.objects.get(slug=slug)
    derived.flush_pending()  # as the dose pages do: the seed's writes are still in the slot
    logged = Visit.all_programs.filter(program=program, status=VisitStatus.LOGGED)
    live = logged.aggregate(minutes=Sum("duration_minutes"), travel=Sum("travel_minutes"))
    activities = VisitActivity.all_programs.filter(visit__in=logged).aggregate(Sum("minutes"))
    summary = DoseMonth.all_programs.filter(program=program)

    assert logged.count() > 100
    assert summary.aggregate(Sum("visits"))["visits__sum"] == logged.count()
    assert summary.aggregate(minutes=Sum("minutes"), travel=Sum("travel")) == live
    assert (
        DoseActivityMonth.all_programs.filter(program=program).aggregate(Sum("minutes"))
        == activities
    )
    assert summary.dates("month", "month").count() >= 20  # two years of months

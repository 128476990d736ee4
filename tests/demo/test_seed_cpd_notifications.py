"""The demo's CPD notifications and KPIs: the first of the CPD people finds a deadline reminder,
the rejection and the request for evidence in their notification centre, each dated when it
happened; the platform pack's CPD KPIs have figures."""

from datetime import date

import pytest
from django.utils import timezone

from kpis.models import KpiValue
from psp.accounts.models import User
from psp.demo.programs import LEGAL, NORTHERN
from psp.notifications.models import Notification
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope

AMARA = "amara.okonkwo@northshore-chc.example.org"
AALIYAH = "aaliyah.grant@chenpatel-defence.example.org"
CPD_KINDS = {"cpd_deadline", "cpd_activity_rejected", "cpd_evidence_requested"}


def kinds_of(email: str, slug: str) -> dict[str, Notification]:
    with program_scope(Program.objects.get(slug=slug)):
        notices = Notification.objects.filter(recipient__email=email, kind__startswith="cpd_")
        return {notice.kind: notice for notice in notices}


def test_a_specialist_short_of_her_cycle_finds_all_three_cpd_notices(seeded, client):
    notices = kinds_of(AMARA, NORTHERN)

    assert set(notices) == CPD_KINDS
    deadline = notices["cpd_deadline"]
    assert deadline.title.startswith("CPD: ") and "in total needed by" in deadline.title
    assert "in 30 days" in deadline.body or "in 29 days" in deadline.body
    assert deadline.read_at is None and deadline.emailed_at is not None  # as delivered
    # The verifier's notices are dated when the verifier decided, before today.
    for kind in ("cpd_activity_rejected", "cpd_evidence_requested"):
        assert notices[kind].created_at.date() < timezone.now().date(), kind

    client.force_login(User.objects.get(email=AMARA))
    page = client.get(f"/p/{NORTHERN}/notifications/").content.decode()
    for notice in notices.values():
        assert notice.title in page


def test_the_law_demos_first_cpd_person_was_rejected_and_asked_for_evidence(seeded):
    notices = kinds_of(AALIYAH, LEGAL)

    assert {"cpd_activity_rejected", "cpd_evidence_requested"} <= set(notices)
    assert "correct them and send it again" in notices["cpd_activity_rejected"].body


@pytest.mark.parametrize("slug", [NORTHERN, LEGAL])
def test_the_cpd_kpis_have_figures(seeded, slug):
    program = Program.objects.get(slug=slug)
    this_month = timezone.localdate().replace(day=1)
    last_year = date(this_month.year - 1, this_month.month, 1)
    with program_scope(program):
        values = KpiValue.objects.filter(definition__code__startswith="cpd-", period__gte=last_year)
        by_code: dict[str, list] = {}
        for value in values.select_related("definition"):
            by_code.setdefault(value.definition.code, []).append(value.value)

    assert set(by_code) == {"cpd-on-pace", "cpd-credits-per-person", "cpd-verified-share"}
    assert all(0 <= v <= 100 for v in by_code["cpd-on-pace"] + by_code["cpd-verified-share"])
    assert any(0 < v < 100 for v in by_code["cpd-verified-share"] + by_code["cpd-on-pace"])
    assert max(by_code["cpd-credits-per-person"]) > 0

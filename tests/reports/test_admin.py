"""Platform operators see every program's reports in the admin, with why one failed."""

import pytest
from django.urls import reverse

from psp.accounts.models import User
from psp.reports.models import Report
from tests import factories as f
from tests.reports.helpers import ask


@pytest.mark.django_db
def test_operators_see_every_programs_reports_and_failures(
    client, world, other_world, django_capture_on_commit_callbacks, renderer
):
    ask(world, world.lead, django_capture_on_commit_callbacks)
    renderer.error = ValueError("No assessment to chart")
    failed = ask(other_world, other_world.coach, django_capture_on_commit_callbacks)
    operator = User.objects.create_superuser("operator@example.org", "an-operator-password-9")
    f.give_totp(operator)
    client.force_login(operator)

    listing = client.get(reverse("admin:reports_report_changelist"))
    one = client.get(reverse("admin:reports_report_change", args=[failed.pk]))

    assert listing.status_code == 200
    assert listing.context["cl"].result_count == Report.all_programs.count() == 2
    assert one.status_code == 200 and "No assessment to chart" in one.content.decode()

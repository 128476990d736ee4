"""`manage.py run_report_jobs`: what beat does for reports, once, for the embedded mode (cron):
delete the report files past their program's retention, and make the subscribed reports that
are due. Running it again makes nothing twice."""

from django.core.management.base import BaseCommand

from psp.reports.tasks import expire_all_reports, run_all_due_subscriptions


class Command(BaseCommand):
    help = "Expire old report files and make the subscribed reports that are due (once)."

    def handle(self, *args, **options):
        expired = expire_all_reports.apply().get()
        subscribed = run_all_due_subscriptions.apply().get()
        self.stdout.write(
            f"Checked report expiry in {expired} programs and subscriptions in {subscribed}."
        )

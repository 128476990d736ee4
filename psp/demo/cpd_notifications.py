"""Demo CPD notifications: a deadline someone is short of, and a verifier's two kinds of notice,
so one person (the first of the CPD demo's people, whose activity was rejected: Dr. Amara
Okonkwo in the primary care demo, Aaliyah Grant in the law demo) finds all three CPD kinds in
their notification centre.

`deadline` runs before the CPD activities are recorded: a person picked by hand for a scheme
counted from each person's own start date (the primary care demo's specialist) gets their first
cycle started so that it ends DEADLINE_IN_DAYS days from today. Their two years of activities
then fall in a cycle that is well short of its total with a month to go, and the last step of the
seed (psp/demo/notifications.py `record`) finds the 30-day reminder like any scan would.
Schemes with a fixed reporting year need nothing: their deadlines come round by the calendar
(the law demo's cycles end on 31 December).

`build` runs after them: the person whose activity was rejected was also asked for evidence of
their newest one (psp/demo/cpd_activities.py), and the notices those decisions sent are dated
when the decisions were made (the activities' demo back-dates their history).

Seeding again adds nothing: a person with a cycle keeps it.
"""

from datetime import timedelta

from cpd.activities.reminders import CPD_ACTIVITY_REJECTED, CPD_EVIDENCE_REQUESTED
from cpd.models import CpdCycle, CpdSchemeMember
from cpd.schemes.cycles import cycle_for
from cpd.schemes.dates import anniversary
from cpd.schemes.rules import Rules
from psp.demo.common import DemoProgram
from psp.history.models import ChangeRecord
from psp.notifications.models import Notification

DEADLINE_IN_DAYS = 30


def deadline(demo: DemoProgram) -> None:
    today = demo.now.astimezone(demo.program.zone).date()
    ends_after = today + timedelta(days=DEADLINE_IN_DAYS + 1)  # the day after the cycle's last
    picked = CpdSchemeMember.objects.filter(
        scheme__is_active=True, scheme__current_version__isnull=False
    ).select_related("user", "scheme__current_version")
    for member in picked.order_by("pk"):
        cycle = Rules.parse(member.scheme.current_version.rules).cycle
        if cycle.start != "personal" or CpdCycle.objects.filter(person=member.user).exists():
            continue
        year = ends_after.year - cycle.years
        starts_on = anniversary(ends_after.month, ends_after.day, year)
        cycle_for(program=demo.program, person=member.user, on=starts_on)
        demo.created["CPD cycles ending within a month"] += 1


def build(demo: DemoProgram) -> None:
    """The notices the verifiers' decisions sent, each dated as its decision's history line
    (its key ends with the line's id)."""
    notices = Notification.objects.filter(
        kind__in=[CPD_ACTIVITY_REJECTED.code, CPD_EVIDENCE_REQUESTED.code]
    )
    line_of = {notice.pk: int(notice.key.rsplit(":", 1)[1]) for notice in notices}
    when = dict(
        ChangeRecord.objects.filter(pk__in=set(line_of.values())).values_list("pk", "changed_at")
    )
    for notice in notices:
        changed_at = when.get(line_of[notice.pk])
        if changed_at is not None and notice.created_at != changed_at:
            Notification.objects.filter(pk=notice.pk).update(created_at=changed_at)

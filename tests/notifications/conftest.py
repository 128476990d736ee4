"""Kinds and rules of our own, for testing the mechanism without the apps' rules.

`reminders` swaps the registry's contents for these for one test (and puts the apps' back
after), so a scan here finds only what these rules find, and the apps' rules never run here:
- `practice_checkin` (emailed at once by default): each lead and staff member of each practice,
  once a day (the key holds the program's local date);
- `coach_note` (daily digest by default): each coach assignment, once a day;
- `report_ready`: sent on an event (`notify`), never by a scan;
- `invitee_nudge`: email only, to an address;
- `handover`: a kind that sends its own email (`Kind.send`).
The rules note the `today` and `now` they were asked about (`reminders.asked`).
"""

from dataclasses import dataclass, field

import pytest
from django.core.mail import EmailMessage

from practices.models import CoachAssignment, PracticeMembership
from psp.notifications import registry as registry_module
from psp.notifications.registry import Delivery, Due, Kind, Registry, Rule

CHECKIN = Kind(
    code="practice_checkin",
    label="A practice check-in",
    description="Each day, to the practice's lead and staff.",
    default=Delivery.IMMEDIATE,
)
COACH_NOTE = Kind(
    code="coach_note",
    label="A note about a practice you coach",
    description="Each day, to the practice's coach.",
    default=Delivery.DIGEST,
)
REPORT_READY = Kind(
    code="report_ready",
    label="Your report is ready",
    description="When a report you asked for is made.",
    default=Delivery.APP,
)
INVITEE_NUDGE = Kind(
    code="invitee_nudge",
    label="An invitation not accepted",
    description="To the invitee, once.",
    email_only=True,
)


@dataclass
class Reminders:
    asked: list = field(default_factory=list)  # (today, now) per rule call
    sent_by_hook: list = field(default_factory=list)  # notification ids the hook sent
    broken: bool = False  # the check-in rule raises
    barrier: object = None  # a threading.Barrier the check-in rule waits at (concurrent scans)

    def checkin(self, program, *, today, now):
        self.asked.append((today, now))
        if self.broken:
            raise RuntimeError("the check-in rule is broken")
        if self.barrier is not None:
            self.barrier.wait(timeout=20)
        members = PracticeMembership.objects.filter(is_active=True).select_related("practice")
        for member in members.order_by("pk"):
            yield Due(
                kind=CHECKIN.code,
                key=f"practice_checkin:{member.practice_id}:{member.user_id}:{today}",
                title=f"Check in with {member.practice.name}",
                body="Ask how the week went.",
                url=f"/p/{program.slug}/practices/{member.practice_id}/",
                recipient_id=member.user_id,
                practice_id=member.practice_id,
            )

    def coach_note(self, program, *, today, now):
        assignments = CoachAssignment.objects.select_related("practice").order_by("pk")
        return [
            Due(
                kind=COACH_NOTE.code,
                key=f"coach_note:{assignment.pk}:{today}",
                title=f"{assignment.practice.name} has news",
                url=f"/p/{program.slug}/practices/{assignment.practice_id}/",
                recipient_id=assignment.coach_id,
                practice_id=assignment.practice_id,
            )
            for assignment in assignments
        ]

    def handover_send(self, program, notification):
        self.sent_by_hook.append(notification.pk)
        EmailMessage(
            subject="Handover (sent by its kind)", body="Own words", to=[notification.email]
        ).send()


@pytest.fixture
def reminders(monkeypatch) -> Reminders:
    own = Reminders()
    fresh = Registry()
    fresh.add_rule(Rule(kind=CHECKIN, find=own.checkin))
    fresh.add_rule(Rule(kind=COACH_NOTE, find=own.coach_note))
    fresh.add_kind(REPORT_READY)
    fresh.add_kind(INVITEE_NUDGE)
    fresh.add_kind(
        Kind(
            code="handover",
            label="A handover",
            description="Sent by its own email.",
            email_only=True,
            send=own.handover_send,
        )
    )
    monkeypatch.setattr(registry_module.registry, "kinds", fresh.kinds)
    monkeypatch.setattr(registry_module.registry, "rules", fresh.rules)
    return own

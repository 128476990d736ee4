"""psp/demo/notifications.py: after the demo is seeded, every reminder rule finds something in
the demo, for the people who log in, and running the builder again adds nothing."""

from collections import defaultdict

from psp.demo.notifications import demo_notifications_seed
from psp.demo.programs import LEGAL, NORTHERN
from psp.notifications.registry import registry
from psp.tenancy.models import Program, ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope


def found_by_kind(program) -> dict[str, list]:
    today, now = program.local_today(), program.local_now()
    found = defaultdict(list)
    with program_scope(program):
        roles = dict(ProgramMembership.objects.values_list("user_id", "role"))
        for rule in registry.rules:
            for due in rule.find(program, today=today, now=now):
                found[rule.kind.code].append(roles.get(due.recipient_id, "invitee"))
    return found


def test_every_rule_finds_something_in_the_demo_and_a_second_run_adds_nothing(seeded):
    demo_notifications_seed()  # adds what seed_demo left missing, if anything
    again = {demo.program.slug: sum(demo.created.values()) for demo in demo_notifications_seed()}
    assert again == {NORTHERN: 0, LEGAL: 0}

    northern = found_by_kind(Program.objects.get(slug=NORTHERN))
    assert set(northern) >= {
        "visit_tomorrow",
        "action_due_soon",
        "action_overdue",
        "assessment_followup",
        "caseload_weekly",
        "invitation_unaccepted",
    }
    assert set(northern["visit_tomorrow"]) == {ProgramRole.COACH, ProgramRole.PRACTICE}
    assert ProgramRole.PRACTICE in northern["action_due_soon"]
    assert ProgramRole.PRACTICE in northern["action_overdue"]
    assert set(northern["assessment_followup"]) == {ProgramRole.COACH, ProgramRole.PRACTICE}
    assert set(northern["caseload_weekly"]) == {ProgramRole.MANAGER}
    assert set(northern["invitation_unaccepted"]) == {"invitee"}

    legal = found_by_kind(Program.objects.get(slug=LEGAL))
    for kind in ("visit_tomorrow", "action_due_soon", "caseload_weekly", "invitation_unaccepted"):
        assert legal[kind], kind

"""`seed_demo` builds the demo a newcomer explores: every stage, every role, the switcher."""

import re
import time
from pathlib import Path

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from assessments.models import (
    Answer,
    Assessment,
    ChangeIdea,
    ConsensusAnswer,
    DomainScore,
    Instrument,
    Response,
)
from coaching.models import PlanAction, PlanGoal, SupportPlan
from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.accounts.models import Invitation, User
from psp.demo.common import DEMO_PASSWORD, DEMO_TOTP_SECRET
from psp.demo.people import SWITCHER_EMAIL
from psp.demo.programs import LEGAL, NORTHERN
from psp.demo.seed import BUILDERS
from psp.notifications.models import Notification
from psp.outbox.models import OutboxMessage
from psp.reports.models import Report, ReportSubscription
from psp.tenancy.models import Program, ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope
from tests.demo.conftest import seed

DEMO_SLUGS = [NORTHERN, LEGAL]
TENANT_MODELS = [
    ProgramMembership,
    Practice,
    StageChange,
    CoachAssignment,
    PracticeMembership,
    Invitation,
    Instrument,
    ChangeIdea,
    Assessment,
    Response,
    Answer,
    ConsensusAnswer,
    DomainScore,
    SupportPlan,
    PlanGoal,
    PlanAction,
    Notification,
    Report,
    ReportSubscription,
    OutboxMessage,
]


def row_counts() -> dict[str, int]:
    counts = {model.__name__: model.all_programs.count() for model in TENANT_MODELS}
    counts["Program"] = Program.objects.count()
    counts["User"] = User.objects.count()
    counts["Authenticator"] = Authenticator.objects.count()
    return counts


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_every_enrolment_stage_is_used_in_each_program(seeded, slug):
    program = Program.objects.get(slug=slug)
    with program_scope(program):
        stages = set(Practice.objects.values_list("stage", flat=True))
        count = Practice.objects.count()
    assert stages == set(Stage.values)
    assert 10 <= count <= 14


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_every_role_is_held_by_someone_in_each_program(seeded, slug):
    with program_scope(Program.objects.get(slug=slug)):
        program_roles = set(ProgramMembership.objects.values_list("role", flat=True))
        practice_roles = set(PracticeMembership.objects.values_list("role", flat=True))
        coaches = ProgramMembership.objects.filter(role=ProgramRole.COACH).count()
    assert program_roles == set(ProgramRole.values)
    assert practice_roles == {"lead", "staff"}
    assert coaches >= 2


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_every_coach_has_a_caseload_and_every_practice_a_coach(seeded, slug):
    with program_scope(Program.objects.get(slug=slug)):
        coach_ids = set(
            ProgramMembership.objects.filter(role=ProgramRole.COACH).values_list(
                "user_id", flat=True
            )
        )
        assigned = set(CoachAssignment.objects.values_list("coach_id", flat=True))
        uncoached = Practice.objects.filter(coach_assignments__isnull=True)
        assert not uncoached.exists()
    assert assigned == coach_ids


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_each_practice_has_a_dated_stage_history_leading_to_its_stage(seeded, slug):
    with program_scope(Program.objects.get(slug=slug)):
        for practice in Practice.objects.prefetch_related("stage_changes"):
            moves = sorted(practice.stage_changes.all(), key=lambda move: move.moved_at)
            assert [move.to_stage for move in moves] == Stage.values[: practice.stage_position]
            assert moves[0].from_stage == ""
            assert moves[0].moved_at.date() == practice.enrolled_on
            assert moves[-1].moved_at == practice.stage_changed_at
            assert all(move.moved_by_id and move.note for move in moves)
            for before, after in zip(moves, moves[1:], strict=False):
                assert after.from_stage == before.to_stage
                assert after.moved_at > before.moved_at


def test_one_person_holds_roles_in_both_programs(seeded):
    sam = User.objects.get(email=SWITCHER_EMAIL)
    memberships = ProgramMembership.all_programs.filter(user=sam)
    assert {m.program.slug for m in memberships} == set(DEMO_SLUGS)


def test_demo_admins_have_totp_with_the_documented_secret(seeded):
    admins = ProgramMembership.all_programs.filter(role=ProgramRole.ADMIN)
    assert admins.count() == 2
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, _time_counter()))
    for membership in admins:
        authenticator = Authenticator.objects.get(
            user=membership.user, type=Authenticator.Type.TOTP
        )
        assert TOTP(authenticator).validate_code(code)


def test_every_demo_login_works_with_the_demo_password(seeded, client):
    emails = set(ProgramMembership.all_programs.values_list("user__email", flat=True))
    assert len(emails) > 20
    for email in emails:
        assert client.login(email=email, password=DEMO_PASSWORD), email


def test_each_program_has_pending_invitations(seeded):
    for slug in DEMO_SLUGS:
        with program_scope(Program.objects.get(slug=slug)):
            statuses = [invitation.status for invitation in Invitation.objects.all()]
        assert statuses.count("pending") >= 2


def test_the_command_prints_the_demo_logins(seeded):
    assert DEMO_PASSWORD in seeded
    assert DEMO_TOTP_SECRET in seeded
    assert "aisha.mensah@northern-psp.example.org" in seeded
    assert SWITCHER_EMAIL in seeded


def test_the_command_says_what_it_is_seeding_step_by_step(seeded):
    # Seeding takes about a minute: one line per step of each program, before the logins.
    steps = [line for line in seeded.splitlines() if line.startswith("Seeding ")]
    assert "Seeding Northern Primary Care PSP: practices, their people, coaches and stage" in seeded
    assert "Seeding Legal Practice Support Network: two years of coaching visits..." in seeded
    assert "Seeding Northern Primary Care PSP: something due for every reminder..." in seeded
    assert "Seeding Legal Practice Support Network: the notifications everyone finds" in seeded
    assert "Seeding Northern Primary Care PSP: two years of KPI values the practices" in seeded
    assert len(steps) == len(BUILDERS) * 2  # every step, in both programs
    assert seeded.index("Seeding ") < seeded.index("Demo logins")


def test_the_command_prints_nothing_at_verbosity_0(seeded):
    assert seed("--verbosity", "0") == ""
    assert seed("--if-empty", "--verbosity", "0") == ""


def test_the_readme_names_someone_of_each_role_with_a_real_demo_login(seeded):
    # A second `make run` only says "the logins are in README.md": they must be real ones.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme[readme.index("| program | role | name | email |") :].split("\n\n")[0]
    rows = [row for row in table.splitlines()[2:] if row.startswith("|")]
    emails = [re.search(r"`([^`]+@[^`]+)`", row).group(1) for row in rows]
    people = {user.email: user for user in User.objects.filter(email__in=emails)}
    assert set(emails) == set(people)
    roles = set(
        ProgramMembership.all_programs.filter(user__email__in=emails).values_list("role", flat=True)
    )
    assert roles == set(ProgramRole.values)
    practice_roles = set(
        PracticeMembership.all_programs.filter(user__email__in=emails).values_list(
            "role", flat=True
        )
    )
    assert practice_roles == {"lead", "staff"}


def test_seeding_twice_creates_nothing_twice(seeded):
    before = row_counts()
    output = seed()
    assert row_counts() == before
    assert "nothing created" in output


def test_seeding_again_fills_in_what_is_missing_and_keeps_what_was_changed(seeded):
    program = Program.objects.get(slug=NORTHERN)
    with program_scope(program):
        practice = Practice.objects.get(name="Riverside Family Health Team")
        practice.region = "Changed by a user"
        practice.save()
        Practice.objects.get(name="Red Lake Medical Associates").delete()
    seed()
    with program_scope(program):
        assert Practice.objects.get(pk=practice.pk).region == "Changed by a user"
        assert Practice.objects.filter(name="Red Lake Medical Associates").exists()


def _time_counter() -> int:
    return int(time.time()) // app_settings.TOTP_PERIOD

"""Practices with their region and sector, enrolment stage history, coach and lead."""

from datetime import timedelta

from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.accounts.models import PracticeRole
from psp.demo.scale.context import ScaleContext, at
from psp.demo.scale.spec import DAYS
from psp.demo.scale.writer import Table

STAGES = list(Stage.values)
# How far practices have come: few still at the start, most in pilot to monitoring.
STAGE_WEIGHTS = [3, 5, 8, 20, 22, 27, 15]
SPECIALTIES = ["", "family medicine", "paediatrics", "geriatrics", "community health"]


def practices_build(ctx: ScaleContext) -> None:
    """Every practice, then its stage moves, coach assignments and lead."""
    spec = ctx.spec
    table = Table(
        Practice,
        [
            "name",
            "sector",
            "specialty",
            "professionals_count",
            "staff_count",
            "region",
            "address",
            "contact_name",
            "contact_email",
            "stage",
            "stage_changed_at",
            "enrolled_on",
            "created_at",
        ],
    )
    rows, moves = [], []
    for i in range(spec.practices):
        rng = spec.rng("practice", i)
        enrolled = spec.start - timedelta(days=rng.randint(0, 120))
        reached = rng.choices(range(len(STAGES)), STAGE_WEIGHTS)[0]
        step = (DAYS - 30) // max(reached, 1)
        dates = [
            enrolled + timedelta(days=k * step + rng.randint(0, 10)) for k in range(reached + 1)
        ]
        moves.append(dates)
        ctx.enrolled.append(enrolled)
        rows.append(
            (
                spec.practice_name(i),
                spec.sector(i),
                rng.choice(SPECIALTIES),
                rng.randint(1, 12),
                rng.randint(0, 20),
                spec.region(i),
                f"{rng.randint(1, 999)} Main Street",
                spec.person_name("lead", i),
                spec.email(f"lead{i + 1:05}"),
                STAGES[reached],
                at(dates[-1], 10),
                enrolled,
                at(enrolled, 9),
            )
        )
    ctx.practice_ids = list(table.ids(len(rows)))
    ctx.counts["practices"] += table.write(ctx.practice_ids, rows)
    _stage_moves(ctx, moves)
    _coaches_and_leads(ctx)


def _stage_moves(ctx: ScaleContext, moves) -> None:
    table = Table(StageChange, ["practice_id", "from_stage", "to_stage", "moved_by_id", "moved_at"])
    rows = [
        (ctx.practice_ids[i], STAGES[k - 1] if k else "", STAGES[k], ctx.coach_id(i), at(day, 10))
        for i, dates in enumerate(moves)
        for k, day in enumerate(dates)
    ]
    ctx.counts["stage changes"] += table.write(table.ids(len(rows)), rows)


def _coaches_and_leads(ctx: ScaleContext) -> None:
    """Each practice's primary coach since enrolment; one in ten also has a second coach (the
    next coach along) since its second year."""
    spec = ctx.spec
    table = Table(
        CoachAssignment,
        ["practice_id", "coach_id", "is_primary", "assigned_at", "assigned_by_id"],
    )
    rows = []
    for i, practice_id in enumerate(ctx.practice_ids):
        enrolled = at(ctx.enrolled[i], 9)
        rows.append((practice_id, ctx.coach_id(i), True, enrolled, ctx.people.manager.pk))
        second = (spec.coach_of(i) + 1) % spec.coaches
        if spec.coaches > 1 and spec.rng("second-coach", i).random() < 0.1:
            rows.append(
                (
                    practice_id,
                    ctx.people.coaches[second].pk,
                    False,
                    enrolled + timedelta(days=365),
                    ctx.people.manager.pk,
                )
            )
    ctx.counts["coach assignments"] += table.write(table.ids(len(rows)), rows)
    leads = Table(PracticeMembership, ["practice_id", "user_id", "role", "title"])
    rows = [
        (practice_id, ctx.lead_id(i), PracticeRole.LEAD, "Practice lead")
        for i, practice_id in enumerate(ctx.practice_ids)
    ]
    ctx.counts["practice leads"] += leads.write(leads.ids(len(rows)), rows)

"""Writes to practices, their coaches, staff and enrolment stage: the business rules live here.

Every function takes the program explicitly (keyword-only) and refuses any object from another
program with a ValidationError, so a stray id turns into a clear message, never a 500 or a leak.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.accounts.models import ApiToken
from psp.tenancy.base import ensure_in_program
from psp.tenancy.models import ProgramMembership, ProgramRole

# The profile fields people edit; stage moves go through practice_stage_move only.
PROFILE_FIELDS = (
    "name",
    "sector",
    "specialty",
    "professionals_count",
    "staff_count",
    "region",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "enrolled_on",
)


def _ensure_name_free(*, program, name: str, practice: Practice | None = None) -> None:
    taken = Practice.objects.filter(program=program, name__iexact=name.strip())
    if practice is not None:
        taken = taken.exclude(pk=practice.pk)
    if taken.exists():
        raise ValidationError({"name": "A practice with this name already exists in this program."})


def _save_practice(practice: Practice) -> None:
    # A concurrent insert can still beat the check above; report it the same way.
    try:
        with transaction.atomic():
            practice.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"name": "A practice with this name already exists in this program."}
        ) from exc


@transaction.atomic
def practice_create(
    *,
    program,
    by,
    name: str,
    sector: str,
    stage: str = Stage.NEEDS_ASSESSMENT,
    note: str = "",
    **profile,
) -> Practice:
    """Enrol a practice in the program, at `stage`, and record that as its first stage change."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown practice fields: {', '.join(sorted(unknown))}")
    practice = Practice(program=program, name=(name or "").strip(), sector=sector, stage=stage)
    for field, value in profile.items():
        setattr(practice, field, value)
    practice.stage_changed_at = timezone.now()
    practice.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    _ensure_name_free(program=program, name=practice.name)
    _save_practice(practice)
    StageChange.objects.create(
        program=program,
        practice=practice,
        from_stage="",
        to_stage=practice.stage,
        moved_by=by,
        moved_at=practice.stage_changed_at,
        note=note or "Enrolled in the program.",
    )
    return practice


@transaction.atomic
def practice_update(*, program, practice: Practice, by, data: dict) -> Practice:
    """Change a practice's profile. `data` holds any of PROFILE_FIELDS; nothing else is accepted."""
    ensure_in_program(program, practice)
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            {field: "This field cannot be changed here." for field in sorted(unknown)}
        )
    # Work on a fresh copy so a refused change leaves the caller's object as it was.
    updated = Practice.objects.select_for_update().get(pk=practice.pk)
    for field, value in data.items():
        setattr(updated, field, value.strip() if field == "name" else value)
    updated.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    if "name" in data:
        _ensure_name_free(program=program, name=updated.name, practice=updated)
    _save_practice(updated)
    return updated


@transaction.atomic
def practice_stage_move(
    *, program, practice: Practice, to_stage: str, by, note: str = ""
) -> StageChange:
    """Move a practice to any other enrolment stage, recording who moved it, when and why."""
    ensure_in_program(program, practice)
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": "Choose one of the seven enrolment stages."})
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if to_stage == locked.stage:
        raise ValidationError(
            {"to_stage": f"The practice is already in “{locked.get_stage_display()}”."}
        )
    now = timezone.now()
    change = StageChange.objects.create(
        program=program,
        practice=locked,
        from_stage=locked.stage,
        to_stage=to_stage,
        moved_by=by,
        moved_at=now,
        note=(note or "").strip(),
    )
    locked.stage = to_stage
    locked.stage_changed_at = now
    locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    # Keep the caller's object in step with the row.
    practice.stage, practice.stage_changed_at = locked.stage, locked.stage_changed_at
    return change


def _ensure_coach(*, program, coach) -> None:
    is_coach = ProgramMembership.objects.filter(
        program=program, user=coach, role=ProgramRole.COACH, is_active=True
    ).exists()
    if not is_coach:
        raise ValidationError({"coach": f"{coach} is not a coach in this program."})


@transaction.atomic
def coach_assign(
    *, program, practice: Practice, coach, by, is_primary: bool | None = None
) -> CoachAssignment:
    """Put a practice in a coach's caseload. The first coach of a practice is its primary coach."""
    ensure_in_program(program, practice)
    _ensure_coach(program=program, coach=coach)
    current = CoachAssignment.objects.select_for_update().filter(practice=practice)
    if current.filter(coach=coach).exists():
        raise ValidationError({"coach": f"{coach} already coaches this practice."})
    if is_primary is None:
        is_primary = not current.filter(is_primary=True).exists()
    if is_primary:
        current.filter(is_primary=True).update(is_primary=False)
    return CoachAssignment.objects.create(
        program=program, practice=practice, coach=coach, is_primary=is_primary, assigned_by=by
    )


@transaction.atomic
def coach_unassign(*, program, assignment: CoachAssignment, by) -> None:
    """Take a practice out of a coach's caseload; another coach becomes primary if one is left."""
    ensure_in_program(program, assignment)
    practice_id, was_primary = assignment.practice_id, assignment.is_primary
    assignment.delete()
    if was_primary:
        successor = (
            CoachAssignment.objects.filter(practice_id=practice_id).order_by("assigned_at").first()
        )
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])


@transaction.atomic
def practice_member_remove(*, program, membership: PracticeMembership, by) -> None:
    """Take a person out of a practice.

    Practice people reach the program only through their practices, so when this was their
    last one their program membership is deactivated and their API tokens here are revoked:
    otherwise a removed person would keep a way into the program. Their account stays (they may
    work in other programs), and an admin can reactivate them from the people page.
    """
    ensure_in_program(program, membership)
    user_id = membership.user_id
    if by is not None and user_id == by.pk:
        # A lead removing themselves would lock themselves out of the practice they run.
        raise ValidationError("You cannot remove yourself from a practice; ask a program admin.")
    membership.delete()
    still_in_a_practice = PracticeMembership.objects.filter(user_id=user_id, is_active=True)
    if still_in_a_practice.exists():
        return
    ProgramMembership.objects.filter(
        user_id=user_id, role=ProgramRole.PRACTICE, is_active=True
    ).update(is_active=False)
    ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )

"""What the instrument writes share: the lock that refuses a frozen version, field allow-lists,
keys made from names, positions and moving a row up or down among its siblings."""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.text import slugify

from assessments.instruments.models import InstrumentVersion, Question, QuestionKind

CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
UP, DOWN = "up", "down"


def locked_draft(version: InstrumentVersion) -> InstrumentVersion:
    """The version, locked for the rest of the transaction; refuses a frozen one."""
    locked = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_frozen:
        raise ValidationError(
            f"Version {locked.number} is {locked.get_status_display().lower()} and cannot "
            "change. Start a new version to edit the instrument."
        )
    return locked


def unknown_fields(data: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {field: "This field cannot be changed here." for field in sorted(unknown)}
        )


def unique_slug(base: str, taken: set[str], fallback: str, limit: int = 70) -> str:
    slug = slugify(base)[:limit].strip("-") or fallback
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


def next_position(queryset) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def clean_fields(obj, exclude: list[str]) -> None:
    obj.full_clean(exclude=["program", *exclude], validate_unique=False, validate_constraints=False)


def move(obj, siblings, direction: str) -> None:
    """Swap `obj` with its neighbour among `siblings` (ordered by position); renumber them all
    first so equal or missing positions never make a move a no-op."""
    if direction not in (UP, DOWN):
        raise ValidationError({"direction": "Move up or down."})
    rows = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    target = index - 1 if direction == UP else index + 1
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    changed = []
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            changed.append(row)
    type(obj).objects.bulk_update(changed, ["position"])
    obj.position = next(row.position for row in rows if row.pk == obj.pk)


def labels_outside(question: Question) -> list[str]:
    labels = question.scale_labels if isinstance(question.scale_labels, dict) else {}
    outside = []
    for point in labels:
        try:
            inside = question.scale_min <= int(point) <= question.scale_max
        except (TypeError, ValueError):
            inside = False
        if not inside:
            outside.append(str(point))
    return outside

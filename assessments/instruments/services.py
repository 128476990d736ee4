"""Writes to instruments: their settings and the lifecycle of their versions (a new draft from a
published version, the checks before publishing, publishing, discarding a draft). Changes to a
draft's domains, questions and options are in builder.py, the change library in
change_ideas.py, loading a shipped pack in packs/services.py.

Versioning rule: only a draft version can change. Publishing freezes it and retires the version
published before it; editing a published instrument means `version_new_draft_from`, which copies
everything into the next number. Assessments point at the version they answered, so nothing here
ever changes what a completed assessment was asked.

Every function takes the program explicitly (keyword-only), refuses objects of another program
with a ValidationError, and runs in one transaction: bad input changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from assessments.instruments.editing import (
    CHOICE_KINDS,
    clean_fields,
    labels_outside,
    locked_draft,
    unique_slug,
    unknown_fields,
)
from assessments.instruments.models import (
    SCORABLE_KINDS,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    VersionStatus,
)
from psp.tenancy.base import ensure_in_program

# What people may change through the settings form.
INSTRUMENT_FIELDS = ("name", "sector", "description", "cadence_months", "weak_threshold")


def _percent(value, field: str, errors: dict) -> None:
    if value is not None and not 1 <= value <= 100:
        errors[field] = "Give a percentage from 1 to 100."


# Instruments ---------------------------------------------------------------------------------


def clean_instrument(instrument: Instrument) -> None:
    """Check an instrument's settings (name, percentages, cadence) before it is saved."""
    instrument.name = (instrument.name or "").strip()
    if not instrument.name:
        raise ValidationError({"name": "Give the instrument a name."})
    clean_fields(instrument, exclude=["key"])
    errors = {}
    _percent(instrument.weak_threshold, "weak_threshold", errors)
    if not 1 <= instrument.cadence_months <= 60:
        errors["cadence_months"] = "Give a number of months from 1 to 60."
    if errors:
        raise ValidationError(errors)


def insert_instrument(instrument: Instrument) -> None:
    """Save a new instrument; a key taken meanwhile is a ValidationError, not a 500."""
    try:
        with transaction.atomic():
            instrument.save()
    except IntegrityError as exc:  # a concurrent create took the key after our check
        raise ValidationError({"key": "Another instrument already uses this key."}) from exc


@transaction.atomic
def instrument_create(
    *,
    program,
    by,
    name: str,
    key: str = "",
    sector: str = "",
    description: str = "",
    cadence_months: int = 6,
    weak_threshold: int = 60,
) -> Instrument:
    """A new instrument with an empty draft version 1, ready to be built."""
    instrument = Instrument(
        program=program,
        name=name,
        sector=sector or "",
        description=description or "",
        cadence_months=cadence_months,
        weak_threshold=weak_threshold,
    )
    clean_instrument(instrument)
    taken = set(Instrument.objects.values_list("key", flat=True))
    if key:
        if key != slugify(key):
            raise ValidationError({"key": "Use lower-case letters, digits and hyphens only."})
        if key in taken:
            raise ValidationError({"key": "Another instrument already uses this key."})
        instrument.key = key
    else:
        instrument.key = unique_slug(instrument.name, taken, "instrument")
    insert_instrument(instrument)
    InstrumentVersion.objects.create(
        program=program, instrument=instrument, number=1, created_by=by
    )
    return instrument


@transaction.atomic
def instrument_update(*, program, instrument: Instrument, by, data: dict) -> Instrument:
    """Change an instrument's settings (INSTRUMENT_FIELDS). They are not versioned: a new
    cadence or weak threshold applies from now on, whichever version is published."""
    ensure_in_program(program, instrument)
    unknown_fields(data, INSTRUMENT_FIELDS)
    updated = Instrument.objects.select_for_update().get(pk=instrument.pk)
    for field, value in data.items():
        if value is None and field in ("sector", "description"):
            value = ""
        setattr(updated, field, value)
    clean_instrument(updated)
    updated.save()
    return updated


# Versions ------------------------------------------------------------------------------------


@transaction.atomic
def version_new_draft_from(
    *, program, version: InstrumentVersion, by, change_note: str = ""
) -> InstrumentVersion:
    """The way to edit a published instrument: a draft numbered after the latest version, with
    a copy of `version`'s domains, questions and options. Keys stay the same, so scores and the
    change library line up across versions. An instrument has at most one draft."""
    ensure_in_program(program, version)
    instrument = Instrument.objects.select_for_update().get(pk=version.instrument_id)
    versions = InstrumentVersion.objects.filter(instrument=instrument)
    draft = versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"Version {draft.number} is already a draft of this instrument: edit or discard it "
            "before starting another."
        )
    number = versions.aggregate(highest=Max("number"))["highest"] + 1
    new = InstrumentVersion.objects.create(
        program=program,
        instrument=instrument,
        number=number,
        change_note=(change_note or "").strip(),
        created_by=by,
    )
    _copy_structure(program=program, source=version, target=new)
    return new


def _copy_structure(*, program, source: InstrumentVersion, target: InstrumentVersion) -> None:
    domains = list(Domain.objects.filter(version=source).order_by("position", "pk"))
    questions = list(Question.objects.filter(version=source).order_by("position", "pk"))
    options = list(Option.objects.filter(question__version=source).order_by("position", "pk"))
    copies = Domain.objects.bulk_create(
        [_copy(d, program=program, version=target) for d in domains]
    )
    domain_map = {old.pk: new.pk for old, new in zip(domains, copies, strict=True)}
    question_copies = Question.objects.bulk_create(
        [
            _copy(q, program=program, version=target, domain_id=domain_map[q.domain_id])
            for q in questions
        ]
    )
    question_map = {old.pk: new.pk for old, new in zip(questions, question_copies, strict=True)}
    Option.objects.bulk_create(
        [_copy(o, program=program, question_id=question_map[o.question_id]) for o in options]
    )


def _copy(obj, **changes):
    """An unsaved copy of a row with `changes` applied."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    values.pop("program_id", None)
    for name, value in changes.items():
        values.pop(f"{name}_id", None)
        values[name] = value
    return type(obj)(**values)


def version_problems(*, version: InstrumentVersion) -> list[str]:
    """Why the version cannot be published yet (empty when it can), in words for the admin.

    Reads the structure fresh, unless the version was fetched with it already joined
    (selectors.structure_prefetch), as the builder page does."""
    if hasattr(version, "domain_list"):
        domains = [
            (d, [(q, len(q.option_list)) for q in d.question_list]) for d in version.domain_list
        ]
    else:
        fresh = (
            Domain.objects.filter(version=version)
            .order_by("position", "pk")
            .prefetch_related("questions__options")
        )
        domains = [(d, [(q, len(q.options.all())) for q in d.questions.all()]) for d in fresh]
    problems = []
    if not domains:
        return ["Add at least one domain, with questions in it."]
    scored = 0
    for domain, questions in domains:
        if not questions:
            problems.append(f"The domain “{domain.name}” has no questions.")
        for question, option_count in questions:
            problems += _question_problems(question, option_count)
            scored += question.is_scored
    if not scored:
        problems.append("No question is scored, so the assessment would have no score.")
    return problems


def _question_problems(question: Question, option_count: int) -> list[str]:
    name = f"“{question.text[:60]}”"
    problems = []
    if question.kind in CHOICE_KINDS and option_count < 2:
        problems.append(f"{name} needs at least two options to choose from.")
    if question.kind == QuestionKind.SCALE:
        if question.scale_max <= question.scale_min:
            problems.append(f"{name}: the top of the scale must be above its bottom.")
        elif labels_outside(question):
            problems.append(f"{name} has scale labels outside its range.")
    if question.scored and question.kind not in SCORABLE_KINDS:
        problems.append(
            f"{name} is marked scored, but a {question.get_kind_display().lower()} "
            "question cannot be scored."
        )
    if question.weight is None or question.weight <= 0:
        problems.append(f"{name} needs a weight above 0.")
    return problems


@transaction.atomic
def version_publish(
    *, program, version: InstrumentVersion, by, change_note: str | None = None
) -> InstrumentVersion:
    """Freeze a draft and make it the version new assessments use. The version published
    before it is retired; assessments already made keep pointing at the version they used."""
    ensure_in_program(program, version)
    Instrument.objects.select_for_update().get(pk=version.instrument_id)
    locked = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_frozen:
        raise ValidationError(
            f"Version {locked.number} is already {locked.get_status_display().lower()}."
        )
    problems = version_problems(version=locked)
    if problems:
        raise ValidationError(problems)
    InstrumentVersion.objects.filter(
        instrument_id=locked.instrument_id, status=VersionStatus.PUBLISHED
    ).update(status=VersionStatus.RETIRED)
    locked.status = VersionStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = by
    if change_note is not None:
        locked.change_note = change_note.strip()
    locked.save()
    return locked


@transaction.atomic
def version_discard(*, program, version: InstrumentVersion, by) -> None:
    """Throw away a draft that is not wanted after all. The only version of an instrument
    cannot be discarded (there would be nothing left to build on)."""
    ensure_in_program(program, version)
    locked = locked_draft(version)
    if (
        not InstrumentVersion.objects.filter(instrument_id=locked.instrument_id)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            "This draft is the instrument's only version, so there is nothing to go back to."
        )
    locked.delete()

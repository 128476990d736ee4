"""Writes to instruments: their settings, versions and structure (domains, questions, options),
instrument packs, and the change library.

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

from assessments.models import (
    SCORABLE_KINDS,
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    VersionStatus,
)
from assessments.packs import pack_by_key
from psp.tenancy.base import ensure_in_program

# What people may change through the settings, domain, question, option and idea forms.
INSTRUMENT_FIELDS = ("name", "sector", "description", "cadence_months", "weak_threshold")
DOMAIN_FIELDS = ("key", "name", "description")
QUESTION_FIELDS = (
    "domain",
    "key",
    "text",
    "help_text",
    "kind",
    "required",
    "scored",
    "weight",
    "allow_na",
    "scale_min",
    "scale_max",
    "scale_labels",
    "yes_is_positive",
    "number_min",
    "number_max",
    "unit",
)
OPTION_FIELDS = ("value", "label", "score")
CHANGE_IDEA_FIELDS = (
    "domain_key",
    "goal",
    "rationale",
    "suggested_measure",
    "suggested_actions",
    "kpi_key",
    "is_active",
)
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
MAX_SCALE_POINTS = 11
MAX_ACTIONS = 10
UP, DOWN = "up", "down"


# Shared checks ------------------------------------------------------------------------------


def _locked_draft(version: InstrumentVersion) -> InstrumentVersion:
    """The version, locked for the rest of the transaction; refuses a frozen one."""
    locked = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_frozen:
        raise ValidationError(
            f"Version {locked.number} is {locked.get_status_display().lower()} and cannot "
            "change. Start a new version to edit the instrument."
        )
    return locked


def _unknown_fields(data: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {field: "This field cannot be changed here." for field in sorted(unknown)}
        )


def _unique_slug(base: str, taken: set[str], fallback: str, limit: int = 70) -> str:
    slug = slugify(base)[:limit].strip("-") or fallback
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


def _next_position(queryset) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _clean_fields(obj, exclude: list[str]) -> None:
    obj.full_clean(exclude=["program", *exclude], validate_unique=False, validate_constraints=False)


def _move(obj, siblings, direction: str) -> None:
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


def _percent(value, field: str, errors: dict) -> None:
    if value is not None and not 1 <= value <= 100:
        errors[field] = "Give a percentage from 1 to 100."


# Instruments ---------------------------------------------------------------------------------


def _clean_instrument(instrument: Instrument) -> None:
    instrument.name = (instrument.name or "").strip()
    if not instrument.name:
        raise ValidationError({"name": "Give the instrument a name."})
    _clean_fields(instrument, exclude=["key"])
    errors = {}
    _percent(instrument.weak_threshold, "weak_threshold", errors)
    if not 1 <= instrument.cadence_months <= 60:
        errors["cadence_months"] = "Give a number of months from 1 to 60."
    if errors:
        raise ValidationError(errors)


def _save_instrument(instrument: Instrument) -> None:
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
    _clean_instrument(instrument)
    taken = set(Instrument.objects.values_list("key", flat=True))
    if key:
        if key != slugify(key):
            raise ValidationError({"key": "Use lower-case letters, digits and hyphens only."})
        if key in taken:
            raise ValidationError({"key": "Another instrument already uses this key."})
        instrument.key = key
    else:
        instrument.key = _unique_slug(instrument.name, taken, "instrument")
    _save_instrument(instrument)
    InstrumentVersion.objects.create(
        program=program, instrument=instrument, number=1, created_by=by
    )
    return instrument


@transaction.atomic
def instrument_update(*, program, instrument: Instrument, by, data: dict) -> Instrument:
    """Change an instrument's settings (INSTRUMENT_FIELDS). They are not versioned: a new
    cadence or weak threshold applies from now on, whichever version is published."""
    ensure_in_program(program, instrument)
    _unknown_fields(data, INSTRUMENT_FIELDS)
    updated = Instrument.objects.select_for_update().get(pk=instrument.pk)
    for field, value in data.items():
        if value is None and field in ("sector", "description"):
            value = ""
        setattr(updated, field, value)
    _clean_instrument(updated)
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
    (selectors_instruments.structure_prefetch), as the builder page does."""
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
        elif _labels_outside(question):
            problems.append(f"{name} has scale labels outside its range.")
    if question.scored and question.kind not in SCORABLE_KINDS:
        problems.append(
            f"{name} is marked scored, but a {question.get_kind_display().lower()} "
            "question cannot be scored."
        )
    if question.weight is None or question.weight <= 0:
        problems.append(f"{name} needs a weight above 0.")
    return problems


def _labels_outside(question: Question) -> list[str]:
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
    locked = _locked_draft(version)
    if (
        not InstrumentVersion.objects.filter(instrument_id=locked.instrument_id)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            "This draft is the instrument's only version, so there is nothing to go back to."
        )
    locked.delete()


# Domains -------------------------------------------------------------------------------------


def _clean_domain(domain: Domain) -> None:
    errors = {}
    domain.name = (domain.name or "").strip()
    if not domain.name:
        errors["name"] = "Give the domain a name."
    if errors:
        raise ValidationError(errors)
    taken = set(
        Domain.objects.filter(version_id=domain.version_id)
        .exclude(pk=domain.pk)
        .values_list("key", flat=True)
    )
    if not domain.key:
        domain.key = _unique_slug(domain.name, taken, "domain")
    elif domain.key in taken:
        raise ValidationError({"key": "Another domain of this version already uses this key."})
    _clean_fields(domain, exclude=["version"])


@transaction.atomic
def domain_create(
    *, program, version: InstrumentVersion, by, name: str, key: str = "", description: str = ""
) -> Domain:
    ensure_in_program(program, version)
    version = _locked_draft(version)
    domain = Domain(
        program=program,
        version=version,
        name=name,
        key=(key or "").strip(),
        description=(description or "").strip(),
        position=_next_position(Domain.objects.filter(version=version)),
    )
    _clean_domain(domain)
    domain.save()
    return domain


@transaction.atomic
def domain_update(*, program, domain: Domain, by, data: dict) -> Domain:
    ensure_in_program(program, domain)
    _unknown_fields(data, DOMAIN_FIELDS)
    _locked_draft(domain.version)
    updated = Domain.objects.get(pk=domain.pk)
    for field, value in data.items():
        setattr(updated, field, (value or "").strip())
    _clean_domain(updated)
    updated.save()
    return updated


@transaction.atomic
def domain_delete(*, program, domain: Domain, by) -> None:
    """Remove a domain and its questions from a draft."""
    ensure_in_program(program, domain)
    _locked_draft(domain.version)
    domain.delete()


@transaction.atomic
def domain_move(*, program, domain: Domain, by, direction: str) -> Domain:
    ensure_in_program(program, domain)
    version = _locked_draft(domain.version)
    _move(domain, Domain.objects.filter(version=version), direction)
    return domain


# Questions -----------------------------------------------------------------------------------


def _clean_question(question: Question) -> None:
    """Field rules first (lengths, numbers, choices), then the rules between fields."""
    question.text = (question.text or "").strip()
    question.key = (question.key or "").strip()
    if not question.text:
        raise ValidationError({"text": "Write the question."})
    taken = set(
        Question.objects.filter(version_id=question.version_id)
        .exclude(pk=question.pk)
        .values_list("key", flat=True)
    )
    key_given = bool(question.key)
    if not key_given:
        question.key = _unique_slug(question.text, taken, "question", limit=50)
    _clean_fields(question, exclude=["version", "domain"])
    errors = {}
    if key_given and question.key in taken:
        errors["key"] = "Another question of this version already uses this key."
    if question.scored and question.kind not in SCORABLE_KINDS:
        errors["scored"] = "Only scale, yes/no and choice questions can be scored."
    if question.weight <= 0:
        errors["weight"] = "The weight must be above 0."
    if question.kind == QuestionKind.SCALE:
        errors.update(_scale_errors(question))
    low, high = question.number_min, question.number_max
    if question.kind == QuestionKind.NUMBER and None not in (low, high) and high < low:
        errors["number_max"] = "The highest accepted number must not be below the lowest."
    if errors:
        raise ValidationError(errors)


def _scale_errors(question: Question) -> dict:
    low, high = question.scale_min, question.scale_max
    if low is None or high is None:
        return {"scale_max": "Give the bottom and the top of the scale."}
    if high <= low:
        return {"scale_max": "The top of the scale must be above its bottom."}
    if high - low + 1 > MAX_SCALE_POINTS:
        return {"scale_max": f"A scale has at most {MAX_SCALE_POINTS} points."}
    labels = question.scale_labels
    if not isinstance(labels, dict):
        return {"scale_labels": "Give the labels as point: label."}
    outside = _labels_outside(question)
    if outside:
        return {
            "scale_labels": f"Label only points from {low} to {high} (not {', '.join(outside)})."
        }
    question.scale_labels = {
        str(int(k)): str(v).strip() for k, v in labels.items() if str(v).strip()
    }
    return {}


def _question_domain(domain, version: InstrumentVersion) -> Domain:
    if domain is None or domain.program_id != version.program_id:
        raise ValidationError({"domain": "Choose a domain of this version."})
    if domain.version_id != version.pk:
        raise ValidationError({"domain": "Choose a domain of this version."})
    return domain


@transaction.atomic
def question_create(*, program, domain: Domain, by, text: str, kind: str, **fields) -> Question:
    """A question at the end of `domain`. Unset fields take the model's defaults (a required,
    scored question of weight 1; scales from 1 to 5); a text or number question is unscored
    unless `scored` is given."""
    ensure_in_program(program, domain)
    _unknown_fields(fields, QUESTION_FIELDS)
    version = _locked_draft(domain.version)
    fields.pop("domain", None)
    if kind not in SCORABLE_KINDS and "scored" not in fields:
        fields["scored"] = False
    question = Question(
        program=program,
        version=version,
        domain=domain,
        text=text,
        kind=kind,
        position=_next_position(Question.objects.filter(domain=domain)),
        **{k: v for k, v in fields.items() if v is not None or k.startswith("number_")},
    )
    _clean_question(question)
    question.save()
    return question


@transaction.atomic
def question_update(*, program, question: Question, by, data: dict) -> Question:
    """Change a question on a draft. Moving it to another domain puts it at that domain's end;
    changing it to a kind without options removes its options."""
    ensure_in_program(program, question)
    _unknown_fields(data, QUESTION_FIELDS)
    version = _locked_draft(question.version)
    updated = Question.objects.get(pk=question.pk)
    for field, value in data.items():
        if field == "domain":
            domain = _question_domain(value, version)
            if domain.pk != updated.domain_id:
                updated.domain = domain
                updated.position = _next_position(Question.objects.filter(domain=domain))
        else:
            setattr(updated, field, value)
    _clean_question(updated)
    updated.save()
    if updated.kind not in CHOICE_KINDS:
        Option.objects.filter(question=updated).delete()
    return updated


@transaction.atomic
def question_delete(*, program, question: Question, by) -> None:
    ensure_in_program(program, question)
    _locked_draft(question.version)
    question.delete()


@transaction.atomic
def question_move(*, program, question: Question, by, direction: str) -> Question:
    """Up or down within its domain."""
    ensure_in_program(program, question)
    _locked_draft(question.version)
    _move(question, Question.objects.filter(domain_id=question.domain_id), direction)
    return question


# Options -------------------------------------------------------------------------------------


def _clean_option(option: Option) -> None:
    option.label = (option.label or "").strip()
    option.value = (option.value or "").strip()
    if not option.label:
        raise ValidationError({"label": "Give the option a label."})
    if option.score is None:
        raise ValidationError({"score": "Give the points this option earns (0 for none)."})
    taken = set(
        Option.objects.filter(question_id=option.question_id)
        .exclude(pk=option.pk)
        .values_list("value", flat=True)
    )
    value_given = bool(option.value)
    if not value_given:
        option.value = _unique_slug(option.label, taken, "option", limit=60)
    _clean_fields(option, exclude=["question"])
    if value_given and option.value in taken:
        raise ValidationError({"value": "Another option of this question already uses this value."})


def _choice_question(question: Question) -> None:
    if question.kind not in CHOICE_KINDS:
        raise ValidationError("Only single- and multiple-choice questions have options.")


@transaction.atomic
def option_create(
    *, program, question: Question, by, label: str, value: str = "", score=0
) -> Option:
    ensure_in_program(program, question)
    _locked_draft(question.version)
    _choice_question(question)
    option = Option(
        program=program,
        question=question,
        label=label,
        value=value or "",
        score=score,
        position=_next_position(Option.objects.filter(question=question)),
    )
    _clean_option(option)
    option.save()
    return option


@transaction.atomic
def option_update(*, program, option: Option, by, data: dict) -> Option:
    ensure_in_program(program, option)
    _unknown_fields(data, OPTION_FIELDS)
    _locked_draft(option.question.version)
    updated = Option.objects.get(pk=option.pk)
    for field, value in data.items():
        setattr(updated, field, value)
    _clean_option(updated)
    updated.save()
    return updated


@transaction.atomic
def option_delete(*, program, option: Option, by) -> None:
    ensure_in_program(program, option)
    _locked_draft(option.question.version)
    option.delete()


@transaction.atomic
def option_move(*, program, option: Option, by, direction: str) -> Option:
    ensure_in_program(program, option)
    _locked_draft(option.question.version)
    _move(option, Option.objects.filter(question_id=option.question_id), direction)
    return option


# Packs ---------------------------------------------------------------------------------------


@transaction.atomic
def pack_load(*, program, pack_key: str, by) -> Instrument:
    """Load one of the shipped packs into the program: the instrument, its version 1 published,
    and its starter change library, all or nothing.

    A pack already loaded (an instrument with the pack's key exists) is refused rather than
    loaded again: two copies of the same instrument would split the program's assessments.
    To adapt a loaded pack, start a new version of its instrument."""
    try:
        pack = pack_by_key(pack_key)
    except LookupError as error:
        raise ValidationError({"pack": str(error)}) from error
    existing = Instrument.objects.filter(key=pack.key).first()
    if existing is not None:
        raise ValidationError(
            {
                "pack": f"The “{pack.name}” pack is already loaded in this program as "
                f"“{existing.name}”. To adapt it, start a new version of that instrument."
            }
        )
    sector = program.sector if program.sector in pack.sectors else pack.sector
    instrument = Instrument(
        program=program,
        key=pack.key,
        name=pack.name,
        sector=sector,
        description=pack.description,
        cadence_months=pack.cadence_months,
        weak_threshold=pack.weak_threshold,
        source_pack=pack.key,
    )
    _clean_instrument(instrument)
    _save_instrument(instrument)
    version = InstrumentVersion.objects.create(
        program=program,
        instrument=instrument,
        number=1,
        created_by=by,
        change_note=f"Loaded from the “{pack.name}” pack.",
    )
    _build_from_pack(program=program, version=version, pack=pack)
    version_publish(program=program, version=version, by=by)
    ChangeIdea.objects.bulk_create(
        [
            ChangeIdea(
                program=program,
                instrument=instrument,
                domain_key=domain["key"],
                position=position,
                goal=idea["goal"],
                rationale=idea["rationale"],
                suggested_measure=idea["suggested_measure"],
                suggested_actions=idea["suggested_actions"],
                kpi_key=idea["kpi_key"],
            )
            for domain in pack.domains
            for position, idea in enumerate(domain["change_ideas"])
        ]
    )
    return instrument


def _build_from_pack(*, program, version: InstrumentVersion, pack) -> None:
    domains = Domain.objects.bulk_create(
        [
            Domain(
                program=program,
                version=version,
                key=d["key"],
                name=d["name"],
                description=d["description"],
                position=i,
            )
            for i, d in enumerate(pack.domains)
        ]
    )
    plan = [
        (domain, position, q)
        for domain, data in zip(domains, pack.domains, strict=True)
        for position, q in enumerate(data["questions"])
    ]
    question_fields = set(QUESTION_FIELDS) - {"domain"}
    questions = [
        Question(
            program=program,
            version=version,
            domain=domain,
            position=position,
            **{k: v for k, v in q.items() if k in question_fields},
        )
        for domain, position, q in plan
    ]
    for question in questions:
        _clean_fields(question, exclude=["version", "domain"])
    questions = Question.objects.bulk_create(questions)
    Option.objects.bulk_create(
        [
            Option(program=program, question=question, position=i, **option)
            for question, (_, _, data) in zip(questions, plan, strict=True)
            for i, option in enumerate(data["options"])
        ]
    )


# The change library ---------------------------------------------------------------------------


def instrument_domain_keys(*, instrument: Instrument) -> set[str]:
    """The domain keys used by any version of the instrument: what change ideas may serve."""
    return set(Domain.objects.filter(version__instrument=instrument).values_list("key", flat=True))


def _clean_change_idea(idea: ChangeIdea) -> None:
    errors = {}
    idea.goal = (idea.goal or "").strip()
    idea.kpi_key = (idea.kpi_key or "").strip()
    if not idea.goal:
        errors["goal"] = "Write the goal this idea works towards."
    if idea.domain_key not in instrument_domain_keys(instrument=idea.instrument):
        errors["domain_key"] = "Choose one of the instrument's domains."
    actions = idea.suggested_actions
    if isinstance(actions, str):
        actions = actions.splitlines()
    if not isinstance(actions, list | tuple) or not all(isinstance(a, str) for a in actions):
        errors["suggested_actions"] = "Give the suggested actions as a list of texts."
    else:
        idea.suggested_actions = [a.strip() for a in actions if a.strip()]
        if len(idea.suggested_actions) > MAX_ACTIONS:
            errors["suggested_actions"] = f"Suggest at most {MAX_ACTIONS} actions."
        elif any(len(a) > 300 for a in idea.suggested_actions):
            errors["suggested_actions"] = "Keep each action under 300 characters."
    if idea.kpi_key and idea.kpi_key != slugify(idea.kpi_key):
        errors["kpi_key"] = "Use the KPI's key: lower-case letters, digits and hyphens."
    if errors:
        raise ValidationError(errors)
    _clean_fields(idea, exclude=["instrument"])


@transaction.atomic
def change_idea_create(
    *,
    program,
    instrument: Instrument,
    by,
    domain_key: str,
    goal: str,
    rationale: str = "",
    suggested_measure: str = "",
    suggested_actions=(),
    kpi_key: str = "",
    is_active: bool = True,
) -> ChangeIdea:
    """A new entry of the change library, at the end of its domain's list."""
    ensure_in_program(program, instrument)
    idea = ChangeIdea(
        program=program,
        instrument=instrument,
        domain_key=domain_key,
        goal=goal,
        rationale=(rationale or "").strip(),
        suggested_measure=(suggested_measure or "").strip(),
        suggested_actions=list(suggested_actions or []),
        kpi_key=kpi_key or "",
        is_active=is_active,
        position=_next_position(
            ChangeIdea.objects.filter(instrument=instrument, domain_key=domain_key)
        ),
    )
    _clean_change_idea(idea)
    idea.save()
    return idea


@transaction.atomic
def change_idea_update(*, program, idea: ChangeIdea, by, data: dict) -> ChangeIdea:
    ensure_in_program(program, idea)
    _unknown_fields(data, CHANGE_IDEA_FIELDS)
    updated = ChangeIdea.objects.select_for_update().select_related("instrument").get(pk=idea.pk)
    for field, value in data.items():
        if field in ("rationale", "suggested_measure", "kpi_key") and value is None:
            value = ""
        setattr(updated, field, value)
    _clean_change_idea(updated)
    updated.save()
    return updated


def change_idea_set_active(*, program, idea: ChangeIdea, by, active: bool) -> ChangeIdea:
    """Retire an idea from plan drafting (or bring it back); plans already using it keep it."""
    return change_idea_update(program=program, idea=idea, by=by, data={"is_active": active})


@transaction.atomic
def change_idea_delete(*, program, idea: ChangeIdea, by) -> None:
    """Remove an idea for good. Plan goals drafted from it keep their own copy of the text."""
    ensure_in_program(program, idea)
    idea.delete()

"""Writes to a draft version's structure, the instrument builder: adding, changing, deleting
and reordering its domains, questions and options. Every function refuses a published or
retired version (start a new draft to change those), takes the program explicitly
(keyword-only), refuses objects of another program with a ValidationError, and runs in one
transaction: bad input changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.instruments.editing import (
    CHOICE_KINDS,
    clean_fields,
    labels_outside,
    locked_draft,
    move,
    next_position,
    unique_slug,
    unknown_fields,
)
from assessments.instruments.models import (
    SCORABLE_KINDS,
    Domain,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
)
from psp.tenancy.base import ensure_in_program

# What people may change through the domain, question and option forms.
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
MAX_SCALE_POINTS = 11


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
        domain.key = unique_slug(domain.name, taken, "domain")
    elif domain.key in taken:
        raise ValidationError({"key": "Another domain of this version already uses this key."})
    clean_fields(domain, exclude=["version"])


@transaction.atomic
def domain_create(
    *, program, version: InstrumentVersion, by, name: str, key: str = "", description: str = ""
) -> Domain:
    ensure_in_program(program, version)
    version = locked_draft(version)
    domain = Domain(
        program=program,
        version=version,
        name=name,
        key=(key or "").strip(),
        description=(description or "").strip(),
        position=next_position(Domain.objects.filter(version=version)),
    )
    _clean_domain(domain)
    domain.save()
    return domain


@transaction.atomic
def domain_update(*, program, domain: Domain, by, data: dict) -> Domain:
    ensure_in_program(program, domain)
    unknown_fields(data, DOMAIN_FIELDS)
    locked_draft(domain.version)
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
    locked_draft(domain.version)
    domain.delete()


@transaction.atomic
def domain_move(*, program, domain: Domain, by, direction: str) -> Domain:
    ensure_in_program(program, domain)
    version = locked_draft(domain.version)
    move(domain, Domain.objects.filter(version=version), direction)
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
        question.key = unique_slug(question.text, taken, "question", limit=50)
    clean_fields(question, exclude=["version", "domain"])
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
    outside = labels_outside(question)
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
    unknown_fields(fields, QUESTION_FIELDS)
    version = locked_draft(domain.version)
    fields.pop("domain", None)
    if kind not in SCORABLE_KINDS and "scored" not in fields:
        fields["scored"] = False
    question = Question(
        program=program,
        version=version,
        domain=domain,
        text=text,
        kind=kind,
        position=next_position(Question.objects.filter(domain=domain)),
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
    unknown_fields(data, QUESTION_FIELDS)
    version = locked_draft(question.version)
    updated = Question.objects.get(pk=question.pk)
    for field, value in data.items():
        if field == "domain":
            domain = _question_domain(value, version)
            if domain.pk != updated.domain_id:
                updated.domain = domain
                updated.position = next_position(Question.objects.filter(domain=domain))
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
    locked_draft(question.version)
    question.delete()


@transaction.atomic
def question_move(*, program, question: Question, by, direction: str) -> Question:
    """Up or down within its domain."""
    ensure_in_program(program, question)
    locked_draft(question.version)
    move(question, Question.objects.filter(domain_id=question.domain_id), direction)
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
        option.value = unique_slug(option.label, taken, "option", limit=60)
    clean_fields(option, exclude=["question"])
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
    locked_draft(question.version)
    _choice_question(question)
    option = Option(
        program=program,
        question=question,
        label=label,
        value=value or "",
        score=score,
        position=next_position(Option.objects.filter(question=question)),
    )
    _clean_option(option)
    option.save()
    return option


@transaction.atomic
def option_update(*, program, option: Option, by, data: dict) -> Option:
    ensure_in_program(program, option)
    unknown_fields(data, OPTION_FIELDS)
    locked_draft(option.question.version)
    updated = Option.objects.get(pk=option.pk)
    for field, value in data.items():
        setattr(updated, field, value)
    _clean_option(updated)
    updated.save()
    return updated


@transaction.atomic
def option_delete(*, program, option: Option, by) -> None:
    ensure_in_program(program, option)
    locked_draft(option.question.version)
    option.delete()


@transaction.atomic
def option_move(*, program, option: Option, by, direction: str) -> Option:
    ensure_in_program(program, option)
    locked_draft(option.question.version)
    move(option, Option.objects.filter(question_id=option.question_id), direction)
    return option

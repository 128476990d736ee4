"""Loading one of the shipped packs (loader.py reads and checks the files) into a program: the
instrument, its version 1 published, and its starter change library, all or nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.instruments.builder import QUESTION_FIELDS
from assessments.instruments.editing import clean_fields
from assessments.instruments.models import (
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
)
from assessments.instruments.packs.loader import pack_by_key
from assessments.instruments.services import clean_instrument, insert_instrument, version_publish


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
    clean_instrument(instrument)
    insert_instrument(instrument)
    version = InstrumentVersion.objects.create(
        program=program,
        instrument=instrument,
        number=1,
        created_by=by,
        change_note=f"Loaded from the “{pack.name}” pack.",
    )
    _build_from_pack(program=program, version=version, pack=pack)
    version_publish(program=program, version=version, by=by)
    _add_change_library(program=program, instrument=instrument, pack=pack)
    return instrument


def _add_change_library(*, program, instrument: Instrument, pack) -> None:
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
        clean_fields(question, exclude=["version", "domain"])
    questions = Question.objects.bulk_create(questions)
    Option.objects.bulk_create(
        [
            Option(program=program, question=question, position=i, **option)
            for question, (_, _, data) in zip(questions, plan, strict=True)
            for i, option in enumerate(data["options"])
        ]
    )

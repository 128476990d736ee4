"""Small instruments built in tests, before (and independent of) the shipped instrument packs,
and rounds answered through the services.

`build_instrument` turns a compact spec into a published instrument version; `SPEC` is one with
every kind of question over two domains. `open_round`, `answer`, `submit_round` and
`scored_round` take a round through its life. Everything is created inside the program's scope.
"""

from decimal import Decimal

from django.utils import timezone

from assessments.instruments import builder
from assessments.instruments.services import instrument_create
from assessments.models import (
    Assessment,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    VersionStatus,
)
from assessments.rounds import services, submission
from psp.tenancy.scope import program_scope

K = QuestionKind

# Two domains, every kind of question. Keys are stable so tests can name questions.
SPEC = [
    (
        "team",
        "Team roles",
        [
            {"key": "roles-clear", "kind": K.SCALE, "text": "Everyone knows who does what."},
            {"key": "huddles", "kind": K.YES_NO, "text": "The team meets every week."},
            {
                "key": "lead-time",
                "kind": K.SINGLE,
                "text": "How much protected time does the change lead have?",
                "options": [
                    ("none", "None", 0),
                    ("some", "An hour a week", 1),
                    ("lots", "A day", 2),
                ],
            },
            {
                "key": "team-notes",
                "kind": K.TEXT,
                "text": "Anything else about your team?",
                "required": False,
            },
        ],
    ),
    (
        "tech",
        "EHR and technology use",
        [
            {
                "key": "ehr-use",
                "kind": K.MULTIPLE,
                "text": "Which EHR features do you use?",
                "options": [
                    ("recalls", "Recalls", 1),
                    ("registries", "Registries", 1),
                    ("portal", "Patient portal", 2),
                ],
            },
            {
                "key": "paper-charts",
                "kind": K.YES_NO,
                "text": "Some records are still on paper.",
                "yes_is_positive": False,
                "allow_na": True,
            },
            {
                "key": "ehr-years",
                "kind": K.NUMBER,
                "text": "How many years have you used your EHR?",
                "number_min": 0,
                "number_max": 40,
                "unit": "years",
            },
        ],
    ),
]

# A complete set of answers to SPEC, by question key.
ANSWERS = {
    "roles-clear": 4,
    "huddles": True,
    "lead-time": "some",
    "team-notes": "We are five.",
    "ehr-use": ["recalls", "portal"],
    "paper-charts": False,
    "ehr-years": "6",
}


def build_instrument(
    program,
    spec=SPEC,
    *,
    key: str = "readiness",
    name: str = "Practice readiness",
    status: str = VersionStatus.PUBLISHED,
    cadence_months: int = 6,
    weak_threshold: int = 60,
    number: int = 1,
    instrument: Instrument | None = None,
) -> InstrumentVersion:
    """A version of an instrument built from `spec`: [(domain key, name, [question dicts])].

    A question dict holds Question fields plus `options`: [(value, label, score)]."""
    with program_scope(program):
        if instrument is None:
            instrument = Instrument.objects.create(
                program=program,
                key=key,
                name=name,
                cadence_months=cadence_months,
                weak_threshold=weak_threshold,
            )
        version = InstrumentVersion.objects.create(
            program=program,
            instrument=instrument,
            number=number,
            status=status,
            published_at=timezone.now() if status == VersionStatus.PUBLISHED else None,
        )
        for d, (domain_key, domain_name, questions) in enumerate(spec):
            domain = Domain.objects.create(
                program=program, version=version, key=domain_key, name=domain_name, position=d
            )
            for q, fields in enumerate(questions):
                fields = dict(fields)
                options = fields.pop("options", [])
                if fields.get("kind") == K.SCALE:
                    fields.setdefault("scale_labels", {"1": "Not started", "5": "Fully in place"})
                question = Question.objects.create(
                    program=program, version=version, domain=domain, position=q, **fields
                )
                for o, (value, label, score) in enumerate(options):
                    Option.objects.create(
                        program=program,
                        question=question,
                        value=value,
                        label=label,
                        score=Decimal(score),
                        position=o,
                    )
    return version


def sized_spec(domains: int, questions: int) -> list:
    """An instrument of `domains` × `questions`, cycling through the scored kinds."""
    kinds = [
        {"kind": K.SCALE},
        {"kind": K.YES_NO, "allow_na": True},
        {"kind": K.SINGLE, "options": [("a", "A", 0), ("b", "B", 1), ("c", "C", 2)]},
        {"kind": K.MULTIPLE, "options": [("x", "X", 1), ("y", "Y", 1)]},
        {"kind": K.NUMBER, "required": False},
        {"kind": K.TEXT, "required": False},
    ]
    return [
        (
            f"d{d}",
            f"Domain {d}",
            [
                {
                    "key": f"d{d}-q{q}",
                    "text": f"Question {q} of domain {d}",
                    **kinds[q % len(kinds)],
                }
                for q in range(questions)
            ],
        )
        for d in range(domains)
    ]


def sample_value(question):
    """A valid answer to any question (for filling in big instruments)."""
    return {
        K.SCALE: question.scale_max,
        K.YES_NO: True,
        K.SINGLE: "b",
        K.MULTIPLE: ["x"],
        K.NUMBER: "3",
        K.TEXT: "Fine.",
    }[question.kind]


def questions_by_key(version) -> dict[str, Question]:
    with program_scope(version.program_id):
        return {
            q.key: q for q in Question.objects.filter(version=version).prefetch_related("options")
        }


def open_round(world, version, *, practice=None, by=None):
    with program_scope(world.program):
        return services.assessment_open(
            program=world.program,
            practice=practice or world.practice,
            version=version,
            by=by or world.lead,
        )


def answer(world, assessment, person, answers: dict, *, submit: bool = False):
    """Save `answers` ({question key: value, or "na"}) as `person`; optionally submit them."""
    questions = questions_by_key(assessment.version)
    items = [
        (questions[key], None, True) if value == "na" else (questions[key], value, False)
        for key, value in answers.items()
    ]
    with program_scope(world.program):
        services.answers_save(
            program=world.program, assessment=assessment, respondent=person, items=items
        )
        if submit:
            services.response_submit(
                program=world.program, assessment=assessment, respondent=person
            )


def fill_in(world, assessment, person, *, submit: bool = True):
    """Answer every question of the round with a valid value as `person`."""
    questions = questions_by_key(assessment.version)
    answer(
        world, assessment, person, {k: sample_value(q) for k, q in questions.items()}, submit=submit
    )


def submit_round(world, assessment, *, by=None):
    with program_scope(world.program):
        return submission.assessment_submit(
            program=world.program, assessment=assessment, by=by or world.lead
        )


def save_answer(world, assessment, person, key, value, is_na=False):
    """Save one answer (by question key) as `person`, through the autosave service."""
    question = questions_by_key(assessment.version)[key]
    with program_scope(world.program):
        return services.answer_save(
            program=world.program,
            assessment=assessment,
            respondent=person,
            question=question,
            value=value,
            is_na=is_na,
        )


def scored_round(world, version, answers, *, submitted_at=None):
    """A round answered by one person and submitted; `submitted_at` moves its submission back."""
    assessment = open_round(world, version)
    answer(world, assessment, world.staff, answers, submit=True)
    submit_round(world, assessment)
    if submitted_at is not None:
        with program_scope(world.program):
            Assessment.objects.filter(pk=assessment.pk).update(submitted_at=submitted_at)
            assessment.refresh_from_db()
    return assessment


# Instruments built through the builder's services ----------------------------------------------


def build_draft(program, by, *, domains=2, questions=2, name="Practice readiness"):
    """An instrument whose draft version 1 has `domains` domains of `questions` scale questions
    each, plus a single-choice question with two options in the first domain."""
    instrument = instrument_create(program=program, by=by, name=name)
    version = instrument.versions.get()
    for d in range(domains):
        domain = builder.domain_create(
            program=program, version=version, by=by, name=f"Domain {d + 1}"
        )
        for q in range(questions):
            builder.question_create(
                program=program,
                domain=domain,
                by=by,
                text=f"Question {d + 1}.{q + 1} is in place",
                kind=QuestionKind.SCALE,
                scale_labels={"1": "Not at all", "5": "Fully"},
                weight=Decimal(2) if q == 0 else Decimal(1),
                allow_na=q == 1,
            )
        if d == 0:
            choice = builder.question_create(
                program=program,
                domain=domain,
                by=by,
                text="How are reminders sent?",
                kind=QuestionKind.SINGLE,
            )
            builder.option_create(program=program, question=choice, by=by, label="Not", score=0)
            builder.option_create(program=program, question=choice, by=by, label="Text", score=2)
    return instrument, version


def structure(version):
    """Everything about a version's structure except row ids, for comparing copies."""
    domains = [
        (d.key, d.name, d.description, d.position)
        for d in Domain.objects.filter(version=version).order_by("position")
    ]
    questions = [
        (
            q.domain.key,
            q.key,
            q.text,
            q.kind,
            q.required,
            q.scored,
            q.weight,
            q.allow_na,
            q.scale_min,
            q.scale_max,
            q.scale_labels,
            q.position,
        )
        for q in Question.objects.filter(version=version).select_related("domain")
    ]
    options = [
        (o.question.key, o.value, o.label, o.score, o.position)
        for o in Option.objects.filter(question__version=version).select_related("question")
    ]
    return domains, questions, options

"""Small instruments built in tests, before (and independent of) the shipped instrument packs.

`build_instrument` turns a compact spec into a published instrument version; `SPEC` is one with
every kind of question over two domains. Everything is created inside the program's scope.
"""

from decimal import Decimal

from django.utils import timezone

from assessments import services
from assessments.models import (
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    VersionStatus,
)
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
        return services.assessment_submit(
            program=world.program, assessment=assessment, by=by or world.lead
        )

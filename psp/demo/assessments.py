"""Demo assessments: each program's sector pack, baselines for the practices past the needs-
assessment stage, follow-ups for those in monitoring or sustainability, consensus rounds where
several people answered and disagreed, and rounds still open for answers.

Everything goes through the assessment services, so every score is the scoring service's own;
only the dates are moved back afterwards (the services record everything as happening now), to
line up with each practice's stage history.

Each practice has a profile: two or three weak domains (one from what its sector's stage notes
name), two strong ones, the rest middling. The people of a practice mostly give the same answers
and sometimes differ; the coach then records the consensus. Answers come from a random generator
seeded with the practice's name, so a re-seed of an emptied database gives the same demo.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from assessments.instruments.packs.services import pack_load
from assessments.models import (
    Answer,
    Assessment,
    ConsensusAnswer,
    Instrument,
    InstrumentVersion,
    Question,
    QuestionKind,
    Response,
    VersionStatus,
)
from assessments.rounds import services, submission
from assessments.rounds.consensus import consensus_grid
from practices.models import Practice, PracticeMembership, Stage, StageChange
from psp.demo.common import DemoProgram
from psp.demo.practices import PRACTICES, PracticeSpec
from psp.demo.programs import LEGAL, NORTHERN
from psp.history.models import ChangeRecord, SubjectType

NA, PD, MON, SUS = (
    Stage.NEEDS_ASSESSMENT,
    Stage.PROGRAM_DESIGN,
    Stage.MONITORING,
    Stage.SUSTAINABILITY,
)

PACKS = {NORTHERN: "primary-care-readiness", LEGAL: "law-practice-review"}

# Domains a practice of the sector is most often weak in (what STAGE_NOTES in practices.py name):
# every practice's profile has one of these among its weak domains.
USUAL_WEAK = {
    NORTHERN: ("access-scheduling", "proactive-care", "quality-improvement"),
    LEGAL: ("matter-management", "intake-conflicts", "client-communication"),
}

# A round half answered by the practice's people, for the answer page to continue.
IN_PROGRESS = {
    NORTHERN: "Northshore Community Health Centre",
    LEGAL: "Chen Patel Criminal Defence",
}
# A baseline just opened and not yet answered (the lead of Valley Estates is invited to it).
JUST_OPENED = {
    NORTHERN: "Thunder Bay Walk-in and Urgent Care",
    LEGAL: "Valley Estates and Wills",
}

# How often each kind of respondent answers a question differently from the practice's view.
DEVIATION = {"coach": 0.03, "lead": 0.07, "staff": 0.09}

CONSENSUS_NOTES = (
    "Talked it through at the team meeting; the front desk's view carried it.",
    "Agreed after looking at last month's numbers together.",
    "The lead was more optimistic than the team; settled on what happens most weeks.",
    "Differences came from two sites working differently; scored the practice as a whole.",
    "Agreed at the facilitation visit.",
)

REFLECTIONS = {
    NORTHERN: (
        "Getting same-day appointments back for our own patients instead of sending them to "
        "the walk-in.",
        "A registry of our diabetes patients that someone actually keeps up to date.",
        "Less time on faxes and phone tag with specialists.",
        "Everyone knowing what the others do, so the nurses can take on more of the routine work.",
        "A monthly hour where we look at our numbers together.",
    ),
    LEGAL: (
        "Conflict checks that happen before the first meeting, every time.",
        "Knowing at a glance which files have gone quiet.",
        "Clients hearing from us before they have to call to ask.",
        "Trust reconciliations done on time without the last-minute scramble.",
        "Time set aside for training that does not get eaten by deadlines.",
    ),
}


@dataclass
class Profile:
    """How strong a practice is in each domain (0–1), and which domains are its weak ones."""

    levels: dict[str, float]
    weak: list[str]
    strong: list[str]

    def followed_up(self, rng: random.Random) -> "Profile":
        """Some months on: the weak domains improved, one other domain slipped."""
        levels = dict(self.levels)
        others = [key for key in levels if key not in self.weak]
        slipped = rng.choice(others)
        for key in levels:
            if key in self.weak:
                levels[key] += rng.uniform(0.3, 0.45)
            elif key == slipped:
                levels[key] -= rng.uniform(0.18, 0.28)
            else:
                levels[key] += rng.uniform(-0.05, 0.08)
        levels = {key: min(0.97, max(0.05, level)) for key, level in levels.items()}
        return Profile(levels=levels, weak=self.weak, strong=self.strong)


@dataclass
class Round:
    kind: str  # "baseline" or "follow_up", for the record only: the service derives it
    opened_at: datetime
    submitted_at: datetime | None  # None: still open
    profile: Profile
    # For an open round: how much of the instrument (by domains) each respondent has answered.
    progress: dict[str, float] = field(default_factory=dict)


def build(demo: DemoProgram) -> None:
    slug = demo.program.slug
    version = _instrument(demo)
    questions = list(
        Question.objects.filter(version=version)
        .select_related("domain")
        .prefetch_related("options")
        .order_by("domain__position", "position", "pk")
    )
    domain_keys = list(dict.fromkeys(question.domain.key for question in questions))
    for spec in PRACTICES[slug]:
        practice = demo.practices[spec.name]
        if Assessment.objects.filter(practice=practice).exists():
            continue
        rng = random.Random(f"{slug}:{spec.name}")
        rounds = _rounds(demo, spec, practice, _profile(rng, domain_keys, USUAL_WEAK[slug]), rng)
        respondents = _respondents(demo, spec, practice)
        for round_ in rounds:
            _round_run(demo, version, practice, questions, respondents, round_, rng)


# The instrument ------------------------------------------------------------------------------


def _instrument(demo: DemoProgram) -> InstrumentVersion:
    """The program's sector pack, loaded by the admin a week before the first enrolment."""
    key = PACKS[demo.program.slug]
    instrument = Instrument.objects.filter(key=key).first()
    if instrument is None:
        instrument = pack_load(program=demo.program, pack_key=key, by=demo.people["admin"])
        loaded_at = _first_enrolment(demo) - timedelta(days=7)
        Instrument.objects.filter(pk=instrument.pk).update(created_at=loaded_at)
        InstrumentVersion.objects.filter(instrument=instrument).update(
            created_at=loaded_at, published_at=loaded_at + timedelta(hours=1)
        )
        demo.created["instrument packs loaded"] += 1
    return (
        InstrumentVersion.objects.filter(instrument=instrument, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def _first_enrolment(demo: DemoProgram) -> datetime:
    first = StageChange.objects.filter(from_stage="").order_by("moved_at").first()
    return first.moved_at if first else demo.ago(365)


# Who answers, and when -------------------------------------------------------------------------


def _profile(rng: random.Random, domain_keys: list[str], usual_weak: tuple[str, ...]) -> Profile:
    first = rng.choice([key for key in usual_weak if key in domain_keys] or domain_keys)
    rest = [key for key in domain_keys if key != first]
    rng.shuffle(rest)
    extra = rng.choice((1, 2))
    weak = [first, *rest[:extra]]
    strong = rest[extra : extra + 2]
    levels = {}
    for key in domain_keys:
        if key in weak:
            levels[key] = rng.uniform(0.15, 0.38)
        elif key in strong:
            levels[key] = rng.uniform(0.85, 0.97)
        else:
            levels[key] = rng.uniform(0.68, 0.82)
    return Profile(levels=levels, weak=weak, strong=strong)


def _respondents(demo: DemoProgram, spec: PracticeSpec, practice: Practice) -> list[tuple]:
    """(person, kind) of everyone who answers: the practice's lead and staff, then its coach."""
    members = PracticeMembership.objects.filter(practice=practice, is_active=True).select_related(
        "user"
    )
    people = sorted(members, key=lambda m: (m.role != "lead", m.pk))
    return [(m.user, m.role) for m in people] + [(demo.people[spec.coaches[0]], "coach")]


def _rounds(
    demo: DemoProgram, spec: PracticeSpec, practice: Practice, profile: Profile, rng
) -> list[Round]:
    """The practice's rounds, dated by its stage history: the baseline during the needs
    assessment, a follow-up ten days into monitoring, and the open rounds of the demo."""
    slug = demo.program.slug
    moved = {
        change.to_stage: change.moved_at
        for change in StageChange.objects.filter(practice=practice).order_by("moved_at")
    }
    latest = demo.ago(0) - timedelta(hours=2)
    rounds = []
    if spec.name == JUST_OPENED[slug]:
        return [Round("baseline", demo.ago(2), None, profile)]
    if NA not in moved or PD not in moved:
        return []
    opened = moved[NA] + timedelta(days=2)
    rounds.append(Round("baseline", opened, min(moved[PD] - timedelta(days=1), latest), profile))
    current = profile
    if MON in moved:
        opened = moved[MON] + timedelta(days=10)
        submitted = opened + timedelta(days=9)
        if submitted < latest:
            current = profile.followed_up(rng)
            rounds.append(Round("follow_up", opened, submitted, current))
    if spec.name == IN_PROGRESS[slug]:
        progress = {"lead": 0.6, "staff": 0.3, "coach": 0.0}
        rounds.append(Round("follow_up", demo.ago(6), None, current.followed_up(rng), progress))
    return rounds


# One round -------------------------------------------------------------------------------------


def _round_run(demo, version, practice, questions, respondents, round_: Round, rng) -> None:
    program = demo.program
    coach = respondents[-1][0]
    assessment = services.assessment_open(
        program=program, practice=practice, version=version, by=coach
    )
    truth = {
        q.pk: _answer(q, round_.profile.levels[q.domain.key], rng, demo, practice)
        for q in questions
    }
    # A practice without people of its own answers with its coach at a visit: one respondent,
    # whose answers are the consensus.
    span = (round_.submitted_at or demo.ago(0)) - round_.opened_at
    dates = {}
    for number, (person, kind) in enumerate(respondents):
        share = round_.progress.get(kind, 1.0) if round_.submitted_at is None else 1.0
        if share == 0:
            continue
        answered = _answered_part(questions, share)
        items = []
        for question in answered:
            value, is_na = truth[question.pk]
            if len(respondents) > 1 and rng.random() < DEVIATION[kind]:
                value, is_na = _differ(question, value, is_na, rng, demo, practice)
            if value is None and not is_na:
                continue
            items.append((question, value, is_na))
        services.answers_save(
            program=program, assessment=assessment, respondent=person, items=items
        )
        started = round_.opened_at + span * (0.08 + 0.12 * number)
        finished = started + span * 0.25 if round_.submitted_at else None
        if round_.submitted_at is not None:
            services.response_submit(program=program, assessment=assessment, respondent=person)
        dates[person.pk] = (started, finished)
    if round_.submitted_at is not None:
        _consensus_and_submit(demo, assessment, coach, truth, rng, len(dates) > 1)
    _back_date(assessment, round_, dates)
    demo.created["assessments"] += 1


def _answered_part(questions: list[Question], share: float) -> list[Question]:
    """The first `share` of the instrument, in whole domains (people answer step by step)."""
    if share >= 1:
        return questions
    domains = list(dict.fromkeys(q.domain_id for q in questions))
    keep = set(domains[: max(1, round(len(domains) * share))])
    return [q for q in questions if q.domain_id in keep]


def _consensus_and_submit(demo, assessment, coach, truth, rng, several: bool) -> None:
    program = demo.program
    if several:
        grid = consensus_grid(assessment=assessment)
        for row in grid.all_rows():
            if not row.disagreement or row.question.kind == QuestionKind.TEXT:
                continue
            value, is_na = truth[row.question.pk]
            if value is None and not is_na:
                continue
            submission.consensus_record(
                program=program,
                assessment=assessment,
                question=row.question,
                value=value,
                is_na=is_na,
                by=coach,
                note=rng.choice(CONSENSUS_NOTES),
            )
            demo.created["consensus answers"] += 1
    submission.assessment_submit(program=program, assessment=assessment, by=coach)


def _back_date(assessment, round_: Round, dates: dict) -> None:
    """Move the round's dates to when it happened (the services stamped them with now)."""
    due_on = (round_.opened_at + timedelta(days=21)).date()
    Assessment.objects.filter(pk=assessment.pk).update(
        opened_at=round_.opened_at,
        due_on=due_on,
        **({"submitted_at": round_.submitted_at} if round_.submitted_at else {}),
    )
    history = ChangeRecord.objects.filter(
        subject_type=SubjectType.ASSESSMENT, subject_id=assessment.pk
    )
    history.filter(what="assessment.opened").update(changed_at=round_.opened_at)
    for person_id, (started, finished) in dates.items():
        last = finished or started + timedelta(hours=1)
        Response.objects.filter(assessment=assessment, respondent_id=person_id).update(
            started_at=started, submitted_at=finished, updated_at=last
        )
        Answer.objects.filter(
            response__assessment=assessment, response__respondent_id=person_id
        ).update(updated_at=last)
        if finished:
            history.filter(what="response.submitted", changed_by_id=person_id).update(
                changed_at=finished
            )
    if round_.submitted_at:
        ConsensusAnswer.objects.filter(assessment=assessment).update(
            decided_at=round_.submitted_at - timedelta(hours=2)
        )
        history.filter(what="consensus.recorded").update(
            changed_at=round_.submitted_at - timedelta(hours=2)
        )
        history.filter(what="assessment.submitted").update(changed_at=round_.submitted_at)


# Answers ---------------------------------------------------------------------------------------


def _answer(question, level: float, rng, demo, practice) -> tuple[object, bool]:
    """The practice's answer to a question, for a domain at `level` (0 weak … 1 strong)."""
    if question.allow_na and rng.random() < 0.08:
        return None, True
    kind = question.kind
    if kind == QuestionKind.SCALE:
        low, high = question.scale_min, question.scale_max
        return _clamp(round(low + level * (high - low) + rng.gauss(0, 0.45)), low, high), False
    if kind == QuestionKind.YES_NO:
        positive = rng.random() < level
        return positive == question.yes_is_positive, False
    options = sorted(question.options.all(), key=lambda option: (option.score, option.position))
    if kind == QuestionKind.SINGLE:
        index = _clamp(round(level * (len(options) - 1) + rng.gauss(0, 0.4)), 0, len(options) - 1)
        return options[index].value, False
    if kind == QuestionKind.MULTIPLE:
        chosen = [o.value for o in options if o.score > 0 and rng.random() < level]
        if not chosen:
            nothing = [o.value for o in options if o.score <= 0]
            chosen = nothing[:1] or [options[-1].value]
        return chosen, False
    if kind == QuestionKind.NUMBER:
        return _number(question, level, rng, practice), False
    if kind == QuestionKind.TEXT:
        return rng.choice(REFLECTIONS[demo.program.slug]), False
    return None, False


def _differ(question, value, is_na, rng, demo, practice) -> tuple[object, bool]:
    """Another person's different view of the same question."""
    if is_na:
        return value, is_na
    kind = question.kind
    if kind == QuestionKind.SCALE:
        step = rng.choice((-1, 1))
        moved = value + step
        if not question.scale_min <= moved <= question.scale_max:
            moved = value - step
        return moved, False
    if kind == QuestionKind.YES_NO:
        return not value, False
    options = sorted(question.options.all(), key=lambda option: (option.score, option.position))
    values = [o.value for o in options]
    if kind == QuestionKind.SINGLE:
        index = values.index(value)
        return values[index + 1 if index + 1 < len(values) else index - 1], False
    if kind == QuestionKind.MULTIPLE:
        positive = [o.value for o in options if o.score > 0]
        toggled = rng.choice(positive)
        chosen = [v for v in value if v in positive]
        chosen = [v for v in chosen if v != toggled] if toggled in chosen else [*chosen, toggled]
        return (chosen or [values[0]]), False
    if kind == QuestionKind.NUMBER:
        number = float(value) * rng.uniform(0.6, 1.4)
        return str(_clamp(round(number), *_bounds(question))), False
    if kind == QuestionKind.TEXT:
        return rng.choice(REFLECTIONS[demo.program.slug]), False
    return value, is_na


# Numbers by question key, from how strong the domain is; any other number question gets a value
# from the lower part of its range.
NUMBERS = {
    "third-next-available": lambda level, rng, p: round((1 - level) * 30 + rng.uniform(0, 3)),
    "panel-size": lambda level, rng, p: p.professionals_count * rng.randrange(900, 1400, 50),
    "open-matters": lambda level, rng, p: p.professionals_count * rng.randrange(40, 90, 5),
    "days-to-payment": lambda level, rng, p: round((1 - level) * 100 + rng.uniform(20, 30)),
}


def _number(question, level: float, rng, practice) -> str:
    low, high = _bounds(question)
    make = NUMBERS.get(question.key)
    value = make(level, rng, practice) if make else low + (high - low) * 0.1 * rng.random()
    return str(_clamp(round(value), low, high))


def _bounds(question) -> tuple[int, int]:
    low = int(question.number_min) if question.number_min is not None else 0
    high = int(question.number_max) if question.number_max is not None else 10_000
    return low, high


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))

"""A submitted baseline assessment per practice a few weeks after enrolment and, a year later,
a submitted follow-up: the lead's answers, the agreed (consensus) answers, and the scores the
scoring rule gives them (assessments/rounds/scoring.py), by domain and overall."""

from datetime import timedelta

from assessments.instruments.models import QuestionKind
from assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ConsensusAnswer,
    DomainScore,
    Response,
)
from assessments.rounds.scoring import score
from psp.demo.scale.context import ScaleContext, at
from psp.demo.scale.writer import Table


class AssessmentTables:
    def __init__(self):
        self.assessments = Table(
            Assessment,
            [
                "practice_id",
                "version_id",
                "kind",
                "status",
                "opened_at",
                "opened_by_id",
                "due_on",
                "submitted_at",
                "submitted_by_id",
                "overall_score",
                "achieved_points",
                "attainable_points",
            ],
        )
        self.responses = Table(
            Response, ["assessment_id", "respondent_id", "started_at", "submitted_at"]
        )
        self.answers = Table(Answer, ["response_id", "question_id", "value", "is_na"], copy=True)
        self.consensus = Table(
            ConsensusAnswer,
            ["assessment_id", "question_id", "value", "is_na", "decided_by_id", "decided_at"],
            copy=True,
        )
        self.scores = Table(
            DomainScore,
            [
                "assessment_id",
                "domain_id",
                "domain_key",
                "domain_name",
                "position",
                "achieved_points",
                "attainable_points",
                "percent",
            ],
            copy=True,
        )


def assessments_build(ctx: ScaleContext, tables: AssessmentTables, indexes: range) -> dict:
    """Returns, by practice index, (baseline assessment id, its three weakest domains with
    their percent), which the plans are drafted from."""
    rounds = []  # (practice index, kind, submitted on, answers by question id, scored)
    for i in indexes:
        rng = ctx.spec.rng("assessments", i)
        levels = {d.pk: rng.uniform(0.25, 0.65) for d in ctx.structure}
        day = ctx.enrolled[i] + timedelta(days=rng.randint(14, 40))
        while day <= ctx.spec.today:
            kind = (
                AssessmentKind.FOLLOW_UP
                if rounds and rounds[-1][0] == i
                else AssessmentKind.BASELINE
            )
            answers = _answers(ctx.structure, levels, rng)
            rounds.append((i, kind, day, answers, score(domains=ctx.structure, answers=answers)))
            levels = {k: min(1.0, v + rng.uniform(0.05, 0.25)) for k, v in levels.items()}
            day += timedelta(days=365 + rng.randint(-20, 20))
    return _write(ctx, tables, rounds)


def _write(ctx, tables, rounds) -> dict:
    ids = tables.assessments.ids(len(rounds))
    rows = []
    for i, kind, day, _answers, result in rounds:
        coach = ctx.coach_id(i)
        rows.append(
            (
                ctx.practice_ids[i],
                ctx.version.pk,
                kind,
                AssessmentStatus.SUBMITTED,
                at(day - timedelta(days=10), 9),
                coach,
                day,
                at(day, 16),
                coach,
                result.percent,
                result.achieved,
                result.attainable,
            )
        )
    ctx.counts["assessments"] += tables.assessments.write(ids, rows)
    response_ids = tables.responses.ids(len(rounds))
    rows = [
        (pk, ctx.lead_id(r[0]), at(r[2] - timedelta(days=8), 11), at(r[2] - timedelta(days=2), 15))
        for pk, r in zip(ids, rounds, strict=True)
    ]
    ctx.counts["assessment responses"] += tables.responses.write(response_ids, rows)
    answers, consensus, scores = [], [], []
    for pk, response_id, (i, _kind, day, given, result) in zip(
        ids, response_ids, rounds, strict=True
    ):
        for question_id, (value, is_na) in given.items():
            answers.append((response_id, question_id, value, is_na))
            consensus.append((pk, question_id, value, is_na, ctx.coach_id(i), at(day, 15)))
        for position, row in enumerate(result.domains):
            d = row.domain
            scores.append(
                (pk, d.pk, d.key, d.name, position, row.achieved, row.attainable, row.percent)
            )
    ctx.counts["answers"] += tables.answers.write(tables.answers.ids(len(answers)), answers)
    ctx.counts["consensus answers"] += tables.consensus.write(
        tables.consensus.ids(len(consensus)), consensus
    )
    ctx.counts["domain scores"] += tables.scores.write(tables.scores.ids(len(scores)), scores)
    baselines = {}
    for pk, (i, kind, _day, _given, result) in zip(ids, rounds, strict=True):
        if kind == AssessmentKind.BASELINE:
            ranked = sorted(
                result.domains, key=lambda row: row.percent if row.percent is not None else 100
            )
            baselines[i] = (pk, [(row.domain, row.percent) for row in ranked[:3]])
    return baselines


def _answers(structure, levels: dict, rng) -> dict:
    """{question id: (value, is_na)}: each domain answered around the practice's level in it."""
    given = {}
    for domain in structure:
        level = levels[domain.pk]
        for question in domain.questions.all():
            given[question.pk] = (
                _value(question, min(1.0, max(0.0, rng.gauss(level, 0.15))), rng),
                False,
            )
    return given


def _value(question, level: float, rng):
    kind = question.kind
    if kind == QuestionKind.SCALE:
        return question.scale_min + round(level * (question.scale_max - question.scale_min))
    if kind == QuestionKind.YES_NO:
        return (rng.random() < level) == question.yes_is_positive
    options = sorted(question.options.all(), key=lambda option: option.score)
    if kind == QuestionKind.SINGLE and options:
        return options[round(level * (len(options) - 1))].value
    if kind == QuestionKind.MULTIPLE:
        return [option.value for option in options[: round(level * len(options))]]
    if kind == QuestionKind.NUMBER:
        low = float(question.number_min or 0)
        high = float(question.number_max or 100)
        return f"{low + level * (high - low):.0f}"
    return ""

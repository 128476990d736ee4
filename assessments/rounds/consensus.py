"""The consensus grid: everyone's answers to a round side by side, whether the submitted ones
agree, the consensus recorded so far, and what still blocks submission. Read by the consensus
page, the API and the submission service (submission.py)."""

from dataclasses import dataclass, field

from assessments.instruments.models import Domain, Question
from assessments.instruments.selectors import version_structure
from assessments.rounds.answers import answer_display, answer_key
from assessments.rounds.models import Answer, ConsensusAnswer, Response
from assessments.rounds.selectors import respondents


@dataclass
class Cell:
    response: Response
    value: object = None
    is_na: bool = False
    answered: bool = False
    text: str = ""
    counted: bool = True  # False for a response not yet submitted


@dataclass
class QuestionRow:
    question: Question
    cells: list[Cell]
    consensus: ConsensusAnswer | None
    agreed: tuple | None  # (value, is_na) every counted respondent gave, if they agree
    disagreement: bool
    answered: bool  # someone counted answered it, or a consensus is recorded

    @property
    def effective(self) -> tuple | None:
        """What would be scored: the recorded consensus, else the agreed answer."""
        if self.consensus is not None:
            return self.consensus.value, self.consensus.is_na
        return self.agreed

    @property
    def effective_text(self) -> str:
        if self.effective is None:
            return ""
        return answer_display(self.question, *self.effective)

    @property
    def blocks(self) -> str:
        """Why this row stops submission ("" when it does not)."""
        if self.consensus is not None or not self.question.required:
            return ""
        if not self.answered:
            return "unanswered"
        if self.disagreement and self.question.is_scored:
            return "disagreement"
        return ""


@dataclass
class ConsensusGrid:
    domains: list[Domain]
    responses: list[Response]
    rows: dict[int, list[QuestionRow]] = field(default_factory=dict)  # domain id -> rows

    @property
    def counted(self) -> list[Response]:
        return [r for r in self.responses if r.submitted_at is not None]

    @property
    def in_progress(self) -> list[Response]:
        return [r for r in self.responses if r.submitted_at is None]

    def all_rows(self) -> list[QuestionRow]:
        return [row for domain in self.domains for row in self.rows[domain.pk]]

    def sections(self) -> list[tuple[Domain, list[QuestionRow]]]:
        return [(domain, self.rows[domain.pk]) for domain in self.domains]

    @property
    def disagreements(self) -> list[QuestionRow]:
        return [row for row in self.all_rows() if row.blocks == "disagreement"]

    @property
    def unanswered(self) -> list[QuestionRow]:
        return [row for row in self.all_rows() if row.blocks == "unanswered"]

    @property
    def can_submit(self) -> bool:
        return not self.disagreements and not self.unanswered


def consensus_grid(*, assessment, domains: list[Domain] | None = None) -> ConsensusGrid:
    """Questions × respondents: each person's answer, whether the submitted ones agree, and the
    consensus recorded so far. Only submitted responses count towards agreement; answers still
    in progress are shown but not counted. Six queries whatever the size."""
    if domains is None:
        domains = version_structure(version_id=assessment.version_id)
    responses = respondents(assessment=assessment)
    answers: dict[tuple[int, int], Answer] = {
        (answer.response_id, answer.question_id): answer
        for answer in Answer.objects.filter(response__assessment=assessment).only(
            "response_id", "question_id", "value", "is_na"
        )
    }
    consensus = {
        row.question_id: row
        for row in ConsensusAnswer.objects.filter(assessment=assessment).select_related(
            "decided_by"
        )
    }
    grid = ConsensusGrid(domains=domains, responses=responses)
    for domain in domains:
        grid.rows[domain.pk] = [
            _question_row(question, responses, answers, consensus.get(question.pk))
            for question in domain.questions.all()
        ]
    return grid


def _question_row(question, responses, answers, consensus) -> QuestionRow:
    cells, given = [], {}
    for response in responses:
        answer = answers.get((response.pk, question.pk))
        cell = Cell(response=response, counted=response.submitted_at is not None)
        if answer is not None:
            cell.value, cell.is_na, cell.answered = answer.value, answer.is_na, True
            cell.text = answer_display(question, answer.value, answer.is_na)
            if cell.counted:
                given.setdefault(
                    answer_key(answer.value, answer.is_na), (answer.value, answer.is_na)
                )
        cells.append(cell)
    agreed = next(iter(given.values())) if len(given) == 1 else None
    return QuestionRow(
        question=question,
        cells=cells,
        consensus=consensus,
        agreed=agreed,
        disagreement=len(given) > 1,
        answered=bool(given) or consensus is not None,
    )

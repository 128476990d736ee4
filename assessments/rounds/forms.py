"""Forms for the assessment pages. They read input into plain values; the services check it.

Questions are not Django form fields: an instrument's questions are data, each kind rendered by
templates/assessments/assess/_question_inputs.html from a `QuestionField`. Input names are
`<prefix>-<question id>` (`q-12`; the consensus page uses `c-12`) and `<name>-na` for the
"not applicable" checkbox; radio groups offer N/A as one more radio whose value is `answers.NA`.
"""

from dataclasses import dataclass, field

from django import forms

from assessments.instruments.models import QuestionKind
from assessments.rounds.answers import NA
from psp.forms_fields import BoundedDateField
from psp.widgets import QuickSelect

RADIO_KINDS = {QuestionKind.SCALE, QuestionKind.YES_NO, QuestionKind.SINGLE}
TRUTHY = {"1", "on", "true", "yes"}


# Reading answers from a POST ------------------------------------------------------------------


def input_name(question, prefix: str = "q") -> str:
    return f"{prefix}-{question.pk}"


def parse_answer(question, data, *, prefix: str = "q") -> tuple[object, bool]:
    """(raw value, is_na) for one question from submitted form data. An untouched question
    reads as (None, False): no answer."""
    name = input_name(question, prefix)
    if question.kind == QuestionKind.MULTIPLE:
        raw = [v for v in data.getlist(name) if v and v != NA] or None
    else:
        raw = data.get(name)
    is_na = str(data.get(f"{name}-na", "")).lower() in TRUTHY or raw == NA
    if is_na:
        return None, True
    return raw, False


# What a template needs to render one question ------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    checked: bool
    id: str
    number: str = ""  # a scale point's number, shown beside its label


@dataclass
class QuestionField:
    question: object
    name: str
    id: str
    kind: str
    choices: list[Choice] = field(default_factory=list)
    text: str = ""  # number and text questions: what is in the box
    na: bool = False
    na_allowed: bool = False
    na_as_radio: bool = False
    errors: list[str] = field(default_factory=list)
    answered: bool = False
    step: int | None = None

    @property
    def na_id(self) -> str:
        return f"{self.id}-na"

    @property
    def status_id(self) -> str:
        return f"{self.id}-status"

    @property
    def describedby(self) -> str:
        """The ids that describe every input: the save state and errors, and the help text."""
        if self.question.help_text:
            return f"{self.status_id} {self.id}-help"
        return self.status_id


def question_field(
    question, *, value=None, is_na=False, errors=(), prefix: str = "q", step=None
) -> QuestionField:
    """A question ready to render with `value` (stored or as posted) selected."""
    name = input_name(question, prefix)
    base = QuestionField(
        question=question,
        name=name,
        id=f"{prefix}{question.pk}",
        kind=question.kind,
        na=bool(is_na),
        na_allowed=question.allow_na,
        na_as_radio=question.allow_na and question.kind in RADIO_KINDS,
        errors=list(errors),
        answered=bool(is_na) or value not in (None, "", []),
        step=step,
    )
    chosen = _chosen(question, value)
    for i, (choice_value, label, number) in enumerate(_choices(question)):
        base.choices.append(
            Choice(
                value=choice_value,
                label=label,
                number=number,
                checked=not is_na and choice_value in chosen,
                id=f"{base.id}-{i}",
            )
        )
    if (
        question.kind in (QuestionKind.NUMBER, QuestionKind.TEXT)
        and value is not None
        and not is_na
    ):
        base.text = str(value)
    return base


def _choices(question) -> list[tuple[str, str, str]]:
    if question.kind == QuestionKind.SCALE:
        labels = question.scale_labels or {}
        return [
            (str(n), labels.get(str(n), ""), str(n))
            for n in range(question.scale_min, question.scale_max + 1)
        ]
    if question.kind == QuestionKind.YES_NO:
        return [("yes", "Yes", ""), ("no", "No", "")]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return [(option.value, option.label, "") for option in question.options.all()]
    return []


def _chosen(question, value) -> set[str]:
    if value is None:
        return set()
    if question.kind == QuestionKind.YES_NO:
        if isinstance(value, bool):
            return {"yes" if value else "no"}
        return {str(value).lower()}
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)}


# Ordinary forms --------------------------------------------------------------------------------


class AssessmentOpenForm(forms.Form):
    practice = forms.ModelChoiceField(
        label="Practice",
        queryset=None,
        empty_label="Choose a practice",
        error_messages={"invalid_choice": "Choose one of the practices you can open rounds for."},
        widget=QuickSelect,
    )
    version = forms.ModelChoiceField(
        label="Instrument",
        queryset=None,
        empty_label="Choose an instrument",
        error_messages={"invalid_choice": "Choose one of the published instruments."},
        help_text="Only published instrument versions can be used.",
    )
    due_on = BoundedDateField(
        label="Answers due by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. The people answering see it.",
    )

    def __init__(self, *args, practices, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda version: (
            f"{version.instrument.name} (version {version.number})"
        )

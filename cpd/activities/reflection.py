"""The reflection prompts asked of each kind of CPD activity.

A reflection is what turns attendance into learning, and professional bodies ask for it in
their own words; ours are short and plain. Most activities ask what was learned, what will change
in practice and how the person will know it worked; reading asks less (a paper rarely changes a
practice on its own); an audit asks what it found; mentoring asks from the side the person was
on. Answers are saved on the activity as {prompt key: text}, keys from here.
"""

from dataclasses import dataclass

from cpd.activities.models import ActivityType

MAX_ANSWER = 4000


@dataclass(frozen=True)
class Prompt:
    key: str
    question: str
    hint: str = ""


LEARNED = Prompt(
    "learned",
    "What did I learn?",
    "The one or two points that were new to you or that you will remember.",
)
CHANGE = Prompt(
    "change",
    "What will I change in my practice?",
    "A concrete change: what you will do differently, with whom, from when.",
)
MEASURE = Prompt(
    "measure",
    "How will I know it worked?",
    "What you will look at, e.g. a KPI, a recall list, fewer repeat calls.",
)

PROMPTS: dict[str, tuple[Prompt, ...]] = {
    ActivityType.WORKSHOP: (LEARNED, CHANGE, MEASURE),
    ActivityType.COURSE: (LEARNED, CHANGE, MEASURE),
    ActivityType.SEMINAR: (LEARNED, CHANGE, MEASURE),
    ActivityType.CONFERENCE: (
        Prompt("sessions", "Which sessions mattered most to me, and why?"),
        CHANGE,
        MEASURE,
    ),
    ActivityType.READING: (
        Prompt("learned", "What did I take from it?", "The finding or idea, in a sentence."),
        Prompt("apply", "Does it apply to my practice?", "Where it fits, or why it does not."),
    ),
    ActivityType.PRACTICE_AUDIT: (
        Prompt(
            "found",
            "What did the audit find?",
            "What was measured, against which standard, and the result.",
        ),
        Prompt("change", "What are we changing because of it?"),
        Prompt("reaudit", "When will we audit again, and what do we expect to see?"),
    ),
    ActivityType.MENTORING_GIVEN: (
        Prompt("focus", "What did the mentoring focus on?"),
        Prompt("learned", "What did I learn from mentoring someone else?"),
    ),
    ActivityType.MENTORING_RECEIVED: (
        Prompt("focus", "What did the mentoring focus on?"),
        CHANGE,
        MEASURE,
    ),
    ActivityType.CERTIFICATION: (
        Prompt("covered", "What did the certification cover?"),
        CHANGE,
    ),
}


def prompts_for(activity_type: str) -> tuple[Prompt, ...]:
    """The prompts of an activity type (none for a type we do not know)."""
    return PROMPTS.get(activity_type, ())


def all_prompt_keys() -> list[str]:
    """Every prompt key of every type, each once, in the order the types list them."""
    return list(dict.fromkeys(p.key for prompts in PROMPTS.values() for p in prompts))


def clean_reflection(activity_type: str, answers: dict | None) -> tuple[dict, dict]:
    """The answers kept for this type ({key: text}, blanks dropped, text trimmed) and the
    problems found ({key: message}): a key the type does not ask, or an answer too long."""
    keys = {prompt.key for prompt in prompts_for(activity_type)}
    kept, problems = {}, {}
    for key, text in (answers or {}).items():
        if key not in keys:
            asked = ", ".join(sorted(keys)) or "nothing"
            problems[key] = f"This type of activity does not ask that (it asks: {asked})."
            continue
        if not isinstance(text, str):
            problems[key] = "Write the answer as text."
            continue
        text = text.strip()
        if len(text) > MAX_ANSWER:
            problems[key] = f"At most {MAX_ANSWER} characters ({len(text)} written)."
        elif text:
            kept[key] = text
    return kept, problems


def answered(activity_type: str, reflection: dict) -> list[tuple[Prompt, str]]:
    """The type's prompts with the person's answers, in the type's order (answers to prompts
    the type no longer asks last, under their key, so nothing written is hidden)."""
    prompts = prompts_for(activity_type)
    rows = [(p, reflection[p.key]) for p in prompts if reflection.get(p.key)]
    asked = {p.key for p in prompts}
    rows += [
        (Prompt(key, key.replace("_", " ").capitalize()), text)
        for key, text in (reflection or {}).items()
        if key not in asked and text
    ]
    return rows

"""The participant feedback form. It checks input shape only; the service holds the rules."""

from django import forms

from coaching.feedback.services import COMMENT_MAX

USEFULNESS_LABELS = {
    1: "Not useful",
    2: "A little useful",
    3: "Somewhat useful",
    4: "Useful",
    5: "Very useful",
}


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label="How useful was the visit?",
        coerce=int,
        choices=list(USEFULNESS_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how useful the visit was, from 1 to 5."},
    )
    would_recommend = forms.TypedChoiceField(
        label="How likely are you to recommend this support to a colleague?",
        coerce=int,
        choices=[(value, str(value)) for value in range(11)],
        widget=forms.RadioSelect,
        help_text="0 is not at all likely, 10 is extremely likely.",
        error_messages={"required": "Choose a number from 0 to 10."},
    )
    comment = forms.CharField(
        label="Anything you would like to add?",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to the coach without your name, with only the month you wrote it, "
        "and only once at least three people have answered.",
    )

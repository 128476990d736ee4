"""The subscription part of the request page: how often (the parameters are the document's
own form's)."""

from django import forms

from psp.reports.models import Frequency


class SubscriptionForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        initial=Frequency.MONTHLY,
        widget=forms.RadioSelect,
        help_text="Each report covers the month (or quarter) just ended, made on the first day "
        "after it; you are notified with a link.",
    )

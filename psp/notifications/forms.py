"""The notification settings form: one radio group per kind a person may choose for."""

from django import forms

from psp.notifications.models import DELIVERY_CHOICES


class NotificationSettingsForm(forms.Form):
    """Fields named after the kinds' codes, each with the kind's label and description."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        for choice in choices:
            self.fields[choice.kind.code] = forms.ChoiceField(
                label=choice.kind.label,
                help_text=choice.kind.description,
                choices=DELIVERY_CHOICES,
                initial=choice.delivery.value,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose how this notification reaches you."},
            )

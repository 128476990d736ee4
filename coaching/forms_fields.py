"""Form fields the coaching pages share: a choice among objects the view already loaded, and
how a person is named in such a choice."""

from django import forms

from psp.widgets import QuickSelect


def person_label(user) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects the view already loaded; cleans to the object (or None)."""

    widget = QuickSelect  # the lists can be long: every practice of a program

    def __init__(self, *, objects=(), label_from=str, empty_label=None, **kwargs):
        super().__init__(**kwargs)
        self.set_objects(objects, label_from=label_from, empty_label=empty_label)

    def set_objects(self, objects, *, label_from=str, empty_label=None):
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [(key, label_from(obj)) for key, obj in self.objects.items()]
        self.choices = ([("", empty_label)] if empty_label else []) + choices

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None

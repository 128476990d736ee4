"""The program settings form (the admin's settings page). It checks the shape of the input;
the rules (an IANA time zone, an hour 0 to 23, a retention of 1 to 3650 days) are the model's,
applied by psp/tenancy/services.py."""

from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.utils.html import format_html, format_html_join

from psp.tenancy.models import Program
from psp.tenancy.services import SETTINGS_FIELDS


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


class TimeZoneInput(forms.TextInput):
    """A text input offering the IANA names as suggestions (a <datalist>): typing "Tor" offers
    America/Toronto, and any browser without suggestions still takes the name typed."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "list": f"{name}_zones"}
        options = format_html_join(
            "", '<option value="{}">', ((zone,) for zone in time_zone_names())
        )
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}_zones">{}</datalist>', field, name, options)


HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]

HELP = {
    "name": "Shown at the top of every page of the program, in its emails and on its reports.",
    "description": "A sentence or two about the program, shown where people choose a program.",
    "time_zone": (
        "Reminders say “tomorrow” and “due in 3 days” in this time zone, and the daily digest "
        "goes out at the hour below in it. Type a place name such as America/Toronto or "
        "Europe/London and choose from the suggestions."
    ),
    "digest_hour": "When daily digest emails go out, in the program's time zone.",
    "date_style": "How every page of the program writes dates, and the order people type them.",
    "report_retention_days": (
        "Generated PDF reports are deleted this many days after they are made (1 to 3650)."
    ),
    "peer_group_minimum": (
        "KPI comparisons with peers, and dashboard breakdowns, over fewer practices than this "
        "are not shown, so that no single practice's figures can be worked out (3 to 100)."
    ),
}


class ProgramSettingsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Program,
                fields=SETTINGS_FIELDS,
                help_texts=HELP,
                labels={"time_zone": "Time zone"},
                widgets={
                    "time_zone": TimeZoneInput(
                        attrs={"autocomplete": "off", "spellcheck": "false", "size": 32}
                    ),
                    "description": forms.Textarea(attrs={"rows": 3}),
                },
            )
        )
        self.fields["digest_hour"] = forms.TypedChoiceField(
            label="Daily digest hour", choices=HOURS, coerce=int, help_text=HELP["digest_hour"]
        )
        retention = self.fields["report_retention_days"]
        retention.widget.attrs.update({"min": 1, "max": 3650, "inputmode": "numeric"})
        peers = self.fields["peer_group_minimum"]
        peers.widget.attrs.update({"min": 3, "max": 100, "inputmode": "numeric"})

"""QuickSelect writes the same <select> as Django's Select, without a template per option."""

from django import forms
from django.test.html import parse_html

from psp.widgets import QuickSelect


class Choose(forms.Form):
    fast = forms.ChoiceField(
        label="Practice",
        choices=[("", "All practices"), ("1", "Alder & <Birch>"), ("2", "Cedar")],
        widget=QuickSelect,
        help_text="Pick one.",
    )
    slow = forms.ChoiceField(
        label="Practice",
        choices=[("", "All practices"), ("1", "Alder & <Birch>"), ("2", "Cedar")],
        help_text="Pick one.",
    )


def test_it_renders_what_djangos_select_renders():
    form = Choose({"fast": "1", "slow": "1"})
    fast = str(form["fast"]).replace("fast", "NAME")
    slow = str(form["slow"]).replace("slow", "NAME")
    assert parse_html(fast) == parse_html(slow)  # attribute order and whitespace aside


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    html = str(Choose({"fast": "2"})["fast"])
    assert '<option value="2" selected>Cedar</option>' in html
    assert "Alder &amp; &lt;Birch&gt;" in html
    assert 'id="id_fast"' in html and "required" in html
    assert 'aria-describedby="id_fast_helptext"' in html

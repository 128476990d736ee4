"""The evidence field in any form (an app's own, e.g. recording a CPD activity with its
certificate): several files, each checked before the form is valid, every refused one named."""

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict

from psp.evidence.forms import EvidenceFilesField
from tests.evidence.subjects import exe_bytes, pdf_bytes, png_bytes, upload


class ActivityForm(forms.Form):
    title = forms.CharField()
    evidence = EvidenceFilesField(required=False, max_files=2)


def _form(*files) -> ActivityForm:
    return ActivityForm({"title": "Asthma workshop"}, MultiValueDict({"evidence": list(files)}))


def test_the_files_come_out_as_uploads_in_the_order_chosen():
    form = _form(upload("certificate.pdf", pdf_bytes()), upload("slide.png", png_bytes()))
    assert form.is_valid()
    assert [f.name for f in form.cleaned_data["evidence"]] == ["certificate.pdf", "slide.png"]


def test_each_refused_file_is_named_beside_the_field():
    form = _form(upload("certificate.exe", exe_bytes()), upload("blank.pdf", b""))
    assert not form.is_valid()
    assert form.errors["evidence"] == [
        "certificate.exe is not a PDF or image: send a PDF, PNG, JPEG or WebP file.",
        "blank.pdf is empty.",
    ]


def test_more_files_than_the_subject_takes_are_refused():
    form = _form(*(upload(f"{n}.pdf", pdf_bytes(str(n))) for n in range(3)))
    assert form.errors["evidence"] == ["Choose at most 2 files."]


def test_an_optional_field_left_empty_gives_no_files_and_a_required_one_asks_for_one():
    empty = _form()
    assert empty.is_valid() and empty.cleaned_data["evidence"] == []
    with pytest.raises(forms.ValidationError) as refused:
        EvidenceFilesField().clean([])
    assert refused.value.messages == ["Choose a file to upload."]


def test_the_input_takes_several_files_and_lets_a_phone_offer_its_camera():
    html = str(_form()["evidence"])
    assert 'type="file"' in html and "multiple" in html
    accept = "application/pdf,image/png,image/jpeg,image/webp,.pdf,.png,.jpg,.jpeg,.webp"
    assert f'accept="{accept}"' in html
    # `capture` would send a phone straight to the camera, with no way to choose a PDF.
    assert "capture" not in html
    assert "at most 2 more files" in ActivityForm.base_fields["evidence"].help_text

"""The transcript import's form: one file, its size checked before it is read."""

from django import forms

from cpd.imports import services
from psp.csv_files import size_problem


class TranscriptImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One activity a row, under a first line naming the columns; at most 5 MB "
        "and 2,000 rows.",
        error_messages={
            "required": "Choose the CSV file to import.",
            "empty": "The file is empty.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size, services.MAX_BYTES)
        if problem:
            raise forms.ValidationError(problem)
        return upload

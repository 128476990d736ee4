"""The CSV import's form: one file, checked for size before it is read."""

from django import forms

from kpis.values.csv_import import MAX_BYTES


class ValuesImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns practice_id, kpi, period, value, numerator, denominator, note; at "
        "most 5 MB and 20,000 rows.",
        error_messages={
            "required": "Choose the CSV file to import.",
            "empty": "The file is empty.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            size = f"{upload.size / 1024 / 1024:.1f} MB"
            raise forms.ValidationError(
                f"The file is {size}; an import takes at most 5 MB: split it into smaller files."
            )
        return upload

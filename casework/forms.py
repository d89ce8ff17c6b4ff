"""Casework forms (GOV.UK Design System through crispy-forms-gds)."""

from pathlib import PurePath

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from casework.imports.reader import CSV_SUFFIXES, MAX_FILE_BYTES, XLSX_SUFFIXES, human_size

FILE_REQUIRED = "Select a CSV or Excel file"
FILE_EMPTY = "The selected file is empty"
FILE_TOO_BIG = f"The selected file must be smaller than {human_size(MAX_FILE_BYTES)}"
FILE_WRONG_TYPE = "The selected file must be a CSV or an Excel workbook (.xlsx)"


class CaseImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a case list",
        help_text="A CSV (UTF-8) or Excel workbook (.xlsx), up to 20 MB, with one row per event. "
        "Use pseudonymous child IDs only: columns such as Name or Address are refused.",
        error_messages={"required": FILE_REQUIRED, "empty": FILE_EMPTY, "invalid": FILE_REQUIRED},
    )
    dry_run = forms.BooleanField(
        label="Check the file only: save nothing (dry run)",
        help_text="See every problem and what would change, without changing any record.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page supplies the <form> (multipart, novalidate)
        self.helper.layout = Layout(
            Field("file"),
            Field.checkbox("dry_run"),
            Button("submit", "Import file"),
        )
        self.fields["file"].widget.attrs.update({"accept": ".csv,.xlsx"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG, code="too_big")
        if PurePath(upload.name).suffix.lower() not in CSV_SUFFIXES | XLSX_SUFFIXES:
            raise forms.ValidationError(FILE_WRONG_TYPE, code="wrong_type")
        return upload

"""Forms of the framework library: uploading a framework file."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.core.exceptions import ValidationError

# ---------------------------------------------------------------------------
# Uploading a framework file
# ---------------------------------------------------------------------------

FRAMEWORK_FILE_BYTES = 200 * 1024
FRAMEWORK_FILE_SUFFIXES = frozenset({".yaml", ".yml"})
FRAMEWORK_FILE_REQUIRED = "Select a framework file"
FRAMEWORK_FILE_EMPTY = "The selected file is empty"
FRAMEWORK_FILE_TOO_BIG = "The selected file must be smaller than 200 KB"
FRAMEWORK_FILE_WRONG_TYPE = "The selected file must be a YAML file (.yaml or .yml)"
FRAMEWORK_FILE_NOT_UTF8 = "The selected file must be saved as UTF-8 text"


class FrameworkUploadForm(forms.Form):
    """One framework file; the framework validator checks its content after this form's checks."""

    file = forms.FileField(
        label="Upload a framework file",
        help_text="One YAML file (.yaml or .yml, UTF-8, up to 200 KB) in the layout of the files in "
        "inspections/frameworks/. Nothing is saved until you have seen what will change.",
        error_messages={
            "required": FRAMEWORK_FILE_REQUIRED,
            "empty": FRAMEWORK_FILE_EMPTY,
            "invalid": FRAMEWORK_FILE_REQUIRED,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page supplies the <form> (multipart, novalidate)
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field("file"), Button("submit", "Check the file"))
        self.fields["file"].widget.attrs.update({"accept": ".yaml,.yml"})

    def clean_file(self):
        from pathlib import PurePath

        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in FRAMEWORK_FILE_SUFFIXES:
            raise ValidationError(FRAMEWORK_FILE_WRONG_TYPE, code="wrong_type")
        if upload.size > FRAMEWORK_FILE_BYTES:
            raise ValidationError(FRAMEWORK_FILE_TOO_BIG, code="too_big")
        content = upload.read(FRAMEWORK_FILE_BYTES + 1)
        if len(content) > FRAMEWORK_FILE_BYTES:
            raise ValidationError(FRAMEWORK_FILE_TOO_BIG, code="too_big")
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(FRAMEWORK_FILE_NOT_UTF8, code="not_utf8") from None
        self.content = content
        return upload

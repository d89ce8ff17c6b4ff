"""The GOV.UK error border on every text-like input in error, whatever the form.

crispy-forms-gds 2.0.1 adds `govuk-input--error` only to `TextInput`, `Select` and `Textarea`
widgets (it compares the widget's class name in `templatetags/crispy_forms_gds.py`), so an e-mail,
password, number or link input in error kept its grey border beside the red message. Forms here have
no one base class (GovForm, Django's auth forms, plain forms with a FormHelper), but every bound field
comes from the form renderer's `bound_field_class` (Django 5.2), and `FORM_RENDERER` in settings
names this renderer, so the border is added in this one place.
"""

from __future__ import annotations

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input

INPUT_ERROR_CLASS = "govuk-input--error"
# <input> types that are not a text box: radios and checkboxes have their own error styles.
NOT_TEXT_BOXES = frozenset({"checkbox", "radio", "file", "hidden"})


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        # A MultiWidget (a day/month/year date) is not an Input: crispy-forms-gds marks only the
        # parts in error, which this leaves alone.
        if self.errors and isinstance(widget, Input) and widget.input_type not in NOT_TEXT_BOXES:
            classes = (attrs.get("class") or widget.attrs.get("class") or "").split()
            if INPUT_ERROR_CLASS not in classes:
                attrs["class"] = " ".join([*classes, INPUT_ERROR_CLASS])
        return attrs


class GovukFormRenderer(DjangoTemplates):
    """Django's default renderer, with the bound field that adds the error border."""

    bound_field_class = GovukBoundField

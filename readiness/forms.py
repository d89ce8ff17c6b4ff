"""Forms of the top layer."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

SIGN_IN_INVALID = "Enter a correct username and password. Both are case-sensitive."
SIGN_IN_INACTIVE = "This account has been switched off. Ask an administrator to switch it back on."


class SignInForm(AuthenticationForm):
    error_messages = {"invalid_login": SIGN_IN_INVALID, "inactive": SIGN_IN_INACTIVE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].error_messages = {"required": "Enter your username"}
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].label = "Password"
        self.fields["password"].error_messages = {"required": "Enter your password"}
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", field_width=Fixed.TWENTY),
            Field.text("password", field_width=Fixed.TWENTY),
            Button("submit", "Sign in"),
        )


TWO_FACTOR_CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"
TWO_FACTOR_CODE_FORMAT = "The code must be 6 digits, like 123456"
TWO_FACTOR_CODE_WRONG = (
    "The code is not correct, has been used already, or came too soon after a wrong one. "
    "Wait for a new code and try again."
)


class TwoFactorCodeForm(forms.Form):
    """Ask for a 6-digit code; the view checks it against the user's device."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code changes every 30 seconds.",
        min_length=6,
        max_length=6,
        error_messages={
            "required": TWO_FACTOR_CODE_REQUIRED,
            "min_length": TWO_FACTOR_CODE_FORMAT,
            "max_length": TWO_FACTOR_CODE_FORMAT,
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("code", field_width=Fixed.FIVE), Button("submit", "Continue"))

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(TWO_FACTOR_CODE_FORMAT, code="format")
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(TWO_FACTOR_CODE_WRONG, code="wrong")
        return code


class GovukPasswordChangeForm(PasswordChangeForm):
    """Django's password change with GOV.UK labels and layout."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = "At least 12 characters. A few unrelated words make a strong, memorable password."
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("old_password", field_width=Fixed.TWENTY),
            Field.text("new_password1", field_width=Fixed.TWENTY),
            Field.text("new_password2", field_width=Fixed.TWENTY),
            Button("submit", "Change password"),
        )

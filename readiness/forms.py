"""Forms of the top layer."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm

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

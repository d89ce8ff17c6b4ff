"""Password rules beyond Django's: a common password with digits or symbols stuck on is still common."""

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

COMMON_WITH_DECORATION = (
    "This password is a common password with numbers or symbols added. Choose another one."
)
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class DecoratedCommonPasswordValidator(CommonPasswordValidator):
    """Refuse 'Password123!'-style passwords: strip digits and symbols at both ends, then check."""

    def validate(self, password, user=None):
        core = _DECORATION.sub("", password.lower().strip())
        if core and core != password.lower().strip() and core in self.passwords:
            raise ValidationError(COMMON_WITH_DECORATION, code="password_too_common")

    def get_help_text(self):
        return "Your password can't be a common password, even with numbers or symbols added."

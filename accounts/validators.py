from django.contrib.auth.password_validation import MinimumLengthValidator as BaseValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(BaseValidator):
    """Django's length rule, with a message our catalog translates (Django's lacks it)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("The password is too short: use at least %(min_length)d characters.")
                % {"min_length": self.min_length},
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("Use at least %(min_length)d characters.") % {"min_length": self.min_length}

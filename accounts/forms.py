from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The login form; the same message for an unknown user and a wrong password."""

    error_messages = {
        "invalid_login": _(
            "The username or password is incorrect. Check them and try again "
            "(after 5 failed attempts the account is locked for a while)."
        ),
        "inactive": _("This account has been disabled. Contact the county administrator."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"class": "form-control", "autofocus": True})
        self.fields["password"].widget.attrs.update({"class": "form-control"})


class StyledPasswordChangeMixin(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

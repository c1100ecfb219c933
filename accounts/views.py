from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.forms import LoginForm, StyledPasswordChangeMixin

LOCKED_OUT = gettext_noop(
    "Too many failed login attempts. This account and address are locked for "
    "{minutes} minutes; try again later or ask the county administrator to unlock it."
)

PASSWORD_CHANGED = gettext_noop("Your password has been changed. Log in with the new password.")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class StyledPasswordChangeForm(StyledPasswordChangeMixin, PasswordChangeForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password, then log out everywhere, this session included."""

    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        form.save()
        # Changing the password invalidates every other session; end this one too.
        logout(self.request)
        messages.success(self.request, _(PASSWORD_CHANGED))
        return redirect(self.get_success_url())


def lockout(request, original_response=None, credentials=None):
    """Answer a locked-out login with the login page and a clear message (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request, data=None)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "lockout_message": _(LOCKED_OUT).format(minutes=minutes)},
        status=429,
    )

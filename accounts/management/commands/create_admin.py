"""Create a county administrator: the first real account of a new installation.

    manage.py create_admin --username wangjg --name 王建国            # asks for the password
    printf '%s\\n' "$PASSWORD" | manage.py create_admin --username wangjg --name 王建国 \\
        --password-stdin
    CREATE_ADMIN_PASSWORD=... manage.py create_admin --username wangjg --name 王建国 --no-input

Unlike `createsuperuser`, the account has the county administrator role (the menu and the pages
of that role) as well as access to the Django admin, where further accounts are made. Weak
passwords are refused with the password validators' messages.
"""

import getpass
import os
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import create_county_admin

PASSWORD_ENV = "CREATE_ADMIN_PASSWORD"  # noqa: S105 (a variable name)
USERNAME_TAKEN = gettext_lazy("An account named “%(username)s” already exists.")
USERNAME_REQUIRED = gettext_lazy("Give the account's username with --username.")
NAME_REQUIRED = gettext_lazy("Give the administrator's name with --name.")
NO_PASSWORD = gettext_lazy(
    "No password given: pipe it with --password-stdin, set CREATE_ADMIN_PASSWORD, or run the "
    "command in a terminal to be asked."
)
PASSWORDS_DIFFER = gettext_lazy("The two passwords differ.")
WEAK_PASSWORD = gettext_lazy("The password was refused: %(reasons)s")
CREATED = gettext_lazy(
    "County administrator “%(username)s” (%(name)s) created: log in at /accounts/login/."
)


class Command(BaseCommand):
    help = "Create a county administrator with the role (the first account of an installation)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="The administrator's real name.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Never prompt: the password comes from --password-stdin or {PASSWORD_ENV}.",
        )

    def handle(self, *args, username, name, password_stdin, interactive, **options):
        with translation.override(settings.LANGUAGE_CODE):
            username, name = username.strip(), name.strip()
            if not username:
                raise CommandError(str(USERNAME_REQUIRED))
            if not name:
                raise CommandError(str(NAME_REQUIRED))
            if User.objects.filter(username__iexact=username).exists():
                raise CommandError(str(USERNAME_TAKEN % {"username": username}))
            password = self._password(password_stdin=password_stdin, interactive=interactive)
            try:
                create_county_admin(actor=None, username=username, name=name, password=password)
            except ValidationError as error:
                if hasattr(error, "error_dict"):  # the account's fields (e.g. the username)
                    raise CommandError(" ".join(error.messages)) from None
                raise CommandError(
                    str(WEAK_PASSWORD % {"reasons": "".join(error.messages)})
                ) from None
            self.stdout.write(str(CREATED % {"username": username, "name": name}))

    def _password(self, *, password_stdin: bool, interactive: bool) -> str:
        if password_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV]
        if not interactive or not sys.stdin.isatty():
            raise CommandError(str(NO_PASSWORD))
        first = getpass.getpass(_("Password: "))
        second = getpass.getpass(_("Password (again): "))
        if first != second:
            raise CommandError(str(PASSWORDS_DIFFER))
        return first

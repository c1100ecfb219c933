from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts import demo as accounts_demo
        from core import demo

        demo.register_seeder(30, accounts_demo.seed_users)
        demo.register_logins(accounts_demo.login_lines)

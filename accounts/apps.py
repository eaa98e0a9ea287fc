from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in: two-step sign-in, idle sessions, fresh sign-in before sensitive changes."""

    name = "accounts"
    verbose_name = _("Signing in")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.sessions import stamp_sign_in

        # The moment of the password's entry, for require_recent_login (accounts/sessions.py).
        user_logged_in.connect(stamp_sign_in, dispatch_uid="accounts.stamp_sign_in")

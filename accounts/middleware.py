"""Per-request checks on signed-in users: idle sessions end; the second step is asked for."""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from accounts.sessions import LAST_SEEN_AT, idle_limit_seconds
from accounts.two_step import has_authenticator, needs_second_step

# The session's last-seen time is rewritten at most this often (not a database write per request).
LAST_SEEN_RESOLUTION = 60


class IdleSessionMiddleware:
    """End a session left idle longer than ``LIAISON_IDLE_MINUTES`` and send the user to sign in.

    A middleware rather than ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``: that pair
    would make the 8-hour limit a sliding one (a session kept busy would never end) and write the
    session on every request; this keeps the absolute limit and writes at most once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_AT)
            if isinstance(last_seen, int) and now - last_seen > idle_limit_seconds():
                logout(request)
                messages.info(
                    request,
                    gettext("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
                    % {"minutes": idle_limit_seconds() // 60},
                )
                return redirect_to_login(request.get_full_path())
            if not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


class TwoStepMiddleware:
    """Send a signed-in user who must pass the second step (accounts/two_step.py) and has not yet
    to the code page — or, without an authenticator, to setting one up — before any other page:
    the admin, the finder, the contact sheets and their downloads alike. Must follow
    django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self.exempt(request.path_info)
            and needs_second_step(user)
        ):
            target = reverse("two-step-verify" if has_authenticator(user) else "two-step")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def exempt(path):
        """Pages an unverified user may still reach: the second step itself, log-out, language, files."""
        from django.conf import settings

        open_paths = [reverse("two-step"), reverse("two-step-verify"), reverse("admin:logout"), reverse("set_language")]
        return path in open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))

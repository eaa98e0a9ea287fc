"""Session safety: idle sessions end, and sensitive changes need a fresh sign-in.

- ``IdleSessionMiddleware`` (accounts/middleware.py) ends a session left idle for
  ``LIAISON_IDLE_MINUTES`` (default 30); sessions still end 8 hours after sign-in at the latest
  (``SESSION_COOKIE_AGE``).
- ``require_recent_login`` guards a view that must not run unless the password was entered in the
  last ``LIAISON_RECENT_LOGIN_MINUTES`` (default 10): changing someone's roles, erasing a person.
- A password change ends the user's other sessions: Django keeps a hash of the password in each
  session and refuses sessions whose hash no longer matches (``update_session_auth_hash`` keeps the
  session that made the change).
"""

import functools
import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

SIGNED_IN_AT = "liaison_signed_in_at"
LAST_SEEN_AT = "liaison_last_seen_at"


def stamp_sign_in(sender, request, user, **kwargs):
    """Record when the password was entered (``user_logged_in``; also the password confirmation)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def idle_limit_seconds():
    return int(getattr(settings, "LIAISON_IDLE_MINUTES", 30)) * 60


def recent_login_seconds():
    return int(getattr(settings, "LIAISON_RECENT_LOGIN_MINUTES", 10)) * 60


def signed_in_recently(request):
    """Whether the user entered their password within the last ``LIAISON_RECENT_LOGIN_MINUTES``."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    return isinstance(signed_in_at, int) and time.time() - signed_in_at <= recent_login_seconds()


def recent_login_redirect(request, next_url=None):
    """None when the user signed in recently; otherwise the redirect to the password confirmation,
    which comes back to ``next_url`` (default: this page). For views that cannot be decorated
    (admin classes): ``if (response := recent_login_redirect(request)): return response``."""
    if signed_in_recently(request):
        return None
    return redirect_to_login(next_url or request.get_full_path(), reverse("confirm-password"))


def require_recent_login(view):
    """Decorate a view that must not run without a fresh sign-in (password entered in the last
    ``LIAISON_RECENT_LOGIN_MINUTES`` minutes): others are sent to confirm their password first
    and come back to the same page (a POST is not replayed; they submit again)."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        return recent_login_redirect(request) or view(request, *args, **kwargs)

    return guarded

"""Log-in protection: django-axes locks a user name on one address after 5 failures, for 15 minutes."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
OFFICE = "203.0.113.10"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice():
    return UserFactory(username="alice")


def log_in(client, password, *, username="alice", address=OFFICE):
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, times, **kwargs):
    return [log_in(client, "wrong password", **kwargs).status_code for _ in range(times)]


def age_the_lock(minutes):
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=minutes))


def test_the_fifth_failure_locks_and_the_right_password_is_refused_while_locked(client, alice):
    assert fail(client, 5) == [200, 200, 200, 200, 429]

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
    assert "This log-in is locked after 5 failed attempts." in response.content.decode()


def test_four_failures_do_not_lock(client, alice):
    fail(client, 4)

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


def test_the_lock_holds_for_15_minutes_then_ends_by_itself(client, alice):
    fail(client, 5)

    age_the_lock(14)
    still_locked = log_in(client, PASSWORD)
    age_the_lock(16)
    expired = log_in(client, PASSWORD)

    assert (still_locked.status_code, expired.status_code) == (429, 302)
    assert logged_in(client)


def test_the_lock_is_on_the_user_name_and_the_address_together(client, alice):
    UserFactory(username="bob")
    fail(client, 5)

    same_user_elsewhere = log_in(client, PASSWORD, address="198.51.100.7")
    client.logout()
    other_user_same_address = log_in(client, PASSWORD, username="bob")

    assert (same_user_elsewhere.status_code, other_user_same_address.status_code) == (302, 302)


def test_an_administrator_lifts_a_lock_with_axes_reset_username(client, alice):
    fail(client, 5)

    call_command("axes_reset_username", "alice", stdout=None)

    assert log_in(client, PASSWORD).status_code == 302


def test_a_success_clears_earlier_failures(client, alice):
    fail(client, 4)
    log_in(client, PASSWORD)
    client.logout()

    assert fail(client, 4) == [200, 200, 200, 200]
    assert log_in(client, PASSWORD).status_code == 302


def test_behind_our_proxy_the_address_is_the_one_the_proxy_saw(monkeypatch):
    from config import settings as config_settings

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")

    monkeypatch.setattr(config_settings, "BEHIND_PROXY", False)
    direct = config_settings.client_ip_address(request)
    monkeypatch.setattr(config_settings, "BEHIND_PROXY", True)
    proxied = config_settings.client_ip_address(request)

    # Only the last entry is trustworthy: the client may send any X-Forwarded-For it likes.
    assert (direct, proxied) == ("127.0.0.1", "198.51.100.7")


def test_the_settings_say_five_failures_fifteen_minutes_user_and_address(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


@pytest.mark.parametrize(
    ("password", "accepted"),
    [("short-pass1", False), ("password1234", False), ("123456789012", False), ("staff-liaison-2024", True)],
)
def test_passwords_need_twelve_characters_and_must_not_be_common(password, accepted):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
    except ValidationError:
        assert not accepted
    else:
        assert accepted

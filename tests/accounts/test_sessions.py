"""Session safety (issue 19, item 5): idle sessions end, role changes need a fresh sign-in,
a password change ends the other sessions."""

import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from partners.roles import ADMINISTRATOR, EDITOR, VIEWER
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def browser(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def age_session(client, key, minutes):
    session = client.session
    session[key] = int(time.time()) - minutes * 60
    session.save()


def test_idle_sessions_end_after_30_minutes_by_default(role_user, settings):
    viewer = role_user(VIEWER)
    busy, idle = browser(viewer), browser(viewer)
    age_session(busy, LAST_SEEN_AT, 29)
    age_session(idle, LAST_SEEN_AT, 31)

    still_open = busy.get(reverse("admin:index"))
    ended = idle.get(reverse("admin:index"))

    assert settings.LIAISON_IDLE_MINUTES == 30
    assert still_open.status_code == 200
    assert (ended.status_code, ended["Location"]) == (302, "/admin/login/?next=/admin/")
    assert "_auth_user_id" not in idle.session
    assert idle.get(reverse("admin:index")).status_code == 302


def test_the_idle_limit_is_a_setting(role_user, settings):
    settings.LIAISON_IDLE_MINUTES = 5
    client = browser(role_user(VIEWER))
    age_session(client, LAST_SEEN_AT, 6)

    assert client.get(reverse("admin:index")).status_code == 302


def test_sessions_still_end_eight_hours_after_sign_in(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_changing_roles_needs_a_fresh_sign_in(role_user):
    administrator = role_user(ADMINISTRATOR)
    colleague = role_user(VIEWER, username="colleague")
    client = browser(administrator)
    url = reverse("admin:auth_user_change", args=[colleague.pk])
    data = change_form_data(client.get(url), groups=[str(Group.objects.get(name=EDITOR).pk)])
    age_session(client, SIGNED_IN_AT, 11)

    refused = client.post(url, data)
    confirm = client.post(refused["Location"], {"password": PASSWORD, "next": url})
    saved = client.post(url, data)

    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("confirm-password") + "?next=")
    assert (confirm.status_code, confirm["Location"]) == (302, url)
    assert saved.status_code == 302
    assert list(colleague.groups.values_list("name", flat=True)) == [EDITOR]


def test_an_old_sign_in_may_still_change_other_fields_but_not_roles(role_user):
    administrator = role_user(ADMINISTRATOR)
    colleague = role_user(VIEWER, username="colleague")
    client = browser(administrator)
    url = reverse("admin:auth_user_change", args=[colleague.pk])
    page = client.get(url)
    age_session(client, SIGNED_IN_AT, 11)

    renamed = client.post(url, change_form_data(page, first_name="Renamed"))
    promoted = client.post(url, change_form_data(page, groups=[str(Group.objects.get(name=ADMINISTRATOR).pk)]))

    colleague.refresh_from_db()
    assert renamed["Location"] == reverse("admin:auth_user_changelist")
    assert promoted["Location"].startswith(reverse("confirm-password"))
    assert (colleague.first_name, list(colleague.groups.values_list("name", flat=True))) == ("Renamed", [VIEWER])


def test_a_wrong_password_does_not_refresh_the_sign_in(role_user):
    client = browser(role_user(ADMINISTRATOR))
    age_session(client, SIGNED_IN_AT, 11)
    before = client.session[SIGNED_IN_AT]

    response = client.post(reverse("confirm-password"), {"password": "not it", "next": "/admin/"})

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert client.session[SIGNED_IN_AT] == before


def test_require_recent_login_guards_a_view(rf, role_user, settings):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from accounts.sessions import require_recent_login

    @require_recent_login
    def erase(request):
        return HttpResponse("erased")

    request = rf.post("/erase/7/")
    request.user = role_user(ADMINISTRATOR)
    request.session = SessionStore()
    request.session[SIGNED_IN_AT] = int(time.time()) - 11 * 60
    stale = erase(request)
    request.session[SIGNED_IN_AT] = int(time.time()) - 9 * 60
    fresh = erase(request)

    assert (stale.status_code, stale["Location"]) == (302, "/account/confirm-password/?next=/erase/7/")
    assert (fresh.status_code, fresh.content) == (200, b"erased")


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(role_user):
    viewer = role_user(VIEWER)
    here, elsewhere = browser(viewer), browser(viewer)

    changed = here.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "A-new-long-passphrase", "new_password2": "A-new-long-passphrase"},
    )

    assert changed.status_code == 302
    assert here.get(reverse("admin:index")).status_code == 200
    assert elsewhere.get(reverse("admin:index")).status_code == 302
    assert "_auth_user_id" not in elsewhere.session

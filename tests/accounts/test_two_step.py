"""Two-step sign-in (issue 19, item 4): signed in through the real log-in form, with the requirement on."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_step import replace_backup_codes
from partners.roles import ADMINISTRATOR, VIEWER
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.real_two_step]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(user, *, address="203.0.113.10"):
    """A browser that entered ``user``'s password in the admin's log-in form (no second step yet)."""
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def authenticator(user):
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return device


def current_code(device, *, later=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + later * device.step
    return str(totp.token()).zfill(device.digits)


def test_an_exporting_role_cannot_reach_the_admin_or_the_staff_pages_without_the_second_step(role_user):
    viewer = role_user(VIEWER)
    authenticator(viewer)
    client = sign_in(viewer)

    pages = [reverse("admin:index"), reverse("admin:partners_person_changelist"), "/candidates/", "/contact-sheet/"]
    answers = [client.get(page) for page in pages]

    assert [answer.status_code for answer in answers] == [302] * 4
    assert {answer["Location"].split("?")[0] for answer in answers} == {reverse("two-step-verify")}


def test_without_an_authenticator_an_exporting_role_is_sent_to_set_one_up(role_user):
    client = sign_in(role_user(VIEWER))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("two-step") + "?next=%2Fadmin%2F"


def test_a_verified_user_reaches_the_admin(role_user):
    viewer = role_user(VIEWER)
    device = authenticator(viewer)
    client = sign_in(viewer)

    verified = client.post(reverse("two-step-verify"), {"code": current_code(device), "next": "/admin/"})

    assert (verified.status_code, verified["Location"]) == (302, "/admin/")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get("/candidates/").status_code == 200


def test_a_wrong_code_is_refused_and_the_admin_stays_closed(role_user):
    viewer = role_user(VIEWER)
    device = authenticator(viewer)
    client = sign_in(viewer)
    wrong = f"{(int(current_code(device)) + 1) % 10**6:06d}"

    refused = client.post(reverse("two-step-verify"), {"code": wrong, "next": "/admin/"})

    assert refused.status_code == 200
    assert "That code is not right" in refused.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_backup_code_works_once(role_user):
    viewer = role_user(VIEWER)
    authenticator(viewer)
    code = replace_backup_codes(viewer)[0]

    first = sign_in(viewer)
    used = first.post(reverse("two-step-verify"), {"code": code.upper(), "next": "/admin/"})
    second = sign_in(viewer)
    reused = second.post(reverse("two-step-verify"), {"code": code, "next": "/admin/"})

    assert (used.status_code, first.get(reverse("admin:index")).status_code) == (302, 200)
    assert reused.status_code == 200
    assert second.get(reverse("admin:index")).status_code == 302
    assert StaticToken.objects.filter(device__user=viewer).count() == 9


def test_the_lock_out_still_applies_to_accounts_with_two_step_sign_in(role_user):
    viewer = role_user(VIEWER)
    authenticator(viewer)
    client = Client()
    for _ in range(5):
        client.post(
            reverse("admin:login"),
            {"username": viewer.username, "password": "wrong", "next": "/admin/"},
            REMOTE_ADDR="203.0.113.10",
        )

    locked = client.post(
        reverse("admin:login"),
        {"username": viewer.username, "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.10",
    )

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_a_qr_code_then_the_backup_codes_once(role_user):
    viewer = role_user(VIEWER)
    client = sign_in(viewer)

    page = client.get(reverse("two-step"), {"next": "/candidates/"})
    device = TOTPDevice.objects.get(user=viewer, confirmed=False)
    again = client.get(reverse("two-step"))
    confirmed = client.post(
        reverse("two-step"), {"action": "confirm", "code": current_code(device), "next": "/candidates/"}
    )
    codes_page = client.get(confirmed["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())
    shown_again = client.get(reverse("two-step-backup-codes"))

    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert TOTPDevice.objects.filter(user=viewer).count() == 1  # the same key on reload
    assert again.status_code == 200
    assert confirmed.status_code == 302
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=viewer).values_list("token", flat=True))
    assert not any(code in shown_again.content.decode() for code in codes)
    assert client.get("/candidates/").status_code == 200


def test_enrolment_refuses_a_wrong_code(role_user):
    viewer = role_user(VIEWER)
    client = sign_in(viewer)
    client.get(reverse("two-step"))

    refused = client.post(reverse("two-step"), {"action": "confirm", "code": "000000"})

    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=viewer, confirmed=True).count() == 0
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_role_without_export_may_sign_in_without_a_second_step_unless_they_set_one_up():
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_language"))

    without = sign_in(reader).get(reverse("admin:index"))
    authenticator(reader)
    with_device = sign_in(reader).get(reverse("admin:index"))

    assert without.status_code == 200
    assert (with_device.status_code, with_device["Location"].split("?")[0]) == (302, reverse("two-step-verify"))


def test_an_administrator_resets_a_lost_phone_and_the_reset_is_logged(role_user):
    administrator, viewer = role_user(ADMINISTRATOR), role_user(VIEWER, username="traveller")
    protected = role_user(VIEWER, username="entitled", sensitive=True)
    admin_device = authenticator(administrator)
    authenticator(viewer)
    authenticator(protected)
    replace_backup_codes(viewer)
    client = sign_in(administrator)
    client.post(reverse("two-step-verify"), {"code": current_code(admin_device), "next": "/admin/"})

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_step_sign_in", "_selected_action": [viewer.pk, protected.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=viewer).count() == StaticDevice.objects.filter(user=viewer).count() == 0
    assert TOTPDevice.objects.filter(user=protected).count() == 1  # only a superuser may reset that one
    entry = LogEntry.objects.get(object_id=str(viewer.pk))
    assert (entry.user, entry.get_change_message()) == (administrator, "Changed two-step sign-in (reset).")
    assert not LogEntry.objects.filter(object_id=str(protected.pk)).exists()
    # The traveller's next sign-in sets up a new authenticator.
    assert sign_in(viewer).get(reverse("admin:index"))["Location"].startswith(reverse("two-step") + "?")


def test_the_requirement_can_be_turned_off(role_user, settings):
    settings.LIAISON_REQUIRE_OTP = False

    assert sign_in(role_user(VIEWER)).get(reverse("admin:index")).status_code == 200


def test_the_command_line_reset_for_a_locked_out_superuser_is_logged(settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    root = UserFactory(username="root", is_superuser=True)
    authenticator(root)
    replace_backup_codes(root)
    out = StringIO()

    call_command("reset_two_step", "root", stdout=out)

    assert (TOTPDevice.objects.filter(user=root).count(), StaticDevice.objects.filter(user=root).count()) == (0, 0)
    assert "reset (2 devices removed)" in out.getvalue()
    entry = LogEntry.objects.get(object_id=str(root.pk))
    assert entry.get_change_message() == "Changed two-step sign-in (reset from the command line)."


def test_make_runs_local_administrator_is_told_how_to_enrol(settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.BASE_DIR = tmp_path
    out = StringIO()

    call_command("ensure_local_login", stdout=out)

    assert "At the first log-in it shows a\nQR code to scan" in out.getvalue()
    assert "python manage.py reset_two_step USERNAME" in out.getvalue()


def test_after_a_wrong_code_the_next_one_waits_and_says_so(role_user):
    viewer = role_user(VIEWER)
    device = authenticator(viewer)
    client = sign_in(viewer)
    wrong = f"{(int(current_code(device)) + 1) % 10**6:06d}"

    client.post(reverse("two-step-verify"), {"code": wrong})
    too_soon = client.post(reverse("two-step-verify"), {"code": current_code(device)})
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    in_time = client.post(reverse("two-step-verify"), {"code": current_code(device), "next": "/admin/"})

    assert "After a wrong code, wait 1 second, then" in too_soon.content.decode()
    assert (in_time.status_code, in_time["Location"]) == (302, "/admin/")


def test_a_signed_in_user_cannot_set_up_a_new_phone_without_passing_the_old_one(role_user):
    viewer = role_user(VIEWER)
    device = authenticator(viewer)
    client = sign_in(viewer)

    renew = client.post(reverse("two-step"), {"action": "renew"})
    confirm = client.post(reverse("two-step"), {"action": "confirm", "code": current_code(device)})

    assert renew["Location"].startswith(reverse("two-step-verify"))
    assert confirm["Location"].startswith(reverse("two-step-verify"))
    assert list(TOTPDevice.objects.filter(user=viewer)) == [device]
    assert client.get(reverse("admin:index")).status_code == 302

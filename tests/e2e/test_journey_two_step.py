"""Two-step sign-in in a real browser: a new viewer sets up an authenticator app from the QR page's
key, sees the backup codes once, reaches the admin; the next log-in asks for a code. Each of the
three two-step pages passes axe-core (critical and serious rules)."""

import base64

import pytest
from django_otp.oath import TOTP

from partners.roles import VIEWER
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def code_from_key(key):
    """What an authenticator app shows now for the key typed from the page."""
    totp = TOTP(base64.b32decode(key.replace(" ", "")), step=30)
    return str(totp.token()).zfill(6)


def test_a_new_viewer_sets_up_two_step_sign_in_and_uses_it(page, role_user):
    viewer = role_user(VIEWER, username="traveller")

    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "traveller")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/account/two-step/?next=**")
    assert page.locator(".two-step-qr svg").count() == 1
    assert_accessible(page, "two-step set-up")
    key = page.locator(".two-step-key").inner_text()
    page.fill("#id_code", code_from_key(key))
    page.click("input[type=submit]")
    page.wait_for_url("**/account/two-step/backup-codes/**")
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert_accessible(page, "backup codes")
    page.click("text=繼續")
    page.wait_for_url("**/admin/")

    assert len(codes) == 10
    page.goto("/account/two-step/backup-codes/")
    assert codes[0] not in page.content()

    # A second browser: password, then a backup code.
    page.context.clear_cookies()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "traveller")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/account/two-step/verify/**")
    assert_accessible(page, "two-step code")
    page.fill("#id_code", codes[0])
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert viewer.staticdevice_set.get().token_set.count() == 9

"""Browser journeys: Playwright driving Debian's Chromium against Django's live server.

Skipped, with the reason printed, only when no Chromium is installed; `.ci/run`
installs it, so in CI they always run. A failing journey leaves a screenshot in
test-artifacts/ (git-ignored).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LIAISON_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct-horse-battery"

# Playwright's sync API runs an event loop in this thread; the Django calls the
# tests make between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason="no Chromium installed (apt-get install chromium)"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{item.name}.png"), full_page=True)
            except Exception as error:  # the browser may be gone; the failure itself matters more
                report.sections.append(("screenshot", f"could not save a screenshot: {error}"))
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="zh-TW")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def authenticator_code(user):
    """The user's authenticator app (created the first time) and the code it shows now — one
    not used before, as django-otp refuses a code twice (a second log-in within 30 seconds)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="Phone", defaults={"confirmed": True})
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.time = (device.last_t + 1) * device.step + device.t0
    return str(totp.token()).zfill(device.digits)


@pytest.fixture
def login(page):
    """Log in through the admin's form and the second step (a code from the user's authenticator
    app), as a person would: the two-step requirement stays on in the browser journeys."""

    def login_as(user, password=PASSWORD):
        authenticator_code(user)  # the phone is set up before the first log-in
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url("**/account/two-step/verify/**")
        page.fill("#id_code", authenticator_code(user))
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    return login_as

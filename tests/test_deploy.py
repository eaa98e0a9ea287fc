"""Production settings: the app refuses to start without what it needs, `check --deploy` is clean,
and the Content-Security-Policy leaves the admin and the staff pages working."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ContactMethodFactory, UserFactory, WorkshopFactory, make_area

BASE_DIR = Path(__file__).resolve().parent.parent
REQUIRED = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"]


@pytest.fixture
def production_env(tmp_path):
    """The environment of a production server (as README.md, "Deployment" sets it), with a throwaway database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="liaison.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings(production_env):
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without(production_env, missing):
    del production_env[missing]

    result = manage(production_env, "check")

    assert result.returncode != 0
    assert f"need these environment variables: {missing}" in result.stderr


def test_production_settings(production_env):
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "SESSION_COOKIE_AGE",
        "ALLOWED_HOSTS",
    ]
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}} | "
        "{'STATICFILES': settings.STORAGES['staticfiles']['BACKEND'], 'PROXY': settings.SECURE_PROXY_SSL_HEADER}))"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**production_env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "ALLOWED_HOSTS": ["liaison.example.org"],
        "STATICFILES": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "PROXY": None,
    }


def test_behind_a_proxy_https_is_read_from_its_header(production_env):
    production_env["DJANGO_BEHIND_PROXY"] = "true"
    script = "import django; from django.conf import settings; django.setup(); print(settings.SECURE_PROXY_SSL_HEADER)"

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**production_env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_gunicorn_loads_the_application(production_env):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--check-config", "config.wsgi"],
        cwd=BASE_DIR,
        env=production_env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr


# -- Content-Security-Policy -----------------------------------------------------------------------

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
STYLE_TAG = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def inline_code(html):
    """What the policy would block: inline scripts, event-handler attributes, <style> blocks."""
    blocked = []
    for attributes, body in SCRIPT_TAG.findall(html):
        if "src=" not in attributes and "application/json" not in attributes and body.strip():
            blocked.append(body.strip()[:80])
    blocked += [body.strip()[:80] for body in STYLE_TAG.findall(html)]
    blocked += EVENT_HANDLER.findall(html)
    return blocked


@pytest.fixture
def pages(db):
    """Pages built on the admin's scripts: autocomplete (select2), treebeard, simple-history, the staff pages."""
    area = make_area("Victim protection", code="protection")
    person = ContactMethodFactory().person
    workshop = WorkshopFactory()
    workshop.themes.add(area)
    return {
        "log-in page": reverse("admin:login"),
        "admin index": reverse("admin:index"),
        "people (list, actions)": reverse("admin:partners_person_changelist"),
        "person (autocomplete, inlines)": reverse("admin:partners_person_change", args=[person.pk]),
        "new affiliation (autocomplete)": reverse("admin:partners_affiliation_add"),
        "expertise areas (treebeard)": reverse("admin:partners_expertisearea_changelist"),
        "person history (simple-history)": reverse("admin:partners_person_history", args=[person.pk]),
        "import": reverse("admin:partners_person_import"),
        "candidate finder": reverse("candidates") + f"?workshop={workshop.pk}",
        "contact sheet": reverse("contact-sheet") + f"?ids={person.pk}",
    }


def test_every_page_carries_the_policy_and_nothing_it_would_block(pages, role_user):
    client = Client()
    client.force_login(role_user("Administrator"))
    for name, url in pages.items():
        response = (Client() if name == "log-in page" else client).get(url)
        assert response.status_code == 200, name
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy, name
        assert "unsafe-inline" not in policy.split("style-src-attr")[0], name
        assert "frame-ancestors 'none'" in policy, name
        assert inline_code(response.content.decode()) == [], name


def test_the_policy_is_sent_with_other_security_headers(client, db):
    UserFactory(username="someone")

    response = client.get(reverse("admin:login"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response.headers


def test_a_server_installs_no_test_lint_or_demo_tools_and_every_requirement_is_pinned():
    """Issue 21, item 18: requirements.txt is what runs the app; development tools are apart."""
    from django.conf import settings

    def pins(name):
        lines = (settings.BASE_DIR / name).read_text().splitlines()
        return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]

    runtime, development, venv = pins("requirements.txt"), pins("requirements-dev.txt"), pins("requirements-venv.txt")
    names = {line.split("==")[0].split("[")[0].lower() for line in runtime}

    assert all("==" in line for line in runtime + venv + development[1:])
    assert development[0] == "-r requirements.txt"
    assert names.isdisjoint({"pytest", "pytest-django", "factory-boy", "ruff", "playwright", "faker", "tqdm"})
    assert [line.split("==")[0] for line in venv] == ["pip", "setuptools"]

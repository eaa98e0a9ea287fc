"""The commands behind `make run`: load the seed once, make a local login once."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_ensure_local_login_creates_one_superuser_and_prints_its_password_once(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    first = run("ensure_local_login")
    password = first.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    assert len(password) >= 12
    assert (tmp_path / ".local-login").read_text().endswith(f"password: {password}\n")

    second = run("ensure_local_login")
    assert password not in second
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_ensure_local_login_generates_a_different_password_each_time(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    first = run("ensure_local_login").split("password: ")[1].split()[0]
    get_user_model().objects.all().delete()
    second = run("ensure_local_login").split("password: ")[1].split()[0]
    assert first != second


def test_load_seed_says_so_when_there_is_no_fixture(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    assert "nothing loaded" in run("load_seed")


def test_load_seed_loads_once_and_keeps_later_edits(settings, tmp_path):
    from conference.models import Event

    (tmp_path / "fixtures").mkdir()
    event_uuid = "0b6f9d1e-5d8c-4a55-9d4b-0a1f3c0d2e11"
    fixture = [
        {
            "model": "conference.event",
            "fields": {
                "uuid": event_uuid,
                "kind": "conference",
                "name": "Example Conference",
                "start_date": "2022-03-15",
                "end_date": "2022-03-17",
                "time_zone": "America/New_York",
            },
        }
    ]
    (tmp_path / "fixtures" / "example_seed.json").write_text(json.dumps(fixture))
    settings.BASE_DIR = tmp_path
    settings.LIAISON_SEED_FIXTURE = "example_seed"
    settings.FIXTURE_DIRS = [tmp_path / "fixtures"]

    assert "Loaded" in run("load_seed")
    Event.objects.filter(uuid=event_uuid).update(name="Edited by staff")
    assert "already loaded" in run("load_seed")
    assert Event.objects.get(uuid=event_uuid).name == "Edited by staff"
    assert Event.objects.count() == 1


def test_the_local_login_is_private_from_the_start_whatever_the_umask(settings, tmp_path):
    """Issue 21, item 15: created 0600 (not written 0644 and narrowed afterwards); an older,
    world-readable file is narrowed before the new password is written into it."""
    import os
    import stat

    settings.BASE_DIR = tmp_path
    login_file = tmp_path / ".local-login"
    login_file.write_text("old\n")
    os.chmod(login_file, 0o644)
    opened = []
    real_open = os.open

    def recording_open(path, flags, mode=0o777, *args, **kwargs):
        opened.append((str(path), mode))
        return real_open(path, flags, mode, *args, **kwargs)

    previous = os.umask(0)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "open", recording_open)
            run("ensure_local_login")
    finally:
        os.umask(previous)

    assert opened == [(str(login_file), 0o600)]
    assert stat.S_IMODE(login_file.stat().st_mode) == 0o600
    assert login_file.read_text().startswith("username: admin\n")


def test_development_uses_a_private_key_generated_per_installation(tmp_path):
    """Issue 21, item 5: no public key written in the code; one key per installation, kept."""
    import os
    import stat

    from accounts.local_files import development_secret_key

    first = development_secret_key(tmp_path / ".local-secret-key")
    again = development_secret_key(tmp_path / ".local-secret-key")
    other_install = tmp_path / "other"
    other_install.mkdir()
    other = development_secret_key(other_install / ".local-secret-key")

    assert first == again != other
    assert len(first) >= 50
    assert stat.S_IMODE(os.stat(tmp_path / ".local-secret-key").st_mode) == 0o600


def test_the_settings_use_the_installation_key_unless_the_environment_gives_one(settings):
    import os

    from django.conf import settings as django_settings

    source = (django_settings.BASE_DIR / "config" / "settings.py").read_text()
    assert "django-insecure" not in source
    if not os.environ.get("DJANGO_SECRET_KEY"):
        key_file = django_settings.BASE_DIR / ".local-secret-key"
        assert key_file.read_text().strip() == django_settings.SECRET_KEY

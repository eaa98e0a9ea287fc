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

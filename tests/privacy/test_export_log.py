"""The export log: append-only from the interface (superusers included); administrators filter it by
user, purpose, period and person; export purposes kept by administrators."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contact_sheets.log import log_export
from partners.models import ExportLog, ExportPurpose
from partners.roles import ADMINISTRATOR, EDITOR
from privacy.purposes import purpose_for_command
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def browser(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def listed(client, **query):
    response = client.get(reverse("admin:partners_exportlog_changelist"), query)
    assert response.status_code == 200
    return sorted(entry.pk for entry in response.context["cl"].result_list)


def test_administrators_filter_by_user_purpose_period_and_person(role_user):
    alice, bob = role_user(EDITOR, username="alice"), role_user(EDITOR, username="bob")
    invitation = ExportPurpose.objects.get(name="Workshop invitation")
    briefing = ExportPurpose.objects.get(name="Post briefing")
    rose, other = PersonFactory(), PersonFactory()
    first = log_export(alice, format="csv", source="test", row_count=1, purpose=invitation, people=[rose.pk])
    second = log_export(bob, format="xlsx", source="test", row_count=2, purpose=briefing, people=[rose.pk, other.pk])
    third = log_export(alice, format="vcf", source="test", row_count=1, purpose_detail="Call", people=[other.pk])
    ExportLog.objects.filter(pk=third.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    client = browser(role_user(ADMINISTRATOR))

    assert listed(client, user__id__exact=alice.pk) == [first.pk, third.pk]
    assert listed(client, purpose__id__exact=briefing.pk) == [second.pk]
    since = timezone.localtime() - dt.timedelta(days=30)
    assert listed(client, created_at__gte=since.isoformat()) == [first.pk, second.pk]
    assert listed(client, person=rose.pk) == [first.pk, second.pk]
    assert listed(client, person=other.pk) == [second.pk, third.pk]
    assert ExportLog.objects.get(pk=second.pk).people_ids == sorted([rose.pk, other.pk])


def test_log_export_keeps_its_old_signature():
    entry = log_export(None, format="csv", source="command", row_count=0)

    assert (entry.username, entry.purpose, entry.purpose_detail, entry.person_ids) == ("command", None, "", "")


@pytest.mark.parametrize("superuser", [False, True])
def test_no_one_adds_changes_or_deletes_an_entry_through_the_interface(role_user, admin_client, superuser):
    entry = log_export(None, format="csv", source="command", row_count=3, purpose_detail="Briefing")
    client = admin_client if superuser else browser(role_user(ADMINISTRATOR))
    url = reverse("admin:partners_exportlog_change", args=[entry.pk])

    responses = [
        client.get(reverse("admin:partners_exportlog_add")).status_code,
        client.post(reverse("admin:partners_exportlog_add"), {"format": "csv", "row_count": 1}).status_code,
        client.post(url, {"purpose_detail": "forged", "row_count": 0}).status_code,
        client.post(reverse("admin:partners_exportlog_delete", args=[entry.pk]), {"post": "yes"}).status_code,
        client.post(
            reverse("admin:partners_exportlog_changelist"),
            {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
        ).status_code,
    ]

    assert responses[:4] == [403, 403, 403, 403]
    entry.refresh_from_db()
    assert (ExportLog.objects.count(), entry.purpose_detail, entry.row_count) == (1, "Briefing", 3)
    assert client.get(url).status_code == 200  # read, though


def test_administrators_keep_the_purposes(role_user):
    url = reverse("admin:partners_exportpurpose_add")
    data = {"name": "Embassy request", "name_zh": "使館請求", "active": "on", "order": 9}

    assert browser(role_user(EDITOR)).post(url, data).status_code == 403
    assert browser(role_user(ADMINISTRATOR)).post(url, data).status_code == 302
    assert ExportPurpose.objects.filter(name="Embassy request").exists()


def test_the_command_purpose_is_a_listed_one_or_free_text():
    listed_purpose = purpose_for_command("工作坊邀請")
    free = purpose_for_command("  Minister's visit  ")

    assert (listed_purpose.purpose.name, listed_purpose.detail) == ("Workshop invitation", "")
    assert (free.purpose, free.detail) == (None, "Minister's visit")
    assert purpose_for_command("  ") is None

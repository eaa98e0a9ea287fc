"""Retention: who is due for review, the review list, keeping people another period, pruning old log
entries; consent changes stamped with date and who."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners.models import ExportLog, Person
from partners.roles import ADMINISTRATOR, EDITOR
from privacy.models import AccessLog, ErasureRecord
from privacy.retention import activity_relations, people_due_for_review
from privacy.services import prune_logs
from tests.admin_forms import change_form_data
from tests.factories import AppearanceFactory, CandidacyFactory, PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=6 * 366)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def browser(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def old_person(**fields):
    person = PersonFactory(**fields)
    Person.objects.filter(pk=person.pk).update(created_at=LONG_AGO)
    return person


def due():
    return list(people_due_for_review(Person.objects.all()).values_list("full_name", flat=True))


def test_activity_is_read_from_the_relations_that_exist():
    labels = {model._meta.label_lower for model, _field, _path in activity_relations()}
    assert labels >= {"conference.appearance", "conference.candidacy"}


def test_people_with_nothing_recorded_in_the_period_are_due(settings):
    settings.LIAISON_RETENTION_YEARS = {"person": 5}
    old_person(full_name="A Idle")
    spoke_recently = old_person(full_name="B Spoke recently")
    AppearanceFactory(person=spoke_recently, session=SessionFactory(starts_at=timezone.now() - dt.timedelta(days=30)))
    spoke_long_ago = old_person(full_name="C Spoke long ago")
    AppearanceFactory(person=spoke_long_ago, session=SessionFactory(starts_at=LONG_AGO))
    CandidacyFactory(person=old_person(full_name="D Candidate"))
    old_person(full_name="E Confirmed", last_confirmed=timezone.localdate() - dt.timedelta(days=10))
    old_person(full_name="F Held", legal_hold=True)
    PersonFactory(full_name="G New")
    reviewed = old_person(full_name="H Reviewed")
    Person.objects.filter(pk=reviewed.pk).update(retention_reviewed_at=timezone.now())

    assert due() == ["A Idle", "C Spoke long ago"]

    settings.LIAISON_RETENTION_YEARS = {"person": 10}
    assert due() == []


def test_the_review_list_and_keeping_people_another_period(role_user, django_assert_num_queries):
    idle = old_person(full_name="Idle Example")
    administrator = browser(role_user(ADMINISTRATOR))
    url = reverse("admin:privacy_retentionreview_changelist")

    page = administrator.get(url)
    assert [person.pk for person in page.context["cl"].result_list] == [idle.pk]
    assert reverse("privacy:erase-person", args=[idle.pk]) in page.content.decode()
    kept = administrator.post(url, {"action": "keep_for_another_period", "_selected_action": [idle.pk]})

    assert kept.status_code == 302
    assert due() == []
    assert Person.objects.get(pk=idle.pk).retention_reviewed_at is not None
    assert browser(role_user(EDITOR)).get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "admin:privacy_retentionreview_changelist",
        "admin:privacy_accesslog_changelist",
        "admin:privacy_erasurerecord_changelist",
    ],
)
def test_list_pages_cost_the_same_queries_for_1_and_3_rows(role_user, url, django_assert_num_queries):
    administrator = browser(role_user(ADMINISTRATOR))

    def add_row():
        person = old_person(sensitive=False)
        AppearanceFactory(person=person, session=SessionFactory(starts_at=LONG_AGO))
        AccessLog.objects.create(username="someone", person=person, view="page", reason="Checking")
        ErasureRecord.objects.create(person_id_erased=person.pk, username="someone", reason="Request")

    add_row()
    administrator.get(reverse(url))  # warm the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert administrator.get(reverse(url)).status_code == 200
    add_row(), add_row()
    with django_assert_num_queries(len(one.captured_queries)):
        response = administrator.get(reverse(url))
    assert response.context["cl"].result_count == 3


def test_old_log_entries_are_pruned_erasure_records_kept(settings):
    settings.LIAISON_RETENTION_YEARS = {"accesslog": 1, "exportlog": 2}
    for days in (100, 500, 800):
        created = timezone.now() - dt.timedelta(days=days)
        AccessLog.objects.filter(pk=AccessLog.objects.create(view="page").pk).update(created_at=created)
        ExportLog.objects.filter(pk=ExportLog.objects.create(format="csv", row_count=1).pk).update(created_at=created)
        ErasureRecord.objects.filter(pk=ErasureRecord.objects.create(person_id_erased=1, reason="R").pk).update(
            created_at=created
        )

    assert prune_logs(dry_run=True) == {"accesslog": 2, "exportlog": 1}
    out = io.StringIO()
    call_command("apply_retention", stdout=out)

    assert (AccessLog.objects.count(), ExportLog.objects.count(), ErasureRecord.objects.count()) == (1, 2, 3)
    assert "access log: 2 entries older than 1 years deleted" in out.getvalue()


def test_a_consent_change_is_stamped_with_date_and_who(role_user, admin_client):
    person = PersonFactory()
    editor = role_user(EDITOR)
    url = reverse("admin:partners_person_change", args=[person.pk])
    data = change_form_data(admin_client.get(url), consent="withdrawn")

    response = browser(editor).post(url, data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.consent, person.consent_changed_by) == ("withdrawn", editor)
    assert timezone.now() - person.consent_changed_at < dt.timedelta(minutes=5)
    latest = person.history.latest("history_date")
    assert (latest.consent, latest.consent_changed_by_id, latest.history_user_id) == ("withdrawn", editor.pk, editor.pk)


def test_an_unrelated_change_leaves_the_consent_stamp(role_user, admin_client):
    person = PersonFactory()
    url = reverse("admin:partners_person_change", args=[person.pk])
    data = change_form_data(admin_client.get(url), bio="A new bio")

    browser(role_user(EDITOR)).post(url, data)

    person.refresh_from_db()
    assert (person.bio, person.consent_changed_at) == ("A new bio", None)


def test_only_administrators_set_a_legal_hold(role_user, admin_client):
    person = PersonFactory()
    url = reverse("admin:partners_person_change", args=[person.pk])
    data = change_form_data(admin_client.get(url), legal_hold="on")

    browser(role_user(EDITOR)).post(url, data)
    assert Person.objects.get(pk=person.pk).legal_hold is False
    administrator = browser(role_user(ADMINISTRATOR))
    administrator.post(url, change_form_data(administrator.get(url), legal_hold="on"))
    assert Person.objects.get(pk=person.pk).legal_hold is True

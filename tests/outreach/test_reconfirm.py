"""The contacts to reconfirm: who is listed, in what order, and the one-step confirmation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.selectors import people_to_reconfirm
from tests.factories import CandidacyFactory, ContactMethodFactory, PersonFactory, WorkshopFactory
from tests.test_admin_pages import count_queries

pytestmark = pytest.mark.django_db

URL = reverse("reconfirm")


def test_who_is_listed_and_in_what_order(admin_user, settings):
    settings.LIAISON_RECONFIRM_AFTER_DAYS = 730
    today = timezone.localdate()
    old = today - dt.timedelta(days=800)
    PersonFactory(full_name="Fresh Contact", last_confirmed=today - dt.timedelta(days=100))
    never = PersonFactory(full_name="Never Confirmed", last_confirmed=None)
    stale = PersonFactory(full_name="Stale Contact", last_confirmed=old)
    bounced = PersonFactory(full_name="Bounced Contact", last_confirmed=today)
    ContactMethodFactory(person=bounced, marked_wrong=True)
    PersonFactory(full_name="Do Not Contact", last_confirmed=None, do_not_contact=True)
    soon = WorkshopFactory(start_date=today + dt.timedelta(days=30), end_date=today + dt.timedelta(days=31))
    later = WorkshopFactory(start_date=today + dt.timedelta(days=90), end_date=today + dt.timedelta(days=91))
    past = WorkshopFactory(start_date=today - dt.timedelta(days=90), end_date=today - dt.timedelta(days=89))
    for_later = PersonFactory(full_name="Candidate Later", last_confirmed=old)
    for_soon = PersonFactory(full_name="Candidate Soon", last_confirmed=old)
    past_candidate = PersonFactory(full_name="Past Candidate", last_confirmed=old - dt.timedelta(days=1))
    CandidacyFactory(person=for_later, workshop=later)
    CandidacyFactory(person=for_soon, workshop=soon)
    CandidacyFactory(person=past_candidate, workshop=past)

    names = [person.full_name for person in people_to_reconfirm(admin_user)]

    assert names == [
        "Candidate Soon",
        "Candidate Later",
        "Never Confirmed",
        "Past Candidate",
        "Stale Contact",
        "Bounced Contact",
    ]
    assert never.pk and stale.pk


def test_sensitive_people_only_for_those_who_may_see_them(role_user):
    PersonFactory(full_name="Protected Survivor", sensitive=True)
    PersonFactory(full_name="Public Speaker")
    assert [p.full_name for p in people_to_reconfirm(role_user("Editor"))] == ["Public Speaker"]
    assert len(people_to_reconfirm(role_user("Editor", sensitive=True))) == 2


def test_confirming_is_one_step_with_history(client, role_user):
    editor = role_user("Editor")
    person = PersonFactory(full_name="Stale Contact", last_confirmed=dt.date(2020, 1, 1))
    client.force_login(editor)
    client.cookies["django_language"] = "en"  # the history's reason is written in the user's language
    assert "Stale Contact" in client.get(URL).content.decode()

    response = client.post(reverse("reconfirm-confirm", args=[person.pk]))

    assert response.status_code == 302 and response["Location"] == URL
    person.refresh_from_db()
    assert (person.last_confirmed, person.last_confirmed_by) == (timezone.localdate(), editor)
    latest = person.history.first()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Contact details confirmed")
    assert client.get(URL).context["rows"] == []


def test_viewers_see_the_list_but_cannot_confirm(client, role_user):
    person = PersonFactory(last_confirmed=None)
    client.force_login(role_user("Viewer"))
    page = client.get(URL)
    assert page.status_code == 200 and "Confirm today" not in page.content.decode()
    assert client.post(reverse("reconfirm-confirm", args=[person.pk])).status_code == 403
    person.refresh_from_db()
    assert person.last_confirmed is None


def test_a_hidden_person_cannot_be_confirmed_by_guessing_the_id(client, role_user):
    person = PersonFactory(sensitive=True)
    client.force_login(role_user("Editor"))
    assert client.post(reverse("reconfirm-confirm", args=[person.pk])).status_code == 404


def test_reachable_from_the_admin_index(admin_client):
    assert f'href="{URL}"' in admin_client.get(reverse("admin:index")).content.decode()


def test_query_count_is_the_same_for_1_and_3_rows(admin_client):
    workshop = WorkshopFactory(start_date=None, end_date=None)
    CandidacyFactory(workshop=workshop, person=ContactMethodFactory().person)
    admin_client.get(URL)
    with_one = count_queries(admin_client, URL)
    for _ in range(2):
        CandidacyFactory(workshop=WorkshopFactory(start_date=None, end_date=None), person=ContactMethodFactory().person)
    assert count_queries(admin_client, URL) == with_one

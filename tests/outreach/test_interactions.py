"""Interactions: entered in the place's zone, listed and filtered, per role, protected like their person."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from outreach.models import Interaction
from tests.factories import InteractionFactory, OrganizationFactory, PersonFactory
from tests.test_admin_pages import count_queries

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:outreach_interaction_changelist")
ADD_URL = reverse("admin:outreach_interaction_add")


def form_data(person, **fields):
    data = {
        "person": person.pk,
        "organization": "",
        "kind": "meeting",
        "occurred_local_0": "2026-03-10",
        "occurred_local_1": "09:30:00",
        "time_zone": "America/New_York",
        "place": "Embassy, Washington",
        "officer": "",
        "officer_name": "",
        "unit": "Washington office",
        "event": "",
        "summary": "Discussed the workshop on digital evidence.",
        "follow_up": "",
        "follow_up_due": "",
    }
    data.update(fields)
    return data


def test_an_editor_logs_a_meeting_in_the_places_time_zone(client, role_user):
    editor = role_user("Editor")
    client.force_login(editor)
    person = PersonFactory()
    response = client.post(ADD_URL, form_data(person, officer=editor.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    interaction = Interaction.objects.get()
    # 09:30 in New York (EDT, UTC-4 on 10 March 2026) is 13:30 UTC.
    assert interaction.occurred_at == dt.datetime(2026, 3, 10, 13, 30, tzinfo=dt.UTC)
    assert interaction.officer == editor
    assert [(row.history_type, row.history_user) for row in interaction.history.all()] == [("+", editor)]
    change = client.get(reverse("admin:outreach_interaction_change", args=[interaction.pk])).content.decode()
    assert "09:30" in change and "America/New_York" in change, change[change.find("occurred_local") :][:800]

    response = client.post(
        reverse("admin:outreach_interaction_change", args=[interaction.pk]),
        form_data(
            person,
            officer=editor.pk,
            summary="Corrected summary.",
            follow_up="Send the agenda",
            follow_up_due="2026-03-20",
        ),
    )
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert interaction.summary == "Corrected summary."
    assert interaction.follow_up_due == dt.date(2026, 3, 20)
    assert [row.history_type for row in interaction.history.all()] == ["~", "+"]


def test_bad_input_is_refused_with_the_field_named(client, role_user):
    client.force_login(role_user("Editor"))
    person = PersonFactory()
    response = client.post(ADD_URL, form_data(person, time_zone="Mars/Olympus", follow_up_due="2026-04-01"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"time_zone", "follow_up", "__all__"}
    assert Interaction.objects.count() == 0


def test_an_interaction_names_a_person_or_an_organization():
    with pytest.raises(IntegrityError):
        Interaction.objects.create(occurred_at=timezone.now(), officer_name="Officer", summary="Nobody")


def test_the_list_filters_by_officer_unit_kind_country_and_follow_up(admin_client, django_user_model):
    today = timezone.localdate()
    officer = django_user_model.objects.create(username="officer-a", is_staff=True)
    kenya = InteractionFactory(person=PersonFactory(country="KE"), kind="call", unit="Nairobi post", officer=officer)
    due = InteractionFactory(follow_up="Send programme", follow_up_due=today - dt.timedelta(days=1))
    org_only = InteractionFactory(person=None, organization=OrganizationFactory(country="FR"), kind="letter")

    def listed(query):
        response = admin_client.get(LIST_URL + query)
        assert response.status_code == 200
        return sorted(obj.pk for obj in response.context["cl"].result_list)

    assert listed("") == sorted([kenya.pk, due.pk, org_only.pk])
    assert listed(f"?officer__id__exact={officer.pk}") == [kenya.pk]
    assert listed("?unit=Nairobi+post") == [kenya.pk]
    assert listed("?kind__exact=letter") == [org_only.pk]
    assert listed("?country=KE") == [kenya.pk]
    assert listed("?country=FR") == [org_only.pk]
    assert listed("?follow_up=due") == [due.pk]


@pytest.mark.parametrize(
    ("role", "can_view", "can_add"),
    [("Viewer", True, False), ("Editor", True, True), ("Coordinator", True, True), ("Administrator", True, True)],
)
def test_permissions_per_role(client, role_user, role, can_view, can_add):
    client.force_login(role_user(role))
    assert client.get(LIST_URL).status_code == (200 if can_view else 403)
    assert client.get(ADD_URL).status_code == (200 if can_add else 403)


def test_a_sensitive_persons_interactions_are_hidden_where_the_person_is(client, role_user):
    survivor = PersonFactory(full_name="Protected Survivor", sensitive=True)
    organization = OrganizationFactory()
    hidden = InteractionFactory(person=survivor, organization=organization, summary="Private meeting notes")
    public = InteractionFactory(organization=organization, summary="Public meeting notes")

    client.force_login(role_user("Editor"))
    listing = client.get(LIST_URL).content.decode()
    assert "Public meeting notes" not in listing  # the summary is not a column
    assert [obj.pk for obj in client.get(LIST_URL).context["cl"].result_list] == [public.pk]
    assert client.get(reverse("admin:outreach_interaction_change", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("admin:outreach_interaction_history", args=[hidden.pk])).status_code == 404
    organization_page = client.get(reverse("admin:partners_organization_change", args=[organization.pk]))
    assert "Private meeting notes" not in organization_page.content.decode()
    assert "Public meeting notes" in organization_page.content.decode()

    client.force_login(role_user("Editor", sensitive=True))
    assert sorted(obj.pk for obj in client.get(LIST_URL).context["cl"].result_list) == sorted([hidden.pk, public.pk])
    # The first look at a protected person's record in a session asks why (privacy/access.py).
    client.post(reverse("privacy:access-reason", args=[hidden.person_id]), {"reason": "Follow-up of the meeting"})
    assert client.get(reverse("admin:outreach_interaction_change", args=[hidden.pk])).status_code == 200


def test_interactions_are_never_in_contact_sheets(admin_client):
    interaction = InteractionFactory(summary="Confidential talk about funding")
    response = admin_client.get(reverse("contact-sheet") + f"?ids={interaction.person_id}&purpose_detail=Test")
    assert response.status_code == 200
    assert interaction.person.full_name in response.content.decode()
    assert "Confidential talk" not in response.content.decode()


def test_person_page_lists_interactions_with_constant_queries(admin_client):
    person = PersonFactory()
    InteractionFactory(person=person, organization=OrganizationFactory(), summary="First talk")
    url = reverse("admin:partners_person_change", args=[person.pk])
    admin_client.get(url)
    with_one = count_queries(admin_client, url)
    for number in range(2):
        InteractionFactory(person=person, organization=OrganizationFactory(), summary=f"Talk {number}")
    with_three = count_queries(admin_client, url)
    assert with_three == with_one
    assert "Talk 1" in admin_client.get(url).content.decode()


def test_list_query_count_is_the_same_for_1_and_3_rows(admin_client):
    InteractionFactory(organization=OrganizationFactory())
    admin_client.get(LIST_URL)
    with_one = count_queries(admin_client, LIST_URL)
    InteractionFactory.create_batch(2, organization=OrganizationFactory())
    assert count_queries(admin_client, LIST_URL) == with_one


def test_interactions_moved_by_a_merge_get_a_history_row_naming_it(admin_user):
    from duplicates.merging import merge_organizations, merge_people

    survivor, duplicate = PersonFactory(full_name="Rose Example"), PersonFactory(full_name="Rose Exampel")
    moved = InteractionFactory(person=duplicate, summary="Met the duplicate record")
    kept = InteractionFactory(person=survivor)
    merge_people(survivor, duplicate, by=admin_user)

    moved.refresh_from_db()
    assert moved.person == survivor
    latest = moved.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_type, latest.history_user, latest.person_id) == ("~", admin_user, survivor.pk)
    assert latest.history_change_reason == f"Moved from {duplicate} (merged)"
    assert [row.history_type for row in kept.history.all()] == ["+"]  # the survivor's own stay as they were

    home, twin = OrganizationFactory(name="Ministry A"), OrganizationFactory(name="Ministry A (copy)")
    visit = InteractionFactory(person=None, organization=twin)
    merge_organizations(home, twin, by=admin_user)
    visit.refresh_from_db()
    assert visit.organization == home
    latest = visit.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_type, latest.history_user, latest.organization_id) == ("~", admin_user, home.pk)

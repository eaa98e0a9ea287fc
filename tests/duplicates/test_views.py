"""The admin pages: possible duplicates (query count, permission, "not a duplicate") and the merge page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conference.models import Appearance
from partners.models import ContactMethod, Organization, Person, PersonExpertise
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    ContactMethodFactory,
    OrganizationFactory,
    PersonFactory,
    make_area,
)

pytestmark = pytest.mark.django_db

DUPLICATES_URL = "admin:partners_person_duplicates"
MERGE_URL = "admin:partners_person_merge"


@pytest.fixture
def editor_client(client, role_user):
    client.force_login(role_user("Editor"))
    client.cookies["django_language"] = "en"
    return client


NAMES = [("Rose Mukhar", "Mukhar, Rose"), ("Kanesha Jean Baptiste", "Jean-Baptiste, Kanesha"), ("王小明", "王 小明")]


def make_pairs(count):
    pairs = []
    for name, other in NAMES[:count]:
        first, second = PersonFactory(full_name=name), PersonFactory(full_name=other)
        AffiliationFactory(person=first)
        ContactMethodFactory(person=second)
        pairs.append((first, second))
    return pairs


def test_duplicates_page_lists_pairs_with_score_and_why(editor_client):
    strong = PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")
    for person in strong:
        ContactMethodFactory(person=person, value="rose@example.org")
    weak = PersonFactory(full_name="Kanesha Lenore Jean-Baptiste"), PersonFactory(full_name="Kanesha Jean Baptiste")

    response = editor_client.get(reverse(DUPLICATES_URL))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row["pair"].first_id, row["pair"].second_id) for row in rows] == [
        (strong[0].pk, strong[1].pk),
        (weak[0].pk, weak[1].pk),
    ]
    content = response.content.decode()
    assert "same e-mail rose@example.org" in content
    assert "same name but for a middle name" in content


def test_duplicates_page_query_count_is_constant_in_the_pairs_shown(editor_client):
    make_pairs(1)
    with CaptureQueriesContext(connection) as one:
        assert editor_client.get(reverse(DUPLICATES_URL)).status_code == 200
    Person.objects.all().delete()
    make_pairs(3)
    with CaptureQueriesContext(connection) as three:
        response = editor_client.get(reverse(DUPLICATES_URL))

    assert len(response.context["rows"]) == 3
    assert len(three) == len(one)


def test_organization_duplicates_page_query_count_is_constant(editor_client):
    OrganizationFactory(name="Office for Victims of Crime", name_zh="")
    OrganizationFactory(name="OVC", name_zh="")
    url = reverse("admin:partners_organization_duplicates")
    with CaptureQueriesContext(connection) as one:
        assert editor_client.get(url).status_code == 200
    for name, other, domain in [("Polaris Project", "Polaris", "polaris.example"), ("Shelter", "Haven", "h.example")]:
        OrganizationFactory(name=name, name_zh="", website=f"https://{domain}")
        OrganizationFactory(name=other, name_zh="", website=f"https://www.{domain}/x")
    with CaptureQueriesContext(connection) as three:
        response = editor_client.get(url)

    assert len(response.context["rows"]) == 3
    assert len(three) == len(one)


def test_not_a_duplicate_is_remembered(editor_client):
    first, second = PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")
    url = reverse(DUPLICATES_URL)

    response = editor_client.post(url, {"first": first.pk, "second": second.pk})

    assert response.status_code == 302
    assert editor_client.get(url).context["rows"] == []


@pytest.mark.parametrize("url_name", [DUPLICATES_URL, MERGE_URL, "admin:partners_organization_duplicates"])
def test_pages_refuse_users_without_the_merge_permission(client, role_user, url_name):
    first, second = PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")
    client.force_login(role_user("Viewer"))

    response = client.get(reverse(url_name), {"survivor": first.pk, "duplicate": second.pk})

    assert response.status_code == 403


def test_merge_post_refused_without_the_permission(client, role_user):
    first, second = PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")
    client.force_login(role_user("Viewer"))

    response = client.post(reverse(MERGE_URL), {"survivor": first.pk, "duplicate": second.pk, "merge": "1"})

    assert response.status_code == 403
    assert Person.objects.count() == 2


def test_editor_and_coordinator_hold_the_merge_permission(role_user):
    assert role_user("Editor").has_perm("partners.merge_person")
    assert role_user("Coordinator").has_perm("partners.merge_person")
    assert not role_user("Viewer").has_perm("partners.merge_person")


def test_a_hidden_sensitive_person_answers_404(editor_client):
    visible = PersonFactory(full_name="Rose Mukhar")
    hidden = PersonFactory(full_name="Mukhar, Rose", sensitive=True)

    page = editor_client.get(reverse(MERGE_URL), {"survivor": visible.pk, "duplicate": hidden.pk})
    post = editor_client.post(reverse(MERGE_URL), {"survivor": visible.pk, "duplicate": hidden.pk, "merge": "1"})
    mark = editor_client.post(reverse(DUPLICATES_URL), {"first": visible.pk, "second": hidden.pk})

    assert (page.status_code, post.status_code, mark.status_code) == (404, 404, 404)
    assert Person.objects.count() == 2
    assert editor_client.get(reverse(DUPLICATES_URL)).context["rows"] == []


def test_merge_page_shows_both_records_with_defaults_from_the_more_recently_confirmed(editor_client):
    import datetime as dt

    older = PersonFactory(full_name="Rose Mukhar", bio="", last_confirmed=dt.date(2022, 3, 15), honorific="Ms.")
    newer = PersonFactory(full_name="Mukhar, Rose", bio="Works on T visas", last_confirmed=dt.date(2024, 5, 1))
    ContactMethodFactory(person=older, value="rose@old.example")
    ContactMethodFactory(person=newer, value="rose@new.example")

    response = editor_client.get(reverse(MERGE_URL), {"survivor": older.pk, "duplicate": newer.pk})

    assert response.status_code == 200
    defaults = {field.name: field.default for field in response.context["fields"]}
    assert (defaults["full_name"], defaults["bio"], defaults["honorific"], defaults["primary_email"]) == (
        "duplicate",
        "duplicate",
        "survivor",
        "duplicate",
    )
    assert "rose@old.example" in response.content.decode()


def test_editor_merges_two_records_of_one_speaker(editor_client):
    survivor, duplicate = PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")
    ContactMethodFactory(person=survivor, value="rose@old.example")
    ContactMethodFactory(person=duplicate, value="rose@better.example")
    AffiliationFactory(person=survivor, title="Advocate")
    AffiliationFactory(person=duplicate, title="Director")
    first_talk, second_talk = AppearanceFactory(person=survivor), AppearanceFactory(person=duplicate)
    area, other_area = make_area("Protection"), make_area("Technology")
    PersonExpertise.objects.create(person=survivor, area=area, appearance=first_talk)
    PersonExpertise.objects.create(person=duplicate, area=other_area, appearance=second_talk)

    response = editor_client.post(
        reverse(MERGE_URL),
        {
            "survivor": survivor.pk,
            "duplicate": duplicate.pk,
            "survivor_version": 1,
            "duplicate_version": 1,
            "choice_full_name": "survivor",
            "choice_primary_email": "duplicate",
            "merge": "1",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:partners_person_change", args=[survivor.pk])
    assert list(Person.objects.values_list("pk", "full_name")) == [(survivor.pk, "Rose Mukhar")]
    assert sorted(Appearance.objects.filter(person=survivor).values_list("pk", flat=True)) == [
        first_talk.pk,
        second_talk.pk,
    ]
    assert PersonExpertise.objects.filter(person=survivor).count() == 2
    assert sorted(survivor.affiliations.values_list("title", flat=True)) == ["Advocate", "Director"]
    assert survivor.contact_methods.get(is_primary=True).value == "rose@better.example"
    assert ContactMethod.objects.filter(person=survivor).count() == 2
    history = editor_client.get(reverse("admin:partners_person_history", args=[survivor.pk]))
    assert "Merged with Mukhar, Rose" in history.content.decode()


def test_stale_merge_is_refused_and_changes_nothing(editor_client):
    survivor, duplicate = PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")
    data = {"survivor": survivor.pk, "duplicate": duplicate.pk, "survivor_version": 1, "duplicate_version": 1}
    duplicate.version = 2
    duplicate.save()

    response = editor_client.post(reverse(MERGE_URL), {**data, "merge": "1"})

    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_merge_organizations_from_the_page(editor_client):
    survivor = OrganizationFactory(name="Office for Victims of Crime", acronym="")
    duplicate = OrganizationFactory(name="OVC", acronym="OVC")
    AffiliationFactory(organization=duplicate)

    page = editor_client.get(
        reverse("admin:partners_organization_merge"), {"survivor": survivor.pk, "duplicate": duplicate.pk}
    )
    response = editor_client.post(
        reverse("admin:partners_organization_merge"),
        {
            "survivor": survivor.pk,
            "duplicate": duplicate.pk,
            "survivor_version": survivor.version,
            "duplicate_version": duplicate.version,
            "choice_name": "survivor",
            "choice_acronym": "duplicate",
            "merge": "1",
        },
    )

    assert (page.status_code, response.status_code) == (200, 302)
    assert list(Organization.objects.values_list("name", "acronym")) == [("Office for Victims of Crime", "OVC")]
    assert survivor.affiliations.count() == 1


def test_admin_action_merges_the_two_selected(editor_client):
    first, second = PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")
    third = PersonFactory()
    url = reverse("admin:partners_person_changelist")

    two = editor_client.post(url, {"action": "merge_selected", "_selected_action": [second.pk, first.pk]})
    three = editor_client.post(
        url, {"action": "merge_selected", "_selected_action": [first.pk, second.pk, third.pk]}, follow=True
    )

    assert two.status_code == 302
    assert two.url == reverse(MERGE_URL) + f"?survivor={first.pk}&duplicate={second.pk}"
    assert "Select exactly two records to merge." in three.content.decode()


def test_changelists_link_to_possible_duplicates(editor_client):
    for model in ("person", "organization"):
        response = editor_client.get(reverse(f"admin:partners_{model}_changelist"))
        assert reverse(f"admin:partners_{model}_duplicates") in response.content.decode()

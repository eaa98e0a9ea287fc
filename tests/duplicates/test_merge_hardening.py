"""Red team items 8 and 9: the merge's optimistic lock is required; the merge page's counts honour protection."""

import pytest
from django.urls import reverse

from partners.models import Organization, Person
from tests.factories import AffiliationFactory, AppearanceFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PERSON_MERGE_URL = reverse("admin:partners_person_merge")
ORGANIZATION_MERGE_URL = reverse("admin:partners_organization_merge")


@pytest.fixture
def editor_client(client, role_user):
    client.force_login(role_user("Editor"))
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    "left_out", [("survivor_version",), ("duplicate_version",), ("survivor_version", "duplicate_version")]
)
def test_a_merge_without_the_versions_seen_is_refused(editor_client, left_out):
    survivor, duplicate = PersonFactory(full_name="Rose Mukhar"), PersonFactory(full_name="Mukhar, Rose")
    data = {"survivor": survivor.pk, "duplicate": duplicate.pk, "survivor_version": 1, "duplicate_version": 1}
    for key in left_out:
        del data[key]

    response = editor_client.post(PERSON_MERGE_URL, {**data, "merge": "1"}, follow=True)

    assert Person.objects.count() == 2
    assert response.redirect_chain[0][0] == PERSON_MERGE_URL + f"?survivor={survivor.pk}&duplicate={duplicate.pk}"
    assert "the page did not say which versions you saw" in response.content.decode()


def test_an_organization_merge_without_the_versions_seen_is_refused(editor_client):
    survivor, duplicate = OrganizationFactory(name="Office for Victims of Crime"), OrganizationFactory(name="OVC")

    editor_client.post(ORGANIZATION_MERGE_URL, {"survivor": survivor.pk, "duplicate": duplicate.pk, "merge": "1"})

    assert Organization.objects.count() == 2


def test_the_organization_merge_page_does_not_count_a_protected_persons_job_or_appearance(editor_client, role_user):
    survivor, duplicate = OrganizationFactory(name="Office for Victims of Crime"), OrganizationFactory(name="OVC")
    protected = PersonFactory(full_name="Protected Speaker", sensitive=True)
    AffiliationFactory(person=protected, organization=duplicate)
    AppearanceFactory(person=protected, organization=duplicate)
    AffiliationFactory(person=PersonFactory(), organization=duplicate)
    query = {"survivor": survivor.pk, "duplicate": duplicate.pk}

    page = editor_client.get(ORGANIZATION_MERGE_URL, query)
    editor_client.force_login(role_user("Editor", sensitive=True))
    sensitive_page = editor_client.get(ORGANIZATION_MERGE_URL, query)

    links = {str(label): (mine, theirs) for label, mine, theirs in page.context["links"]}
    sensitive_links = {str(label): (mine, theirs) for label, mine, theirs in sensitive_page.context["links"]}
    assert (links["people working there"], links["appearances"]) == ((0, 1), (0, 0))
    assert (sensitive_links["people working there"], sensitive_links["appearances"]) == ((0, 2), (0, 1))

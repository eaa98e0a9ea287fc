"""Every admin page renders for a superuser in both languages; list pages cost a constant number of queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import ContactMethod, PersonExpertise
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AttendanceFactory,
    CandidacyFactory,
    ContactMethodFactory,
    OrganizationFactory,
    WorkshopFactory,
    make_area,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hant", "en"]


def build_graph(count=1, workshop=None, area=None):
    """``count`` speakers, each with everything a person can have."""
    area = area or make_area("Protection", name_zh="保護")
    workshop = workshop or WorkshopFactory()
    people = []
    for _ in range(count):
        affiliation = AffiliationFactory(organization=OrganizationFactory(parent=OrganizationFactory()))
        person = affiliation.person
        ContactMethodFactory(person=person)
        ContactMethodFactory(person=person, kind=ContactMethod.Kind.PHONE, value="+12025550143")
        appearance = AppearanceFactory(person=person)
        appearance.session.topics.add(area)
        appearance.session.event.themes.add(area)
        AttendanceFactory(event=appearance.session.event, session=appearance.session)
        PersonExpertise.objects.create(person=person, area=area, appearance=appearance)
        CandidacyFactory(workshop=workshop, person=person)
        person.languages.add("en", "es")
        people.append(person)
    return people


def registered_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in {"partners", "conference"}),
        key=lambda m: m._meta.label,
    )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_changelist_add_and_change_page_renders(admin_client, language):
    build_graph(2)
    admin_client.cookies["django_language"] = language
    for model in registered_models():
        changelist = admin_client.get(admin_url(model, "changelist"))
        assert changelist.status_code == 200, (model, "changelist")
        assert changelist.headers["Content-Language"] == language
        if admin.site._registry[model].has_add_permission(changelist.wsgi_request):
            assert admin_client.get(admin_url(model, "add")).status_code == 200, (model, "add")
        instance = model._default_manager.first()
        if instance is not None:
            response = admin_client.get(admin_url(model, "change", instance.pk))
            assert response.status_code == 200, (model, "change")


def test_index_and_person_history_render(admin_client):
    person = build_graph(1)[0]
    assert admin_client.get(reverse("admin:index")).status_code == 200
    assert admin_client.get(admin_url(type(person), "history", person.pk)).status_code == 200


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    area = make_area("Protection", name_zh="保護")
    workshop = WorkshopFactory()
    build_graph(1, workshop=workshop, area=area)
    url = admin_url(model, "changelist")
    with_one = count_queries(admin_client, url)
    build_graph(2, workshop=workshop, area=area)
    with_three = count_queries(admin_client, url)
    assert with_three == with_one, f"{model._meta.label}: {with_one} queries for 1 row, {with_three} for 3"


def test_person_changelist_shows_current_organization_email_and_expertise(admin_client):
    person = build_graph(1)[0]
    admin_client.cookies["django_language"] = "en"
    response = admin_client.get(admin_url(type(person), "changelist"))
    content = response.content.decode()
    assert person.full_name in content
    assert person.contact_methods.get(kind="email").value in content
    assert "保護 Protection" in content


def test_expertise_filter_finds_a_person_whose_area_sits_below(admin_client):
    from tests.factories import PersonFactory

    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟")
    t_visa = make_area("T visa", parent=relief, name_zh="T 簽證")
    holder = PersonFactory(full_name="Visa Expert")
    PersonExpertise.objects.create(person=holder, area=t_visa, note="spoke on it")
    PersonFactory(full_name="Someone Else")

    response = admin_client.get(
        reverse("admin:partners_person_changelist"), {"expertise_links__area__under": relief.pk}
    )
    assert list(response.context["cl"].result_list) == [holder]


def test_person_search_matches_chinese_name_and_organization(admin_client):
    person = build_graph(1)[0]
    organization = person.affiliations.get().organization
    url = reverse("admin:partners_person_changelist")
    assert list(admin_client.get(url, {"q": person.name_zh}).context["cl"].result_list) == [person]
    assert list(admin_client.get(url, {"q": organization.name_zh}).context["cl"].result_list) == [person]


def test_language_switch_changes_the_admin_language(admin_client):
    index = reverse("admin:index")
    assert "國際夥伴" in admin_client.get(index).content.decode()
    response = admin_client.post(reverse("set_language"), {"language": "en", "next": index})
    assert response.status_code == 302
    content = admin_client.get(index).content.decode()
    assert "Partners" in content
    assert 'value="zh-hant"' in content


def test_person_page_query_count_does_not_grow_with_jobs_and_areas(admin_client):
    """Inline rows show their organization and area from the rows' own query, not one query each."""
    (person,) = build_graph(1)
    url = admin_url(type(person), "change", person.pk)
    admin_client.get(url)  # the first request also caches content types
    with_one = count_queries(admin_client, url)
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟")
    for number in range(2):
        AffiliationFactory(person=person, organization=OrganizationFactory(name=f"Extra Org {number}", acronym="EO"))
        area = make_area(f"Relief area {number}", parent=relief, name_zh=f"救濟{number}")
        PersonExpertise.objects.create(person=person, area=area, note="from a report")
    response = admin_client.get(url)
    with_three = count_queries(admin_client, url)
    assert with_three == with_one, f"{with_one} queries for one job and area, {with_three} for three"
    content = response.content.decode()
    # The selected options are there, labelled as the autocomplete labels them.
    assert (
        '<option value="{}" selected>Extra Org 1 (EO)</option>'.format(
            person.affiliations.get(organization__name="Extra Org 1").organization_id
        )
        in content
    )
    assert f'<option value="{area.pk}" selected>救濟1 Relief area 1</option>' in content

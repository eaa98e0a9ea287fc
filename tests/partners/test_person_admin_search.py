"""The person list's tuned search and filters (partners/admin.py) find the same people as before, faster."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conference.admin import SpokeAtListFilter
from partners.models import ContactMethod, PersonExpertise
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    ContactMethodFactory,
    OrganizationFactory,
    PersonFactory,
    make_area,
)

pytestmark = pytest.mark.django_db

URL = "admin:partners_person_changelist"


def found(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_every_word_must_match_a_name_an_organization_or_a_contact(admin_client):
    unhcr = OrganizationFactory(name="United Nations High Commissioner for Refugees", acronym="UNHCR")
    mei = AffiliationFactory(
        person=PersonFactory(full_name="Mei-ling Chen", name_zh="陳美玲"), organization=unhcr
    ).person
    other_chen = PersonFactory(full_name="Wei Chen", name_zh="陳偉")
    ContactMethodFactory(person=other_chen, value="wei.chen@example.org")

    assert found(admin_client, q="chen unhcr") == [mei]
    assert found(admin_client, q="陳美玲") == [mei]
    assert found(admin_client, q="wei.chen@example") == [other_chen]
    assert found(admin_client, q="chen") == [mei, other_chen]
    assert found(admin_client, q='"mei-ling chen"') == [mei]


def test_a_person_matching_through_several_rows_is_listed_once(admin_client):
    person = PersonFactory(full_name="Rose Example")
    for number in range(3):
        AffiliationFactory(person=person, organization=OrganizationFactory(name=f"Rose Foundation {number}"))
        ContactMethodFactory(person=person, kind=ContactMethod.Kind.EMAIL, value=f"rose{number}@example.org",
                             is_primary=number == 0)  # fmt: skip

    assert found(admin_client, q="rose") == [person]


def test_search_never_shows_sensitive_people_to_those_not_allowed(client, make_user):
    PersonFactory(full_name="Hidden Survivor", sensitive=True)
    visible = PersonFactory(full_name="Open Survivor Advocate")
    client.force_login(make_user("viewer", "partners.view_person"))

    assert found(client, q="survivor") == [visible]


def test_expertise_filter_needs_no_distinct_and_lists_each_person_once(admin_client):
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟")
    t_visa = make_area("T visa", parent=relief, name_zh="T 簽證")
    u_visa = make_area("U visa", parent=relief, name_zh="U 簽證")
    holder = PersonFactory(full_name="Visa Expert")
    PersonExpertise.objects.create(person=holder, area=t_visa, note="spoke on it")
    PersonExpertise.objects.create(person=holder, area=u_visa, note="wrote on it")
    PersonFactory(full_name="Someone Else")

    with CaptureQueriesContext(connection) as queries:
        people = found(admin_client, expertise_links__area__under=relief.pk)

    assert people == [holder]
    assert not any("DISTINCT" in query["sql"] for query in queries.captured_queries)


def test_spoke_at_filter_offers_the_events_visible_people_spoke_at(client, make_user):
    first, second = AppearanceFactory(), AppearanceFactory()
    AppearanceFactory(person=PersonFactory(sensitive=True))
    client.force_login(make_user("viewer", "partners.view_person"))

    response = client.get(reverse(URL))
    (spoke_at,) = [spec for spec in response.context["cl"].filter_specs if isinstance(spec, SpokeAtListFilter)]

    events = [first.session.event, second.session.event]
    assert sorted(pk for pk, _label in spoke_at.lookup_choices) == sorted(event.pk for event in events)
    assert found(client, appearances__session__event__id__exact=events[0].pk) == [first.person]


def test_list_columns_show_current_jobs_the_primary_email_and_each_area_once(admin_client):
    person = PersonFactory(full_name="Column Person", do_not_contact=True)
    AffiliationFactory(person=person, organization=OrganizationFactory(name="Now Org", acronym="NO"))
    AffiliationFactory(person=person, organization=OrganizationFactory(name="Past Org"), is_current=False)
    ContactMethodFactory(person=person, value="second@example.org", is_primary=False)
    ContactMethodFactory(person=person, value="first@example.org", is_primary=True)
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟")
    PersonExpertise.objects.create(person=person, area=make_area("T visa", parent=relief, name_zh="T 簽證"), note="a")
    PersonExpertise.objects.create(person=person, area=relief, note="b")

    response = admin_client.get(reverse(URL))
    (shown,) = response.context["cl"].result_list
    model_admin = response.context["cl"].model_admin

    assert model_admin.current_organizations(shown) == "Now Org (NO)"
    assert model_admin.primary_email(shown) == "first@example.org"
    assert model_admin.expertise_list(shown) == "T 簽證 T visa; 法律及移民救濟 Legal and immigration relief"
    content = response.content.decode()
    change_url = reverse("admin:partners_person_change", args=[person.pk])
    assert f'<a href="{change_url}">Column Person</a>' in content
    assert 'src="/static/admin/img/icon-yes.svg" alt="True"' in content  # do not contact
    assert 'src="/static/admin/img/icon-no.svg" alt="False"' in content  # not sensitive


def test_country_and_event_filters_are_drop_downs_that_keep_the_other_parameters(admin_client):
    american = PersonFactory(full_name="Ann American", country="US")
    taiwanese = PersonFactory(full_name="Tai Wan", country="TW")
    stateless = PersonFactory(full_name="No Country", country="")
    appearance = AppearanceFactory(person=american)
    AppearanceFactory(person=taiwanese)  # a second event: a filter with one choice is not shown
    admin_client.cookies["django_language"] = "en"

    response = admin_client.get(reverse(URL), {"q": "a", "o": "1", "p": "1"})
    content = response.content.decode()
    assert '<select name="country__exact"' in content
    assert '<option value="TW">Taiwan</option>' in content
    assert '<select name="appearances__session__event__id__exact"' in content
    assert f'<option value="{appearance.session.event.pk}">{appearance.session.event}</option>' in content
    # Each drop-down's form carries the search and the ordering, not the page.
    forms = [part.split("</form>")[0] for part in content.split('<form method="get" class="dropdown-filter">')[1:]]
    assert len(forms) == 2
    for form in forms:
        assert '<input type="hidden" name="q" value="a">' in form
        assert '<input type="hidden" name="o" value="1">' in form
        assert 'name="p"' not in form

    assert found(admin_client, country__exact="US") == [american]
    chosen = admin_client.get(reverse(URL), {"country__exact": "US"}).content.decode()
    assert '<option value="US" selected>' in chosen
    country_form, event_form = [part.split("</form>")[0] for part in chosen.split('class="dropdown-filter">')[1:]]
    assert '<input type="hidden" name="country__exact" value="US">' not in country_form
    assert '<input type="hidden" name="country__exact" value="US">' in event_form
    # "All" submitted without JavaScript is an empty value: everyone, not the people without a country.
    assert stateless in found(admin_client, country__exact="") and american in found(admin_client, country__exact="")
    event = appearance.session.event
    assert found(admin_client, appearances__session__event__id__exact=event.pk, country__exact="US") == [american]
    assert found(admin_client, appearances__session__event__id__exact=event.pk, country__exact="TW") == []


def test_the_expertise_filter_costs_no_query_more_than_the_plain_list(admin_client):
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟")
    visas = make_area("Visas", parent=relief)
    t_visa = make_area("T visa", parent=visas, name_zh="T 簽證")  # below the two levels the sidebar lists
    holder = PersonFactory(full_name="Visa Expert")
    PersonExpertise.objects.create(person=holder, area=t_visa, note="spoke on it")
    PersonFactory(full_name="Someone Else")
    admin_client.get(reverse(URL))  # content types and the like, cached from here on

    counts = {}
    for name, params in {"plain": {}, "top": {"expertise_links__area__under": relief.pk},
                         "deep": {"expertise_links__area__under": t_visa.pk}}.items():  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse(URL), params)
        counts[name] = len(queries.captured_queries)
        if name != "plain":
            assert list(response.context["cl"].result_list) == [holder]
    # 11: one more than before two-step sign-in (the device that passed the second step).
    assert counts["plain"] == counts["top"] == counts["deep"] <= 11, counts
    assert f'href="?expertise_links__area__under={t_visa.pk}"' in response.content.decode()  # listed when chosen
    assert admin_client.get(reverse(URL), {"expertise_links__area__under": 999999}).url.endswith("?e=1")


def test_row_links_keep_the_lists_filters_for_the_way_back(admin_client):
    person = PersonFactory(full_name="Ann American", country="US")

    content = admin_client.get(reverse(URL), {"country__exact": "US", "q": "ann"}).content.decode()
    change_url = reverse("admin:partners_person_change", args=[person.pk])
    assert f'<a href="{change_url}?_changelist_filters=country__exact%3DUS%26q%3Dann">' in content
    assert f'<a href="{change_url}">' in admin_client.get(reverse(URL)).content.decode()

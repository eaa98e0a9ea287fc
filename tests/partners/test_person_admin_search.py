"""The person list's tuned search and filters (partners/admin.py) find the same people as before, faster."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.admin import SpokeAtListFilter
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

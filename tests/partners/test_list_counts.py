"""The organization list's country column and the person list's count (issue 20, item 4)."""

from unittest import mock

import pytest
from django.db import connection
from django.utils import translation
from django_countries import Countries

from partners import countries
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_organization_list_country_names_not_built_for_each_row(admin_client, django_assert_num_queries):
    built = {}
    original = Countries.__iter__

    for count in (1, 3):
        OrganizationFactory.create_batch(count if count == 1 else 2, country="TW")
        countries._choices_in.cache_clear()
        countries._names_in.cache_clear()
        built[count] = 0

        def counting_iter(self, count=count):
            built[count] += 1
            return original(self)

        with mock.patch.object(Countries, "__iter__", counting_iter), django_assert_num_queries(7):
            response = admin_client.get("/admin/partners/organization/")
        assert response.status_code == 200
        assert response.context["cl"].result_count == count
        with translation.override("zh-hant"):
            taiwan = countries.country_name("TW")
        assert response.content.decode().count(f'<td class="field-country_name">{taiwan}</td>') == count
    # The country filter's choices and the names table: as many for 3 rows as for 1 (the
    # "country" field in list_display built the 250 choices again for every row).
    assert built[1] == built[3]


def test_person_list_counts_exactly_when_small_or_not_postgresql(admin_client):
    PersonFactory.create_batch(3)

    response = admin_client.get("/admin/partners/person/")

    assert response.context["cl"].result_count == 3
    assert response.context["cl"].result_count_is_estimate is False
    assert "3 " in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_unfiltered_person_list_shows_the_planner_estimate_as_such(admin_client, settings):
    settings.LIAISON_ESTIMATED_COUNT_FROM = 10
    PersonFactory.create_batch(30, country="US")
    PersonFactory.create_batch(2, country="TW")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_person")

    everyone = admin_client.get("/admin/partners/person/")
    filtered = admin_client.get("/admin/partners/person/", {"country": "TW"})
    searched = admin_client.get("/admin/partners/person/", {"q": "zzzz-nobody"})

    assert everyone.context["cl"].result_count_is_estimate is True
    assert 25 <= everyone.context["cl"].result_count <= 40
    assert "約 " in everyone.content.decode()  # "about N people", in the page's language
    assert (filtered.context["cl"].result_count_is_estimate, filtered.context["cl"].result_count) == (False, 2)
    assert (searched.context["cl"].result_count_is_estimate, searched.context["cl"].result_count) == (False, 0)

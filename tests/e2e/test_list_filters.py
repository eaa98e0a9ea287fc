"""The person list's drop-down filters (country, spoke at) in a real browser: choosing submits,
"All" removes the filter, and the page's script runs under the Content-Security-Policy."""

import pytest

from tests.factories import AppearanceFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_choosing_a_country_filters_the_list_and_all_clears_it(page, login):
    PersonFactory(full_name="Ann American", country="US")
    taiwanese = PersonFactory(full_name="Tai Wan", country="TW")
    AppearanceFactory(person=taiwanese)
    AppearanceFactory(person=PersonFactory(full_name="Phil Speaker", country="PH"))
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)
    login(UserFactory(username="admin", is_superuser=True))

    page.goto("/admin/partners/person/?q=a")
    with page.expect_navigation():
        page.select_option("select[name=country__exact]", "TW")
    assert "country__exact=TW" in page.url and "q=a" in page.url
    assert page.locator("#result_list tbody tr").all_inner_texts()[0].count("Tai Wan") == 1
    assert page.locator("#result_list tbody tr").count() == 1

    event = taiwanese.appearances.get().session.event
    with page.expect_navigation():
        page.select_option("select[name=appearances__session__event__id__exact]", str(event.pk))
    assert f"appearances__session__event__id__exact={event.pk}" in page.url and "country__exact=TW" in page.url

    with page.expect_navigation():
        page.select_option("select[name=country__exact]", "")
    assert "country__exact" not in page.url
    assert page.locator("#result_list tbody tr").count() == 1  # still the event's speaker with an "a"
    assert violations == []

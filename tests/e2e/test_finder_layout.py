"""The candidate finder's layout in Chromium: at 1366 px its results and its filter panel side by side, never
overlapping, in both languages; at 390 px the filters first and no sideways scrolling."""

import datetime as dt

import pytest
from django.core.management import call_command

from conference.models import Event
from partners.models import ExpertiseArea
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def finder_url():
    call_command("loaddata", "fnusa_2022", verbosity=0)
    workshop = Event.objects.create(
        kind=Event.Kind.WORKSHOP,
        name="Workshop on victim protection and immigration relief",
        name_zh="被害人保護及移民救濟工作坊",
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 3, 2),
        time_zone="Asia/Taipei",
        country="TW",
    )
    workshop.themes.add(
        *ExpertiseArea.objects.filter(code__in=["protection", "immigration-relief", "cultural-humility"])
    )
    return f"/candidates/?workshop={workshop.pk}"


def overlap(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_at_1366_px_the_results_and_the_filters_do_not_overlap(page, login, finder_url, language):
    login(UserFactory(username="planner", is_superuser=True))
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(finder_url)

    table = page.locator("#result_list").bounding_box()
    filters = page.locator("#changelist-filter").bounding_box()
    assert page.locator("#result_list tbody tr").count() >= 6
    assert not overlap(table, filters)
    assert table["x"] + table["width"] <= filters["x"]
    # Every column header is inside the table's own box and no two run together.
    headers = [box for box in (th.bounding_box() for th in page.locator("#result_list thead th").all()) if box]
    for left, right in zip(headers, headers[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"] + 0.5
    assert headers[-1]["x"] + headers[-1]["width"] <= filters["x"]
    # Six candidates fit on the first screen.
    visible = page.evaluate(
        "Array.from(document.querySelectorAll('#result_list tbody tr'))"
        ".filter(row => row.getBoundingClientRect().bottom <= window.innerHeight).length"
    )
    assert visible >= 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_at_390_px_the_filters_come_first_and_nothing_scrolls_sideways(page, login, finder_url, language):
    login(UserFactory(username="planner", is_superuser=True))
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(finder_url)

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    filters = page.locator("#changelist-filter").bounding_box()
    table = page.locator("#result_list").bounding_box()
    assert filters["y"] + filters["height"] <= table["y"]
    assert table["x"] >= 0 and table["x"] + table["width"] <= 390
    page.click(".candidate-skip a")
    assert page.evaluate("window.scrollY") > 0

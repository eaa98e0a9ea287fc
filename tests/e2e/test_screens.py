"""Any screen: a person's page and the printable sheet at 390 px without sideways scrolling of the page;
the event page's inline tables at 1366 px scroll inside their own box; the event list's country filter is
one drop-down, not 250 links."""

import pytest
from django.core.management import call_command

from conference.models import Event
from partners.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def seeded(login):
    call_command("loaddata", "fnusa_2022", verbosity=0)
    return login(UserFactory(username="officer", is_superuser=True))


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_a_persons_page_and_the_printable_sheet_fit_a_phone(page, seeded, language):
    if language == "en":
        page.click(".language-switch button[value=en]")
    page.set_viewport_size({"width": 390, "height": 844})
    person = Person.objects.filter(affiliations__isnull=False).order_by("pk").first()

    for url in (f"/admin/partners/person/{person.pk}/change/", "/contact-sheet/"):
        page.goto(url)
        scroll_width, width = page.evaluate(PAGE_WIDTH)
        assert scroll_width <= width, f"{url} scrolls sideways at 390 px ({scroll_width} px wide)"
    # The sheet's people are cards: each one's cells stacked, none beside another.
    first_row = page.locator(".contact-sheet tbody tr").first
    boxes = [cell.bounding_box() for cell in first_row.locator("td").all()]
    assert [box["x"] for box in boxes] == [boxes[0]["x"]] * len(boxes)


def test_the_event_pages_inline_tables_scroll_in_their_own_box_at_1366(page, seeded):
    page.set_viewport_size({"width": 1366, "height": 900})
    event = Event.objects.filter(kind=Event.Kind.CONFERENCE).order_by("pk").first()

    page.goto(f"/admin/conference/event/{event.pk}/change/")

    scroll_width, width = page.evaluate(PAGE_WIDTH)
    assert scroll_width <= width
    box = page.locator("#sessions-group fieldset.module")
    assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= width


def test_the_event_lists_country_filter_is_one_drop_down(page, seeded):
    page.goto("/admin/conference/event/")

    assert page.locator("#changelist-filter select[name=country__exact]").count() == 1
    assert page.locator("#changelist-filter a[href*='country__exact']").count() == 0

"""Journey 3: find candidates for a workshop, narrow them by an expertise picked by typing, tag three as
suitable in one step, see them on its page."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conference.models import Candidacy, Event
from partners.models import ExpertiseArea
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REASON = "Immigration-relief practitioners for the victim-protection workshop"


@pytest.fixture
def relief_workshop():
    call_command("loaddata", "fnusa_2022", verbosity=0)
    workshop = Event.objects.create(
        kind=Event.Kind.WORKSHOP,
        name="Workshop on immigration relief for victims",
        name_zh="被害人移民救濟工作坊",
        start_date=dt.date(2023, 9, 1),
        end_date=dt.date(2023, 9, 2),
        time_zone="Asia/Taipei",
        country="TW",
    )
    workshop.themes.add(ExpertiseArea.objects.get(code="legal-immigration-relief"))
    return workshop


def test_find_rank_and_tag_three_candidates(page, login, relief_workshop):
    login(UserFactory(username="coordinator", is_superuser=True))
    page.click(".language-switch button[value=en]")

    page.goto("/candidates/")
    page.select_option("#id_workshop", str(relief_workshop.pk))
    # The expertise picker searches the taxonomy as one types (select2), rather than listing every area.
    expertise = page.locator(".candidate-filter-expertise")
    expertise.locator(".select2-selection").click()
    expertise.locator(".select2-search__field").fill("T visa")
    page.locator(".select2-results__option", has_text="T visa").first.click()
    page.click("#changelist-filter input[type=submit]")

    t_visa = ExpertiseArea.objects.get(code="t-visa")
    expect(page).to_have_url(re.compile(rf"[?&]expertise={t_visa.pk}(&|$)"))
    expect(expertise.locator(".select2-selection__choice")).to_contain_text("T visa")  # still chosen
    rows = page.locator("#result_list tbody tr")
    expect(rows.first.locator(".candidate-why")).to_contain_text("T visa")
    for i in range(rows.count()):
        expect(rows.nth(i).locator(".candidate-why")).to_contain_text("T visa")  # only holders of the T visa
    expect(rows.first.locator(".candidate-why")).to_contain_text("Panelist:")
    names = [rows.nth(i).locator("th a").inner_text() for i in range(3)]
    scores = [int(rows.nth(i).locator(".candidate-score strong").inner_text()) for i in range(3)]
    assert scores == sorted(scores, reverse=True)

    for i in range(3):
        rows.nth(i).locator("input.action-select").check()
    page.click("button[form=tag-form]")

    page.check("input[name=suitability][value=suitable]")
    page.fill("textarea[name=reason]", REASON)
    page.click("input[type=submit].default")
    for name in names:
        expect(page.locator("#content")).to_contain_text(name)
    page.click("input[name=confirm]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    tagged = Candidacy.objects.filter(workshop=relief_workshop, suitability="suitable", reason=REASON)
    assert sorted(str(c.person) for c in tagged) == sorted(names)
    assert all(c.decided_by.username == "coordinator" for c in tagged)

    page.goto(f"/admin/conference/event/{relief_workshop.pk}/change/")
    for name in names:
        expect(page.locator("#content")).to_contain_text(name)
    expect(page.locator("#content")).to_contain_text("Suitable")

"""Journey: a coordinator writes a shortlist's letters and confirms them sent; an officer takes a trip report."""

import pytest
from docx import Document
from playwright.sync_api import expect

from conference.models import Candidacy, Event
from tests.factories import (
    AffiliationFactory,
    CandidacyFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Invented test people.
PEOPLE = [("Avery Example", "艾薇範例"), ("Blake Sample", "布雷克樣本"), ("Casey Placeholder", "凱西預留")]


@pytest.fixture
def shortlisted_workshop():
    workshop = WorkshopFactory(name="Example Workshop", name_zh="範例工作坊", venue="Example Hall")
    for name, name_zh in PEOPLE:
        person = PersonFactory(full_name=name, name_zh=name_zh)
        AffiliationFactory(person=person, title="Program Director", title_zh="計畫主任")
        CandidacyFactory(workshop=workshop, person=person, status=Candidacy.Status.SHORTLISTED)
    CandidacyFactory(
        workshop=workshop,
        person=PersonFactory(full_name="Dana Nocontact", do_not_contact=True),
        status=Candidacy.Status.SHORTLISTED,
    )
    return workshop


def test_letters_for_a_shortlist_then_marked_invited(page, login, shortlisted_workshop):
    login(UserFactory(username="planner", is_superuser=True))
    page.goto(f"/admin/conference/event/{shortlisted_workshop.pk}/change/")
    page.click('.object-tools a:text-is("邀請函")')
    expect(page.locator("#result_list tbody tr")).to_have_count(3)

    with page.expect_download() as download:
        page.click("input[name=download]")
    text = "\n".join(p.text for p in Document(download.value.path()).paragraphs)
    for name, name_zh in PEOPLE:
        assert name in text and name_zh in text
    assert "Dana Nocontact" not in text
    assert set(Candidacy.objects.values_list("status", flat=True)) == {Candidacy.Status.SHORTLISTED}

    page.check("#id_confirm")
    page.click("input[name=mark_invited]")
    page.wait_for_url(f"**/admin/conference/event/{shortlisted_workshop.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text("3")
    assert sorted(Candidacy.objects.values_list("status", flat=True)) == [
        Candidacy.Status.INVITED,
        Candidacy.Status.INVITED,
        Candidacy.Status.INVITED,
        Candidacy.Status.SHORTLISTED,
    ]


def test_trip_report_from_the_conference_page(page, login):
    session = SessionFactory(title="Opening Plenary", title_zh="開幕全體會議")
    conference = Event.objects.get(pk=session.event_id)
    login(UserFactory(username="officer", is_superuser=True))
    page.goto(f"/admin/conference/event/{conference.pk}/change/")

    with page.expect_download() as download:
        page.click('.object-tools a:text-is("出國報告（.docx）")')

    document = Document(download.value.path())
    assert document.paragraphs[0].text == conference.name_zh
    assert "開幕全體會議" in document.tables[1].rows[1].cells[2].text

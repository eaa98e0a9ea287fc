"""Journeys 1 and 2: log in and switch language; enter a new person in the admin."""

import re

import pytest
from playwright.sync_api import expect

from partners.models import ContactMethod, Person
from tests.factories import OrganizationFactory, UserFactory, make_area

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_log_in_and_switch_between_chinese_and_english(page, login):
    login(UserFactory(username="planner", is_superuser=True))
    expect(page.locator("#site-name")).to_contain_text("國際夥伴與講者聯絡管理")
    expect(page.locator("#content")).to_contain_text("國際夥伴")

    page.click(".language-switch button[value=en]")
    expect(page.locator("#site-name")).to_contain_text("partners and speakers")
    expect(page.locator("#content")).to_contain_text("Partners")

    page.click(".language-switch button[value=zh-hant]")
    expect(page.locator("#content")).to_contain_text("會議與工作坊")


def add_inline_row(page, prefix):
    page.click(f"#{prefix}-group .add-row a")
    return page.locator(f"#{prefix}-group tr.form-row.dynamic-{prefix}").last


def choose_with_autocomplete(page, row, field, text):
    row.locator(f"td.field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    option = page.locator(".select2-results__option", has_text=text).first
    option.click()


def fill_person(page, *, phone):
    page.goto("/admin/partners/person/add/")
    page.fill("#id_full_name", "Avery Example")
    page.fill("#id_name_zh", "艾薇範例")

    affiliation = add_inline_row(page, "affiliations")
    choose_with_autocomplete(page, affiliation, "organization", "Example Relief Network")
    affiliation.locator("td.field-title input").fill("Program Director")

    email = add_inline_row(page, "contact_methods")
    email.locator("td.field-kind select").select_option("email")
    email.locator("td.field-value input").fill("avery@example.org")
    email.locator("td.field-is_primary input").check()
    phone_row = add_inline_row(page, "contact_methods")
    phone_row.locator("td.field-kind select").select_option("phone")
    phone_row.locator("td.field-value input").fill(phone)
    phone_row.locator("td.field-is_primary input").check()

    for area in ("T visa", "Digital forensics"):
        row = add_inline_row(page, "expertise_links")
        choose_with_autocomplete(page, row, "area", area)
        row.locator("td.field-note textarea").fill("Spoke on it at an example meeting")

    page.click("input[name=_save]")


def test_enter_a_new_person_and_a_bad_phone_is_refused(page, login):
    relief = make_area("Legal and immigration relief", name_zh="法律及移民救濟", code="legal-relief")
    make_area("T visa", parent=relief, name_zh="T 簽證", code="t-visa")
    investigation = make_area("Prosecution and investigation", name_zh="追訴及查緝", code="prosecution")
    make_area("Digital forensics", parent=investigation, name_zh="數位鑑識", code="digital-forensics")
    OrganizationFactory(name="Example Relief Network", name_zh="範例救援網絡")
    login(UserFactory(username="editor", is_superuser=True))
    page.click(".language-switch button[value=en]")

    fill_person(page, phone="12345")
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#contact_methods-group .errorlist")).to_contain_text("“12345” is not a valid phone number")
    assert Person.objects.count() == 0
    assert ContactMethod.objects.count() == 0

    fill_person(page, phone="+1 202 555 0143")
    expect(page.locator(".messagelist .success")).to_be_visible()
    person = Person.objects.get()
    assert person.name_zh == "艾薇範例"
    assert person.affiliations.get().organization.name == "Example Relief Network"
    assert sorted(person.contact_methods.values_list("kind", "value")) == [
        ("email", "avery@example.org"),
        ("phone", "+12025550143"),
    ]
    assert sorted(person.expertise_links.values_list("area__code", flat=True)) == ["digital-forensics", "t-visa"]
    expect(page).to_have_url(re.compile(r"/admin/partners/person/$"))

"""Journey 5: import a spreadsheet with one possible duplicate and one bad row; fix the row; import it all."""

import csv
import io

import pytest
from playwright.sync_api import expect

from partners.models import Person
from tests.factories import AffiliationFactory, ContactMethodFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HEADER = [
    "Name (original)",
    "Chinese name",
    "Current title",
    "Organization (original)",
    "Country",
    "Primary e-mail",
    "Primary phone",
]


def spreadsheet(bad_phone):
    # Invented people; example.org addresses and fictional 555 numbers.
    rows = [
        ["Example, Rose", "", "Attorney", "Example Legal Aid", "US", "", "+1 202 555 0101"],
        ["Devon Sample", "戴文樣本", "Case Manager", "Example Shelter", "US", "devon@example.org", bad_phone],
        ["Emery Placeholder", "艾莫瑞", "Researcher", "Example Institute", "PH", "emery@example.org", ""],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return {"name": "colleague.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode("utf-8")}


def upload(page, file):
    page.goto("/admin/partners/person/import/")
    page.set_input_files("input[type=file]", files=[file])
    page.click("input[type=submit].default")


def test_preview_flags_the_duplicate_and_the_bad_row_then_imports_everything(page, login):
    stored = AffiliationFactory(
        person__full_name="Rose Example", person__name_zh="", organization=OrganizationFactory(name="Other Org")
    ).person
    ContactMethodFactory(person=stored, value="rose@example.org")
    login(UserFactory(username="desk-officer", is_superuser=True))
    page.click(".language-switch button[value=en]")

    upload(page, spreadsheet(bad_phone="12345"))
    errors = page.locator("#import-errors tr.import-error")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("Primary phone")
    expect(errors.first).to_contain_text("12345")
    expect(page.locator("#import-duplicates")).to_contain_text("Rose Example")
    expect(page.locator("button[value=confirm]")).to_have_count(0)
    assert Person.objects.count() == 1

    upload(page, spreadsheet(bad_phone="+1 202 555 0102"))
    expect(page.locator("#import-errors")).to_have_count(0)
    page.check(f"input[name='decision-2'][value='{stored.pk}']")
    page.click("button[value=confirm]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    assert sorted(Person.objects.values_list("full_name", flat=True)) == [
        "Devon Sample",
        "Emery Placeholder",
        "Rose Example",
    ]
    stored.refresh_from_db()
    assert sorted(stored.contact_methods.values_list("value", flat=True)) == ["+12025550101", "rose@example.org"]
    assert Person.objects.get(full_name="Devon Sample").contact_methods.get(kind="phone").value == "+12025550102"

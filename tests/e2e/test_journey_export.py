"""Journey 4: export a workshop's tagged candidates as XLSX and as vCard, and read both files back."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conference.models import Candidacy
from partners.models import ContactMethod, ExportPurpose
from tests.factories import (
    AffiliationFactory,
    CandidacyFactory,
    ContactMethodFactory,
    PersonFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Invented test people (example.org addresses, fictional 555 numbers).
PEOPLE = [
    ("Avery Example", "艾薇範例", "+12025550143"),
    ("Blake Sample", "布雷克樣本", "+12025550178"),
    ("Casey Placeholder", "凱西預留", "+886223889393"),
]


@pytest.fixture
def tagged_workshop():
    workshop = WorkshopFactory(name="Example Workshop", name_zh="範例工作坊")
    for index, (name, name_zh, phone) in enumerate(PEOPLE):
        person = PersonFactory(full_name=name, name_zh=name_zh)
        AffiliationFactory(person=person, title="Program Director", title_zh="計畫主任")
        ContactMethodFactory(person=person, value=f"person{index}@example.org")
        ContactMethodFactory(person=person, kind=ContactMethod.Kind.PHONE, value=phone)
        CandidacyFactory(
            workshop=workshop,
            person=person,
            suitability=Candidacy.Suitability.SUITABLE,
            reason="Fits the workshop's themes",
            status=Candidacy.Status.SHORTLISTED,
        )
    PersonFactory(full_name="Not A Candidate")
    # The purposes the administrators offer (a data migration makes them; an earlier flushing
    # browser test may have removed them).
    ExportPurpose.objects.get_or_create(name="Workshop invitation", defaults={"name_zh": "工作坊邀請"})
    return workshop


def export_selection(page, workshop, action):
    page.goto(f"/admin/conference/candidacy/?workshop__id__exact={workshop.pk}")
    page.check("#action-toggle")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    # Every export states its purpose first (privacy/purposes.py).
    page.select_option("#id_purpose", index=1)
    page.fill("#id_purpose_detail", "Invitations for the workshop")
    with page.expect_download() as download:
        page.click("#content-main input[type=submit]")
    return download.value


def test_export_tagged_candidates_as_xlsx_and_vcard(page, login, tagged_workshop):
    login(UserFactory(username="officer", is_superuser=True))
    page.click(".language-switch button[value=en]")

    xlsx = export_selection(page, tagged_workshop, "export_candidates_xlsx")
    assert xlsx.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    cells = {str(value) for row in body for value in row if value is not None}
    for name, name_zh, phone in PEOPLE:
        assert name in cells and name_zh in cells
        assert phone in cells, f"{phone} should be a text cell keeping its +"
    assert "Not A Candidate" not in cells
    suitability_column = next(i for i, title in enumerate(header) if "uitability" in str(title) or "合適" in str(title))
    assert [row[suitability_column] for row in body] == ["Suitable"] * 3

    vcard = export_selection(page, tagged_workshop, "export_candidates_vcf")
    assert vcard.suggested_filename.endswith(".vcf")
    text = Path(vcard.path()).read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 3
    for name, name_zh, phone in PEOPLE:
        assert name in text and name_zh in text
        assert phone in text
    page.click("text=Cancel")  # from the purpose form back to the list, as it was
    expect(page.locator("#result_list")).to_be_visible()

"""The Content-Security-Policy in a real browser: the admin's scripts (select2 autocomplete, inlines,
treebeard, simple-history) and the staff pages run, and the browser reports no violation."""

import pytest

from tests.factories import ContactMethodFactory, OrganizationFactory, UserFactory, WorkshopFactory, make_area

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def violations(page):
    """Every CSP violation the browser reports, from the console and from the page's own event."""
    reported = []
    page.on(
        "console",
        lambda message: reported.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return reported


def test_admin_and_staff_pages_run_under_the_policy(page, login, violations):
    relief = make_area("Legal and immigration relief", code="legal-relief")
    make_area("T visa", parent=relief, code="t-visa")
    OrganizationFactory(name="Example Relief Network")
    person = ContactMethodFactory().person
    workshop = WorkshopFactory()
    workshop.themes.add(relief)
    login(UserFactory(username="admin", is_superuser=True))

    # select2 autocomplete and dynamic inline rows
    page.goto(f"/admin/partners/person/{person.pk}/change/")
    page.click("#affiliations-group .add-row a")
    row = page.locator("#affiliations-group tr.form-row.dynamic-affiliations").last
    row.locator("td.field-organization .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Example Relief")
    page.locator(".select2-results__option", has_text="Example Relief Network").first.click()
    assert "Example Relief Network" in row.locator("td.field-organization").inner_text()

    # treebeard's tree, simple-history's pages, the staff pages
    for url in [
        "/admin/partners/expertisearea/",
        f"/admin/partners/person/{person.pk}/history/",
        f"/candidates/?workshop={workshop.pk}",
        f"/contact-sheet/?ids={person.pk}",  # the purpose form, then the sheet
        f"/contact-sheet/?ids={person.pk}&purpose_detail=Checking+the+page",
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")

    page.goto("/admin/partners/expertisearea/")
    assert page.locator("#result_list").count() == 1
    assert violations == []

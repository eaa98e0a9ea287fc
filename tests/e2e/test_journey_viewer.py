"""Journey 6: as a viewer, a protected speaker appears nowhere; edit (and, without the right, export) is absent."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conference.models import Session
from partners.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROTECTED = "Chulita"


@pytest.fixture
def seed():
    call_command("loaddata", "fnusa_2022", verbosity=0)
    return Person.objects.get(sensitive=True)


def body(page):
    return page.locator("body").inner_text()


def test_viewer_sees_no_trace_of_the_protected_speaker(page, login, role_user, seed):
    login(role_user("Viewer", username="posted-officer"))
    page.click(".language-switch button[value=en]")

    page.goto("/admin/partners/person/")
    assert PROTECTED not in body(page)
    expect(page.locator(".paginator")).to_contain_text("19")
    expect(page.locator(".object-tools a.addlink")).to_have_count(0)

    page.goto(f"/admin/partners/person/?q={PROTECTED}")
    expect(page.locator("#result_list")).to_have_count(0)

    session = Session.objects.get(appearances__person=seed)
    page.goto(f"/admin/conference/session/{session.pk}/change/")
    expect(page.locator("#content")).to_contain_text(re.compile("protected speaker", re.IGNORECASE))
    assert PROTECTED not in body(page)
    expect(page.locator("input[name=_save]")).to_have_count(0)

    response = page.goto(f"/admin/partners/person/{seed.pk}/change/")
    assert response.status == 404
    response = page.goto(f"/admin/partners/person/{seed.pk}/history/")
    assert response.status == 404

    page.goto(f"/candidates/?q={PROTECTED}")
    assert PROTECTED not in body(page)
    page.goto("/contact-sheet/")
    page.fill("#id_purpose_detail", "Briefing the post")  # every export states its purpose first
    page.click("#content-main input[type=submit]")
    expect(page.locator("body")).to_contain_text("Jean Bruggeman")
    assert PROTECTED not in body(page)

    page.goto("/admin/partners/person/")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "export_contact_sheet_csv")
    page.click("button[name=index]")
    page.fill("#id_purpose_detail", "Briefing the post")
    with page.expect_download() as download:
        page.click("#content-main input[type=submit]")
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Jean Bruggeman" in exported
    assert PROTECTED not in exported


def test_a_reader_without_the_export_right_gets_no_export_or_edit_controls(page, login, seed):
    from django.contrib.auth.models import Permission

    reader = UserFactory(username="reader")
    reader.user_permissions.add(*Permission.objects.filter(codename__in=["view_person", "view_session"]))
    login(reader)
    page.click(".language-switch button[value=en]")

    page.goto("/admin/partners/person/")
    options = page.locator("select[name=action] option").all_inner_texts()
    assert not [text for text in options if "xport" in text]
    expect(page.locator(".object-tools a.addlink")).to_have_count(0)
    assert page.goto("/contact-sheet/").status == 403
    page.goto(f"/admin/partners/person/{Person.objects.get(full_name='Jean Bruggeman').pk}/change/")
    expect(page.locator("input[name=_save]")).to_have_count(0)

"""Journey: an officer with sensitive access states a reason before a protected speaker's page; an
administrator reads it on that page, then erases a speaker on request from the person's page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conference.models import Appearance
from partners.models import Person
from privacy.models import AccessLog, ErasureRecord

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def seed():
    call_command("loaddata", "fnusa_2022", verbosity=0)
    return Person.objects.get(sensitive=True)


def test_reason_before_a_protected_record_then_the_access_log_and_an_erasure(page, login, role_user, seed):
    login(role_user("Administrator", username="records-officer", sensitive=True))
    page.click(".language-switch button[value=en]")

    page.goto(f"/admin/partners/person/{seed.pk}/change/")
    expect(page.locator("h1")).to_have_text("Reason for viewing a protected record")
    expect(page.locator("#content")).not_to_contain_text(seed.full_name)
    page.fill("#id_reason", "Checking the survivor panel's record")
    page.click("text=Continue to the record")

    expect(page.locator("#id_full_name")).to_have_value(seed.full_name)
    log = page.locator("#access_log-group")
    expect(log).to_contain_text("Checking the survivor panel's record")
    expect(log).to_contain_text("records-officer")
    assert AccessLog.objects.filter(person=seed, view="page").count() == 1

    speaker = Person.objects.filter(sensitive=False, appearances__isnull=False).first()
    appearances = Appearance.objects.filter(person=speaker).count()
    page.goto(f"/admin/partners/person/{speaker.pk}/change/")
    page.click("text=Erase this person's data…")
    page.fill("#id_reason", "Request received 2026-11-30, ref. 115-0042")
    page.check("#id_confirm")
    page.click("text=Erase for good")

    expect(page.locator(".messagelist")).to_contain_text(f"Person #{speaker.pk} erased")
    assert ErasureRecord.objects.get().person_id_erased == speaker.pk
    assert Appearance.objects.filter(person=speaker).count() == appearances
    assert str(Person.objects.get(pk=speaker.pk)) == "Erased speaker（已刪除的講者）"

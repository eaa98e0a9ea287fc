"""Red team items 12 and 17: the contact sheet asks the finder's staff check, and pages with
contact details are never cached."""

import pytest
from django.urls import reverse

from partners.models import ExportLog, Person
from tests.factories import make_contact_sheet_person

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("contact-sheet-export")
SHEET_URL = reverse("contact-sheet")
FINDER_URL = reverse("candidates")


def test_an_account_no_longer_staff_cannot_print_or_download_the_sheet(client, role_user):
    make_contact_sheet_person()
    user = role_user("Coordinator")
    client.force_login(user)
    purpose = {"purpose_detail": "Post briefing"}  # every export states its purpose (privacy.purposes)
    assert client.get(SHEET_URL, purpose).status_code == 200

    user.is_staff = False
    user.save()
    responses = [
        client.get(SHEET_URL, purpose),
        client.get(EXPORT_URL, {"format": "csv", **purpose}),
        client.get(EXPORT_URL, {"format": "vcf", "ids": Person.objects.get().pk, **purpose}),
    ]

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert all(reverse("admin:login") in response["Location"] for response in responses)
    assert ExportLog.objects.count() == 1  # the one printed while still staff


@pytest.mark.parametrize("url", [FINDER_URL, SHEET_URL])
def test_the_finder_and_the_printable_sheet_are_never_cached(client, role_user, url):
    make_contact_sheet_person()
    client.force_login(role_user("Coordinator"))

    response = client.get(url, {"purpose_detail": "Post briefing"})  # the sheet asks for a purpose first

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]

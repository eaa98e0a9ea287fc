"""Issue 15: the export log tells printing from downloading and shows formats and sources as words."""

import pytest
from django.urls import reverse

from contact_sheets.log import log_export
from partners.models import ExportLog

pytestmark = pytest.mark.django_db

LOG_URL = reverse("admin:partners_exportlog_changelist")


@pytest.fixture
def entries(role_user):
    user = role_user("Coordinator")
    return {
        "printed": log_export(user, format="html", source="contact-sheet", row_count=3),
        "xlsx": log_export(user, format="xlsx", source="candidate-finder", row_count=4),
        "vcard": log_export(user, format="vcf", source="admin-people", row_count=5),
        "command": log_export(None, format="html", source="command", row_count=6),
    }


def test_printing_and_downloading_are_told_apart(entries):
    assert list(ExportLog.objects.printed()) == [entries["printed"]]
    assert sorted(entry.row_count for entry in ExportLog.objects.downloaded()) == [4, 5, 6]


def test_the_log_shows_formats_and_sources_as_words_and_filters_by_printed_or_downloaded(client, entries, role_user):
    client.force_login(role_user("Administrator", username="admin-reader"))

    for language, words in (
        ("en", ["Printed", "Downloaded", "Excel workbook (XLSX)", "vCard", "Candidate finder", "People list"]),
        ("zh-hant", ["列印", "下載", "候選講者搜尋", "人員列表"]),
    ):
        client.cookies["django_language"] = language
        page = client.get(LOG_URL).content.decode()
        assert [word for word in words if word not in page] == []
    client.cookies["django_language"] = "en"
    printed = client.get(LOG_URL, {"way": "printed"})
    downloaded = client.get(LOG_URL, {"way": "downloaded"})

    assert [entry.pk for entry in printed.context["cl"].result_list] == [entries["printed"].pk]
    assert sorted(entry.row_count for entry in downloaded.context["cl"].result_list) == [4, 5, 6]
    rows = client.get(LOG_URL).content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "admin-people" not in rows and "People list" in rows

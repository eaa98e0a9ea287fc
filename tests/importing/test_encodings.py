"""Issue 15, friendlier input: CSV files from Excel on Traditional-Chinese Windows (Big5) and as
"Unicode text" (UTF-16, tab-separated) are read, the encoding shown; an undecidable one is asked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from importing.contacts import import_contacts
from importing.files import ImportFileError, decode_csv

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:partners_person_import")
TEXT = "Name (original),Chinese name,Country\nRose Mukhar,慕蘿絲,US\n王小明,王小明,TW\n"


def run(content, **kwargs):
    with translation.override("en"):
        return import_contacts(content, user=None, dry_run=True, filename="people.csv", **kwargs)


def test_a_big5_csv_saved_by_excel_on_traditional_chinese_windows_is_read():
    result = run(TEXT.replace("\n", "\r\n").encode("cp950"))

    assert result.file_errors == []
    assert result.encoding == "cp950"
    assert [(row.values["full_name"], row.values["name_zh"]) for row in result.rows] == [
        ("Rose Mukhar", "慕蘿絲"),
        ("王小明", "王小明"),
    ]


def test_excels_unicode_text_utf16_tab_separated_is_read():
    result = run(TEXT.replace(",", "\t").replace("\n", "\r\n").encode("utf-16"))

    assert result.file_errors == []
    assert result.encoding == "utf-16"
    assert [row.values["name_zh"] for row in result.rows] == ["慕蘿絲", "王小明"]


def test_utf8_stays_utf8_and_windows_1252_is_recognised():
    assert decode_csv(TEXT.encode("utf-8-sig")) == (TEXT, "utf-8")
    western = "Name (original),Country\nJosé Müller,DE\nFrançois Lefèvre,FR\nAnnaëlle Côté,CA\n"
    assert decode_csv(western.encode("cp1252")) == (western, "cp1252")


def test_two_equally_likely_encodings_are_asked_not_guessed(monkeypatch):
    class Match:
        def __init__(self, encoding):
            self.encoding, self.chaos, self.coherence = encoding, 0.0, 0.0

    monkeypatch.setattr("charset_normalizer.from_bytes", lambda *args, **kwargs: [Match("big5"), Match("cp1252")])

    with translation.override("en"), pytest.raises(ImportFileError) as asked:
        decode_csv(b"Name\n\xa4\xa4\xa4\xe5\n")

    assert str(asked.value) == (
        "The file reads equally well as Big5 (Traditional Chinese Windows) and as Windows-1252 (Western European); "
        "choose its encoding under “Text encoding” and upload it again."
    )


def test_a_chosen_encoding_is_used_as_it_is():
    content = "Name (original)\n中文\n".encode("cp950")

    assert decode_csv(content, encoding="cp950") == ("Name (original)\n中文\n", "cp950")
    assert decode_csv(content, encoding="cp1252")[0] != "Name (original)\n中文\n"


def test_the_preview_names_the_encoding_it_read(client, make_user):
    client.force_login(make_user("importer", "partners.view_person", "partners.import_person"))
    client.cookies["django_language"] = "en"

    response = client.post(
        IMPORT_URL, {"step": "preview", "file": SimpleUploadedFile("people.csv", TEXT.encode("cp950"))}
    )
    chosen = client.post(
        IMPORT_URL,
        {"step": "preview", "encoding": "utf-16", "file": SimpleUploadedFile("people.csv", TEXT.encode("utf-16"))},
    )

    assert "Text read as Big5 (Traditional Chinese Windows)." in response.content.decode()
    assert "Text read as UTF-16 (Excel “Unicode text”)." in chosen.content.decode()

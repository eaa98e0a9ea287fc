"""Erasure on request: the person's identity and contact details leave every table (history and logs
included), the conference record stays as an anonymous speaker of their organization, the finder and
every export no longer show them, a legal hold refuses it, and it is all or nothing."""

import io
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conference.models import Appearance, Candidacy
from contact_sheets.formats import FORMATS
from contact_sheets.log import log_export
from partners.models import Affiliation, ContactMethod, ExportLog, Person, PersonExpertise
from partners.roles import ADMINISTRATOR, EDITOR
from privacy import services
from privacy.models import AccessLog, ErasureRecord
from privacy.services import ErasureRefused, erase_person
from tests.factories import (
    AppearanceFactory,
    CandidacyFactory,
    OrganizationFactory,
    PersonFactory,
    SessionFactory,
    WorkshopFactory,
    make_area,
    make_contact_sheet_person,
)

pytestmark = pytest.mark.django_db

NAME, NAME_ZH = "Zephyrine Quill", "澤菲琳"
EMAIL, PHONE = "zephyrine.quill@hidden.test", "+12025550199"
SECRETS = [NAME, NAME_ZH, EMAIL, PHONE]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def browser(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def text_columns_holding(needles):
    """``{"app.Model.field": count}`` of rows whose text or JSON column holds one of ``needles`` (any case),
    in every table Django knows: history tables, many-to-many tables, the admin log and the export log."""
    needles = [*needles, *(json.dumps(needle)[1:-1] for needle in needles)]  # as JSON stores non-ASCII text
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                rows = model._default_manager.annotate(_as_text=Cast(field.name, models.TextField()))
                column = "_as_text"
            elif isinstance(field, (models.CharField, models.TextField)):
                rows, column = model._default_manager.all(), field.name
            else:
                continue
            condition = Q(pk__in=[])
            for needle in needles:
                condition |= Q(**{f"{column}__icontains": needle})
            count = rows.filter(condition).count()
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    return found


@pytest.fixture
def world(role_user):
    """A speaker with everything a person can have, and their traces in other records (invented data)."""
    editor = role_user(EDITOR)
    collective = OrganizationFactory(name="Survivor Collective")
    person = make_contact_sheet_person(
        NAME, NAME_ZH, organization=collective, email=EMAIL, given_name="Zephyrine", family_name="Quill"
    )
    person.contact_methods.filter(kind=ContactMethod.Kind.PHONE).update(value=PHONE)
    person.bio = "Peer mentor; write to zephyrine.quill@hidden.test"
    person._history_user = editor
    person.save()  # a second version in the history
    session = SessionFactory(title="Survivor leadership", summary=f"{NAME} spoke about peer support.")
    appearance = AppearanceFactory(
        session=session,
        person=person,
        organization=collective,
        affiliation_as_printed="Peer mentor, Survivor Collective",
    )
    area = make_area("Victim protection", code="protection")
    PersonExpertise.objects.create(person=person, area=area, note=f"{NAME} ran the survivor panel")
    CandidacyFactory(workshop=WorkshopFactory(), person=person, reason=f"{NAME_ZH} fits the workshop")
    other = PersonFactory(full_name="Other Speaker", notes=f"Introduced by {NAME} ({PHONE})")
    LogEntry.objects.log_actions(
        editor.pk,
        [person],
        CHANGE,
        change_message=json.dumps([{"changed": {"name": "contact method", "object": f"E-mail: {EMAIL}"}}]),
    )
    log_export(editor, format="csv", source="candidate-finder", row_count=1, filters={"q": [NAME], "ids": [person.pk]})
    AccessLog.objects.create(username=editor.username, person=person, view="page", reason=f"Call {NAME} back")
    return {"person": person, "appearance": appearance, "collective": collective, "other": other, "editor": editor}


def test_afterwards_no_table_holds_the_name_email_or_phone(world, role_user):
    assert set(text_columns_holding(SECRETS)) >= {
        "partners.Person.full_name",
        "partners.HistoricalPerson.full_name",
        "partners.ContactMethod.value",
        "partners.HistoricalContactMethod.value",
        "partners.ExportLog.filters",
        "admin.LogEntry.object_repr",
        "conference.Session.summary",
    }

    record = erase_person(world["person"], reason=f"Request of 2026-11-30 by {NAME}", by=role_user(ADMINISTRATOR))

    assert text_columns_holding(SECRETS) == {}
    assert text_columns_holding(["Zephyrine", "Quill"]) == {}
    assert (record.person_id_erased, record.username) == (world["person"].pk, "administrator")
    assert record.reason == "Request of 2026-11-30 by [已刪除 erased]"


def test_the_appearance_remains_as_an_anonymous_speaker_of_its_organization(world):
    person = world["person"]

    erase_person(person, reason="Request of 2026-11-30", by=None)

    appearance = Appearance.objects.select_related("person", "organization").get(pk=world["appearance"].pk)
    assert (appearance.person_id, appearance.organization) == (person.pk, world["collective"])
    assert str(appearance.person) == "Erased speaker（已刪除的講者）"
    assert appearance.affiliation_as_printed == "Peer mentor, Survivor Collective"
    erased = Person.objects.get(pk=person.pk)
    assert (erased.given_name, erased.bio, str(erased.country), erased.do_not_contact) == ("", "", "", True)
    assert erased.erased_at is not None and erased.uuid != person.uuid
    assert list(erased.languages.all()) == []
    for model in (ContactMethod, Affiliation, PersonExpertise, Candidacy):
        assert model.objects.filter(person_id=person.pk).count() == 0, model
    assert [r.history_change_reason for r in erased.history.all()] == ["Erased on request"]
    assert Person.objects.get(pk=world["other"].pk).notes == "Introduced by [已刪除 erased] ([已刪除 erased])"


def test_an_appearance_without_an_organization_gets_the_one_the_person_worked_for(world):
    appearance = world["appearance"]
    Appearance.objects.filter(pk=appearance.pk).update(organization=None)

    erase_person(world["person"], reason="Request", by=None)

    assert Appearance.objects.get(pk=appearance.pk).organization == world["collective"]


def sheet_text(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)


def test_the_finder_and_every_export_no_longer_show_them(world, role_user, tmp_path):
    person = world["person"]
    erase_person(person, reason="Request", by=None)
    client = browser(role_user(ADMINISTRATOR, sensitive=True))

    finder = client.get(reverse("candidates"))
    assert person.pk not in [row.person.pk for row in finder.context["rows"]]
    assert client.get(reverse("admin:partners_person_change", args=[person.pk])).status_code == 404
    for fmt in FORMATS:
        for query in ({"format": fmt}, {"format": fmt, "ids": [person.pk, world["other"].pk]}):
            query["purpose_detail"] = "Test export"
            response = client.get(reverse("contact-sheet-export"), query)
            content = b"".join(response.streaming_content) if response.streaming else response.content
            text = sheet_text(content) if fmt == "xlsx" else content.decode("utf-8")
            assert "Other Speaker" in text, fmt
            assert "Erased speaker" not in text and "已刪除的講者" not in text, fmt
    output = tmp_path / "all.csv"
    call_command(
        "export_contacts",
        "--purpose",
        "Test",
        "--format",
        "csv",
        "--include-sensitive",
        "-o",
        str(output),
        stderr=io.StringIO(),
    )
    assert "Erased speaker" not in output.read_text(encoding="utf-8-sig")


def test_refused_under_a_legal_hold_and_nothing_changes(world):
    person = world["person"]
    Person.objects.filter(pk=person.pk).update(legal_hold=True)
    before = text_columns_holding(SECRETS)

    with pytest.raises(ErasureRefused, match="legal hold"):
        erase_person(person, reason="Request", by=None)
    with pytest.raises(CommandError, match="legal hold"):
        call_command("erase_person", str(person.pk), "--reason", "Request")

    assert text_columns_holding(SECRETS) == before
    assert ErasureRecord.objects.count() == 0


def test_all_or_nothing_when_a_step_fails_half_way(world, monkeypatch):
    person = world["person"]
    before = text_columns_holding(SECRETS)
    counts = [model.objects.count() for model in (ContactMethod, Affiliation, Candidacy, ExportLog)]
    history = Person.history.filter(id=person.pk).count()

    def broken(texts):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "scrub_everywhere", broken)
    with pytest.raises(RuntimeError):
        erase_person(person, reason="Request", by=None)

    assert text_columns_holding(SECRETS) == before
    assert [model.objects.count() for model in (ContactMethod, Affiliation, Candidacy, ExportLog)] == counts
    assert Person.history.filter(id=person.pk).count() == history
    assert Person.objects.get(pk=person.pk).erased_at is None
    assert ErasureRecord.objects.count() == 0


def test_a_reason_is_required_and_a_person_is_erased_once(world):
    with pytest.raises(ErasureRefused, match="reason"):
        erase_person(world["person"], reason="  ", by=None)
    erase_person(world["person"], reason="Request", by=None)
    with pytest.raises(ErasureRefused, match="already"):
        erase_person(world["person"], reason="Request", by=None)


def test_the_command_exits_0_only_when_erased(world):
    out = io.StringIO()
    call_command("erase_person", str(world["person"].pk), "--reason", "Request 2026-11-30", stdout=out)
    assert "erased" in out.getvalue()
    with pytest.raises(CommandError, match="No person with id 999999"):
        call_command("erase_person", "999999", "--reason", "Request")
    with pytest.raises(CommandError, match="already been erased"):
        call_command("erase_person", str(world["person"].pk), "--reason", "Again")


def test_the_erasure_page_for_administrators(world, role_user):
    person = world["person"]
    url = reverse("privacy:erase-person", args=[person.pk])
    administrator = browser(role_user(ADMINISTRATOR))

    assert browser(role_user(EDITOR, username="another-editor")).get(url).status_code == 403
    page = administrator.get(url)
    assert page.status_code == 200
    unconfirmed = administrator.post(url, {"reason": "Request"})
    assert unconfirmed.status_code == 200 and Person.objects.get(pk=person.pk).erased_at is None
    done = administrator.post(url, {"reason": "Request 2026-11-30", "confirm": "on"})

    assert done.status_code == 302
    assert ErasureRecord.objects.get().username == "administrator"
    assert administrator.get(url).status_code == 404


def test_the_erasure_page_refuses_under_a_legal_hold(world, role_user):
    person = world["person"]
    Person.objects.filter(pk=person.pk).update(legal_hold=True)
    administrator = browser(role_user(ADMINISTRATOR))
    url = reverse("privacy:erase-person", args=[person.pk])

    assert "legal hold" in administrator.get(url).content.decode()
    response = administrator.post(url, {"reason": "Request", "confirm": "on"})

    assert response.status_code == 200
    assert "legal hold" in str(response.context["form"].non_field_errors())
    assert Person.objects.get(pk=person.pk).erased_at is None


def test_the_erasure_record_is_read_only(world, role_user):
    record = erase_person(world["person"], reason="Request", by=None)
    administrator = browser(role_user(ADMINISTRATOR))

    assert administrator.get(reverse("admin:privacy_erasurerecord_changelist")).status_code == 200
    assert (
        administrator.post(reverse("admin:privacy_erasurerecord_delete", args=[record.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert ErasureRecord.objects.count() == 1


def test_the_admin_log_change_message_is_scrubbed(world):
    person = world["person"]
    erase_person(person, reason="Request", by=None)

    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk))
    assert EMAIL not in entry.change_message and NAME not in entry.object_repr


def test_a_short_latin_name_is_replaced_only_as_a_whole_word():
    person = PersonFactory(full_name="Ana Li", name_zh="李安娜")
    other = PersonFactory(full_name="Other Person", notes="Banana Lime; met Ana Li in Miami; 李安娜致詞")

    erase_person(person, reason="Request", by=None)

    other.refresh_from_db()
    assert other.notes == "Banana Lime; met [已刪除 erased] in Miami; [已刪除 erased]致詞"


def test_the_erasure_page_asks_for_a_fresh_sign_in(world, role_user):
    from accounts.sessions import SIGNED_IN_AT

    administrator = browser(role_user(ADMINISTRATOR))
    session = administrator.session
    session[SIGNED_IN_AT] -= 60 * 60  # signed in an hour ago
    session.save()
    url = reverse("privacy:erase-person", args=[world["person"].pk])

    asked = administrator.post(url, {"reason": "Request", "confirm": "on"})

    assert asked.status_code == 302 and asked.url.startswith(reverse("confirm-password"))
    assert Person.objects.get(pk=world["person"].pk).erased_at is None

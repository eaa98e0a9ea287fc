"""Audit history: who changed what and when — through the admin, an import or a command — and where it is shown."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partners.locking import save_versioned
from partners.models import ContactMethod, Person
from partners.resources import ContactSheetResource
from tests.admin_forms import change_form_data
from tests.factories import ContactMethodFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Several accounts per test: hash their passwords cheaply (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser_for():
    def browser_for(user):
        browser = Client()
        browser.force_login(user)
        browser.cookies["django_language"] = "en"
        return browser

    return browser_for


def contact_sheet_csv(**cells):
    """A one-row CSV with the contact sheet's English headers."""
    with translation.override("en"):
        resource = ContactSheetResource()
        header = ",".join(str(resource.fields[key].column_name) for key in cells)
    return f"{header}\r\n{','.join(cells.values())}\r\n".encode()


def test_an_admin_edit_of_an_email_shows_who_and_when_on_the_persons_history_page(role_user, browser_for):
    email = ContactMethodFactory(value="old@example.test")
    person = email.person
    editor = browser_for(role_user("Editor", username="alice"))
    url = reverse("admin:partners_person_change", args=[person.pk])
    editor.post(url, change_form_data(editor.get(url), **{"contact_methods-0-value": "new@example.test"}))

    page = browser_for(role_user("Administrator")).get(reverse("admin:partners_person_history", args=[person.pk]))

    record = ContactMethod.history.filter(id=email.pk).latest("history_date")
    assert (record.history_type, record.history_user.username, record.value) == ("~", "alice", "new@example.test")
    content = page.content.decode()
    related = content[content.index('id="related-history"') :]
    assert "Contact method: E-mail: new@example.test" in related
    assert "old@example.test&nbsp;&rarr;&nbsp;new@example.test" in related
    assert "alice" in related


def test_the_history_page_lists_each_versions_differences(role_user, browser_for):
    person = PersonFactory(full_name="Jean Bruggeman")
    editor = browser_for(role_user("Editor", username="alice"))
    url = reverse("admin:partners_person_change", args=[person.pk])
    editor.post(url, change_form_data(editor.get(url), full_name="Jean B. Bruggeman"))

    page = editor.get(reverse("admin:partners_person_history", args=[person.pk]))

    assert page.status_code == 200
    changes = page.context["page_obj"].object_list[0].history_delta_changes
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [
        ("Name (original)", "Jean Bruggeman", "Jean B. Bruggeman")
    ]
    assert page.context["page_obj"].object_list[0].history_user.username == "alice"


def test_a_related_record_has_its_own_history_page_with_differences(role_user, browser_for):
    email = ContactMethodFactory(value="old@example.test")
    editor = browser_for(role_user("Editor", username="alice"))
    url = reverse("admin:partners_contactmethod_change", args=[email.pk])
    editor.post(url, change_form_data(editor.get(url), value="new@example.test"))

    page = editor.get(reverse("admin:partners_contactmethod_history", args=[email.pk]))

    assert page.status_code == 200
    changes = page.context["page_obj"].object_list[0].history_delta_changes
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [("Value", "old@example.test", "new@example.test")]
    # The person's version moved on too, with the reason recorded on their history.
    person_record = Person.history.filter(id=email.person_id).latest("history_date")
    assert (person_record.version, person_record.history_user.username) == (2, "alice")
    assert person_record.history_change_reason == "Contact method edited on its own page"


def test_an_admin_import_records_the_importing_user(role_user, browser_for):
    editor = browser_for(role_user("Editor", username="alice"))
    url = reverse("admin:partners_person_import")
    upload = SimpleUploadedFile("contacts.csv", contact_sheet_csv(full_name="Imported Person", country="US"))

    preview = editor.post(url, {"file": upload})
    confirmed = editor.post(url, {"step": "confirm", "token": preview.context["token"]})

    assert confirmed.status_code == 302
    person = Person.objects.get(full_name="Imported Person")
    record = person.history.get()
    assert (record.history_type, record.history_user.username) == ("+", "alice")


def test_a_command_line_import_leaves_history_rows(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(contact_sheet_csv(full_name="Command Person", country="US"))

    with translation.override("en"):
        call_command("import_contacts", str(path), stdout=None)

    person = Person.objects.get(full_name="Command Person")
    record = person.history.get()
    # No one is logged in on the command line; the row says where it came from.
    assert (record.history_type, record.history_user) == ("+", None)
    assert record.history_change_reason


def test_a_command_records_its_user_by_setting_history_user():
    """The documented pattern for commands and scripts (partners/history.py)."""
    operator = get_user_model().objects.create_user("operator", password="x" * 16)
    person = PersonFactory()
    person.bio = "Corrected from the 2023 programme"
    person._history_user = operator

    save_versioned(person)

    assert person.history.latest("history_date").history_user == operator


def test_deleting_a_staff_account_keeps_its_history_rows(role_user, browser_for):
    person = PersonFactory(full_name="Jean Bruggeman")
    alice = role_user("Editor", username="alice")
    url = reverse("admin:partners_person_change", args=[person.pk])
    browser = browser_for(alice)
    browser.post(url, change_form_data(browser.get(url), full_name="Jean B. Bruggeman"))
    rows_before = Person.history.filter(id=person.pk).count()

    alice.delete()

    records = list(Person.history.filter(id=person.pk).order_by("history_date"))
    assert len(records) == rows_before == 2
    assert (records[-1].full_name, records[-1].history_user) == ("Jean B. Bruggeman", None)


def test_a_viewer_reads_history_but_cannot_revert_through_it(role_user, browser_for):
    person = PersonFactory(full_name="Jean Bruggeman")
    editor = browser_for(role_user("Editor", username="alice"))
    url = reverse("admin:partners_person_change", args=[person.pk])
    editor.post(url, change_form_data(editor.get(url), full_name="Jean B. Bruggeman"))
    first = person.history.earliest("history_date")
    viewer = browser_for(role_user("Viewer"))
    revert_url = reverse("admin:partners_person_simple_history", args=[person.pk, first.history_id])

    page = viewer.get(revert_url)
    response = viewer.post(revert_url, change_form_data(page))

    assert page.status_code == 200
    assert response.status_code == 403
    person.refresh_from_db()
    assert (person.full_name, person.history.count()) == ("Jean B. Bruggeman", 2)


@pytest.mark.parametrize(
    ("sensitive", "with_access", "status"), [(False, False, 200), (True, False, 404), (True, True, 200)]
)
def test_a_deleted_persons_history_stays_readable_unless_it_was_protected(
    role_user, browser_for, sensitive, with_access, status
):
    person = PersonFactory(sensitive=sensitive)
    person_id = person.pk
    person.delete()
    administrator = browser_for(role_user("Administrator", sensitive=with_access))

    response = administrator.get(reverse("admin:partners_person_history", args=[person_id]))

    assert response.status_code == status

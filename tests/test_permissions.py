"""The permission matrix: each role × each admin page, import, export, finder and contact sheet.

Roles (partners/roles.py; README.md, "Roles and protected records"): anonymous, Viewer, Editor,
Coordinator, Administrator and
an Administrator with sensitive access. Every cell states the expected status; refused writes leave
the row counts (and the row) unchanged.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from partners.models import (
    Affiliation,
    ContactMethod,
    ExpertiseArea,
    ExportLog,
    Language,
    Organization,
    Person,
    PersonExpertise,
)
from partners.roles import ADMINISTRATOR, COORDINATOR, EDITOR, ROLES, SENSITIVE_PERMISSION, VIEWER
from tests.admin_forms import change_form_data
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AttendanceFactory,
    CandidacyFactory,
    ContactMethodFactory,
    EventFactory,
    OrganizationFactory,
    PersonExpertiseFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
    make_area,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Many accounts per test: hash their passwords cheaply (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(admin_client):
    admin_client.cookies["django_language"] = "en"  # the same date formats as the role browsers
    return admin_client


ROLE_NAMES = ["anonymous", "viewer", "editor", "coordinator", "administrator", "administrator+sensitive"]

# Expected statuses, in the order of ROLE_NAMES. Anonymous visitors are sent to the log-in page (302).
EVERYONE = (302, 200, 200, 200, 200, 200)
EDITORS = (302, 403, 200, 200, 200, 200)
COORDINATORS = (302, 403, 403, 200, 200, 200)
ADMINISTRATORS = (302, 403, 403, 403, 200, 200)
NO_ONE = (302, 403, 403, 403, 403, 403)
# What a successful write answers instead of 200: a redirect.
WRITTEN = 302


def make_language():
    return Language.objects.create(code=f"x-test-{Language.objects.count()}", name="Test language")


def make_expertise_area():
    return make_area("Test area", code=f"test-area-{ExpertiseArea.objects.count()}")


def make_export_log():
    return ExportLog.objects.create(username="someone", format="csv", row_count=3)


def make_staff_user():
    return UserFactory(username=f"colleague{User.objects.count()}")


# model: (make one, a text field a change edits, read, add, change, delete)
MODELS = {
    Language: (make_language, "name", EVERYONE, EDITORS, EDITORS, ADMINISTRATORS),
    ExpertiseArea: (make_expertise_area, "name", EVERYONE, EDITORS, EDITORS, ADMINISTRATORS),
    Organization: (OrganizationFactory, "name", EVERYONE, EDITORS, EDITORS, EDITORS),
    Person: (PersonFactory, "full_name", EVERYONE, EDITORS, EDITORS, EDITORS),
    Affiliation: (AffiliationFactory, "title", EVERYONE, EDITORS, EDITORS, EDITORS),
    ContactMethod: (ContactMethodFactory, "label", EVERYONE, EDITORS, EDITORS, EDITORS),
    PersonExpertise: (
        lambda: PersonExpertiseFactory(area=make_expertise_area()),
        "note",
        EVERYONE,
        EDITORS,
        EDITORS,
        EDITORS,
    ),
    Event: (EventFactory, "name", EVERYONE, EDITORS, EDITORS, EDITORS),
    Session: (SessionFactory, "title", EVERYONE, EDITORS, EDITORS, EDITORS),
    Appearance: (AppearanceFactory, "affiliation_as_printed", EVERYONE, EDITORS, EDITORS, EDITORS),
    Attendance: (AttendanceFactory, "staff_name", EVERYONE, EDITORS, EDITORS, EDITORS),
    Candidacy: (CandidacyFactory, "reason", EVERYONE, COORDINATORS, COORDINATORS, COORDINATORS),
    ExportLog: (make_export_log, None, ADMINISTRATORS, NO_ONE, NO_ONE, NO_ONE),
    User: (make_staff_user, "first_name", ADMINISTRATORS, ADMINISTRATORS, ADMINISTRATORS, NO_ONE),
    Group: (
        lambda: Group.objects.create(name=f"Some group {Group.objects.count()}"),
        "name",
        ADMINISTRATORS,
        NO_ONE,
        NO_ONE,
        NO_ONE,
    ),
}


@pytest.fixture
def clients(role_user):
    """A browser per role, logged in, in English."""
    users = {
        "viewer": role_user(VIEWER),
        "editor": role_user(EDITOR),
        "coordinator": role_user(COORDINATOR),
        "administrator": role_user(ADMINISTRATOR),
        "administrator+sensitive": role_user(ADMINISTRATOR, sensitive=True),
    }
    browsers = {"anonymous": Client()}
    for name, user in users.items():
        browsers[name] = Client()
        browsers[name].force_login(user)
    for browser in browsers.values():
        browser.cookies["django_language"] = "en"
    return browsers


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def statuses(clients, request):
    """``request(client)`` for each role, as the matrix's row of statuses."""
    return tuple(request(clients[role]).status_code for role in ROLE_NAMES)


def ids(model):
    return model._meta.label


# -- the roles themselves ------------------------------------------------------------------------


def test_the_migration_created_each_role_with_exactly_its_permissions():
    for name, perms in ROLES.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(perms), name


def test_no_role_holds_sensitive_access():
    app_label, codename = SENSITIVE_PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)

    assert list(permission.group_set.all()) == []


def test_each_role_includes_the_one_before():
    viewer, editor, coordinator, administrator = (set(ROLES[name]) for name in ROLES)

    assert viewer < editor < coordinator < administrator


# -- admin pages: read, add, change, delete, history -----------------------------------------------


@pytest.mark.parametrize("model", list(MODELS), ids=ids)
def test_reading_lists_records_and_their_history(clients, model):
    make, _field, read, *_ = MODELS[model]
    obj = make()

    assert statuses(clients, lambda client: client.get(admin_url(model, "changelist"))) == read
    assert statuses(clients, lambda client: client.get(admin_url(model, "change", obj.pk))) == read
    assert statuses(clients, lambda client: client.get(admin_url(model, "history", obj.pk))) == read


@pytest.mark.parametrize("model", list(MODELS), ids=ids)
def test_adding_and_a_refused_add_writes_nothing(clients, model):
    make, _field, _read, add, *_ = MODELS[model]
    make()
    count = model._default_manager.count()

    assert statuses(clients, lambda client: client.get(admin_url(model, "add"))) == add
    refused = [role for role, status in zip(ROLE_NAMES, add, strict=True) if status != 200]
    for role in refused:
        assert (
            clients[role].post(admin_url(model, "add"), {"name": "Refused"}).status_code == add[ROLE_NAMES.index(role)]
        )
    assert model._default_manager.count() == count


@pytest.mark.parametrize("model", list(MODELS), ids=ids)
def test_changing_and_a_refused_change_leaves_the_row_as_it_was(clients, model, admin_client):
    make, field, _read, _add, change, _delete = MODELS[model]
    for role, expected in zip(ROLE_NAMES, change, strict=True):
        obj = make()
        before = model._default_manager.filter(pk=obj.pk).values().get()
        data = change_form_data(admin_client.get(admin_url(model, "change", obj.pk)))
        if field is not None:
            data[field] = f"Changed by {role}"

        response = clients[role].post(admin_url(model, "change", obj.pk), data)

        after = model._default_manager.filter(pk=obj.pk).values().get()
        if expected == 200:
            assert response.status_code == WRITTEN, (role, response.context and response.context.get("errors"))
            assert after[field] == f"Changed by {role}"
        else:
            assert (response.status_code, after) == (expected, before), role


@pytest.mark.parametrize("model", list(MODELS), ids=ids)
def test_deleting_and_a_refused_delete_keeps_the_row(clients, model):
    make, _field, _read, _add, _change, delete = MODELS[model]
    for role, expected in zip(ROLE_NAMES, delete, strict=True):
        obj = make()
        count = model._default_manager.count()

        page = clients[role].get(admin_url(model, "delete", obj.pk))
        response = clients[role].post(admin_url(model, "delete", obj.pk), {"post": "yes"})

        assert page.status_code == expected, role
        if expected == 200:
            assert response.status_code == WRITTEN
            assert model._default_manager.count() == count - 1
        else:
            assert (response.status_code, model._default_manager.count()) == (expected, count), role


# -- sensitive records -----------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_a_sensitive_persons_pages_open_only_with_sensitive_access(clients, view):
    person = PersonFactory(sensitive=True)

    assert statuses(clients, lambda client: client.get(admin_url(Person, view, person.pk))) == (
        302,
        404,
        404,
        404,
        404,
        200,
    )


# -- import, export, the candidate finder and the contact sheet ------------------------------------

PAGES = {
    "import": (lambda: reverse("admin:partners_person_import"), EDITORS),
    "export": (lambda: reverse("contact-sheet-export") + "?format=csv", EVERYONE),
    "candidate finder": (lambda: reverse("candidates"), EVERYONE),
    "contact sheet": (lambda: reverse("contact-sheet"), EVERYONE),
    "assess candidates": (lambda: reverse("assess-candidates") + "?person=PERSON&workshop=WORKSHOP", COORDINATORS),
    "export log": (lambda: reverse("admin:partners_exportlog_changelist"), ADMINISTRATORS),
    "staff accounts": (lambda: reverse("admin:auth_user_changelist"), ADMINISTRATORS),
    "admin index": (lambda: reverse("admin:index"), EVERYONE),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_staff_pages(clients, page):
    from tests.factories import WorkshopFactory

    url, expected = PAGES[page]
    person, workshop = PersonFactory(), WorkshopFactory()
    url = url().replace("PERSON", str(person.pk)).replace("WORKSHOP", str(workshop.pk))

    assert statuses(clients, lambda client: client.get(url)) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "vcf", "html"])
def test_the_admin_export_action(clients, fmt):
    person = PersonFactory()

    def export(client):
        return client.post(
            reverse("admin:partners_person_changelist"),
            {"action": f"export_contact_sheet_{fmt}", "_selected_action": [person.pk]},
        )

    assert statuses(clients, export) == EVERYONE
    assert ExportLog.objects.count() == 5


def test_a_refused_import_writes_nothing(clients):
    before = (Person.objects.count(), Organization.objects.count())
    csv = b"Name (original),Organization (original)\r\nRefused Person,Refused Org\r\n"

    for role in ["anonymous", "viewer"]:
        upload = SimpleUploadedFile("contacts.csv", csv)
        response = clients[role].post(reverse("admin:partners_person_import"), {"file": upload})
        assert response.status_code == {"anonymous": 302, "viewer": 403}[role]

    assert (Person.objects.count(), Organization.objects.count()) == before


def test_a_refused_assessment_writes_nothing(clients):
    from tests.factories import WorkshopFactory

    person, workshop = PersonFactory(), WorkshopFactory()
    data = {"person": [person.pk], "workshop": workshop.pk, "suitability": "suitable", "reason": "Fits"}

    for role in ["anonymous", "viewer", "editor"]:
        response = clients[role].post(reverse("assess-candidates"), {**data, "confirmed": "1"})
        assert response.status_code == {"anonymous": 302, "viewer": 403, "editor": 403}[role]

    assert Candidacy.objects.count() == 0


# -- staff accounts: administrators cannot lift their own limits ------------------------------------


def test_an_administrator_cannot_grant_sensitive_access_or_superuser_status(clients, role_user):
    colleague = role_user(VIEWER, username="colleague")
    url = admin_url(User, "change", colleague.pk)
    page = clients["administrator"].get(url)
    sensitive = Permission.objects.get(codename="view_sensitive_person")
    data = change_form_data(page, is_superuser="on", user_permissions=[str(sensitive.pk)])

    response = clients["administrator"].post(url, data)

    assert response.status_code == WRITTEN
    colleague.refresh_from_db()
    assert (colleague.is_superuser, list(colleague.user_permissions.all())) == (False, [])


def test_an_administrator_cannot_change_an_account_with_sensitive_access_or_a_superuser(clients, role_user):
    entitled = role_user(VIEWER, username="entitled", sensitive=True)
    superuser = UserFactory(username="root", is_superuser=True)

    for account in [entitled, superuser]:
        change = clients["administrator"].get(admin_url(User, "change", account.pk))
        password = clients["administrator"].post(
            reverse("admin:auth_user_password_change", args=[account.pk]),
            {"password1": "A-new-long-passphrase", "password2": "A-new-long-passphrase"},
        )
        # The page is read-only; the password cannot be reset to take the account over.
        assert change.status_code == 200
        assert "submit-row" not in change.content.decode() or 'name="_save"' not in change.content.decode()
        assert password.status_code == 403
        account.refresh_from_db()
        assert account.check_password("correct-horse-battery")


def test_an_administrator_offers_only_groups_without_sensitive_access(clients):
    Group.objects.create(name="Survivor liaison").permissions.add(
        Permission.objects.get(codename="view_sensitive_person")
    )

    page = clients["administrator"].get(admin_url(User, "add"))
    colleague = make_staff_user()
    change = clients["administrator"].get(admin_url(User, "change", colleague.pk))

    assert page.status_code == 200
    choices = {label for _value, label in change.context["adminform"].form.fields["groups"].choices}
    assert choices == set(ROLES)


def test_sessions_last_eight_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) == dt.timedelta(hours=8)


@pytest.mark.parametrize("access", ["own permission", "group", "superuser"])
def test_an_administrator_cannot_take_over_a_deactivated_account_with_sensitive_access(clients, role_user, access):
    """Issue 21, item 1: ``has_perm()`` answers False for every inactive account, so protection
    must be read from the account's permissions, groups and superuser flag directly."""
    if access == "own permission":
        dormant = role_user(VIEWER, username="dormant", sensitive=True)
    elif access == "group":
        dormant = role_user(VIEWER, username="dormant")
        survivor_liaison = Group.objects.create(name="Survivor liaison")
        survivor_liaison.permissions.add(Permission.objects.get(codename="view_sensitive_person"))
        dormant.groups.add(survivor_liaison)
    else:
        dormant = UserFactory(username="dormant", is_superuser=True)
    dormant.is_active = False
    dormant.save()
    administrator = clients["administrator"]
    change_url = admin_url(User, "change", dormant.pk)
    data = change_form_data(administrator.get(change_url), is_active="on")

    password = administrator.post(
        reverse("admin:auth_user_password_change", args=[dormant.pk]),
        {"password1": "A-new-long-passphrase", "password2": "A-new-long-passphrase"},
    )
    activate = administrator.post(change_url, data)

    assert (password.status_code, activate.status_code) == (403, 403)
    dormant.refresh_from_db()
    assert (dormant.is_active, dormant.check_password("correct-horse-battery")) == (False, True)


def test_a_new_viewer_added_as_readme_says_can_log_in(clients):
    """Issue 15, bug 2: add the user, tick the Viewer group, leave "Staff status" alone — they log in."""
    administrator = clients["administrator"]
    added = administrator.post(
        admin_url(User, "add"),
        {
            "username": "newviewer",
            "usable_password": "true",
            "password1": "A-new-long-passphrase",
            "password2": "A-new-long-passphrase",
        },
    )
    newcomer = User.objects.get(username="newviewer")
    change_url = admin_url(User, "change", newcomer.pk)
    data = change_form_data(administrator.get(change_url), groups=[str(Group.objects.get(name=VIEWER).pk)])
    data.pop("is_staff", None)

    saved = administrator.post(change_url, data, follow=True)
    browser = Client()
    login = browser.post(
        reverse("admin:login"), {"username": "newviewer", "password": "A-new-long-passphrase", "next": "/admin/"}
    )

    assert (added.status_code, saved.status_code, login.status_code) == (WRITTEN, 200, WRITTEN)
    assert "can log in with the new role" in saved.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert int(browser.session["_auth_user_id"]) == newcomer.pk


def test_unticking_staff_status_of_a_role_holder_stays_unticked(clients, role_user):
    colleague = role_user(VIEWER, username="colleague")
    url = admin_url(User, "change", colleague.pk)
    data = change_form_data(clients["administrator"].get(url))
    data.pop("is_staff", None)

    clients["administrator"].post(url, data)

    colleague.refresh_from_db()
    assert colleague.is_staff is False

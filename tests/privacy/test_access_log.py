"""The access log: looking at a protected person asks a reason once a session and writes one line per view;
someone who may not see them gets 404 and leaves no line; lists write one line without names."""

import pytest
from django.test import Client
from django.urls import reverse

from partners.roles import ADMINISTRATOR, VIEWER
from privacy.models import AccessLog
from tests.factories import ContactMethodFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def browser(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def protected():
    person = PersonFactory(full_name="Zephyrine Quill", name_zh="澤菲琳", sensitive=True)
    ContactMethodFactory(person=person, value="zephyrine@hidden.test")
    return person


def page(person, view="change"):
    return reverse(f"admin:partners_person_{view}", args=[person.pk])


def give_reason(client, person, reason="Preparing the survivor panel invitation"):
    return client.post(reverse("privacy:access-reason", args=[person.pk]), {"reason": reason})


def test_the_first_look_in_a_session_asks_for_a_reason_then_each_view_is_logged_with_it(protected, role_user):
    user = role_user(VIEWER, sensitive=True)
    client = browser(user)

    asked = client.get(page(protected))
    assert asked.status_code == 302
    assert asked.url.startswith(reverse("privacy:access-reason", args=[protected.pk]))
    assert AccessLog.objects.count() == 0
    form = client.get(asked.url)
    assert form.status_code == 200
    assert "Zephyrine" not in form.content.decode()  # the reason comes before anything is shown

    given = client.post(asked.url, {"reason": "Preparing the panel invitation", "next": page(protected)})
    assert (given.status_code, given.url) == (302, page(protected))
    assert client.get(page(protected)).status_code == 200
    assert client.get(page(protected, "history")).status_code == 200
    assert client.get(page(protected)).status_code == 200

    lines = list(AccessLog.objects.order_by("pk").values_list("user", "person", "view", "reason", "ip_address"))
    reason = "Preparing the panel invitation"
    assert lines == [
        (user.pk, protected.pk, "page", reason, "127.0.0.1"),
        (user.pk, protected.pk, "history", reason, "127.0.0.1"),
        (user.pk, protected.pk, "page", reason, "127.0.0.1"),
    ]


def test_a_new_session_asks_again(protected, role_user):
    user = role_user(VIEWER, sensitive=True)
    first = browser(user)
    give_reason(first, protected)
    assert first.get(page(protected)).status_code == 200

    assert browser(user).get(page(protected)).status_code == 302


def test_a_reason_is_required_and_next_stays_on_this_site(protected, role_user):
    client = browser(role_user(VIEWER, sensitive=True))
    url = reverse("privacy:access-reason", args=[protected.pk])

    empty = client.post(url, {"reason": "  ", "next": page(protected)})
    assert empty.status_code == 200
    assert empty.context["form"].errors["reason"]
    assert client.get(page(protected)).status_code == 302

    elsewhere = client.post(url, {"reason": "Checking", "next": "https://elsewhere.example/"})
    assert elsewhere.url == page(protected)


def test_a_viewer_who_may_not_see_them_gets_404_and_no_line(protected, role_user):
    client = browser(role_user(ADMINISTRATOR))
    contact = protected.contact_methods.get()

    statuses = [
        client.get(page(protected)).status_code,
        client.get(page(protected, "history")).status_code,
        client.get(reverse("admin:partners_contactmethod_change", args=[contact.pk])).status_code,
        client.get(reverse("privacy:access-reason", args=[protected.pk])).status_code,
        give_reason(client, protected).status_code,
    ]

    assert statuses == [404, 404, 404, 404, 404]
    assert AccessLog.objects.count() == 0


def test_people_not_marked_sensitive_open_without_a_reason_or_a_line(role_user):
    person = PersonFactory()
    client = browser(role_user(VIEWER, sensitive=True))

    assert client.get(page(person)).status_code == 200
    assert AccessLog.objects.count() == 0


def test_a_protected_persons_contact_details_are_logged_as_such(protected, role_user):
    client = browser(role_user(VIEWER, sensitive=True))
    contact = protected.contact_methods.get()
    give_reason(client, protected)

    assert client.get(reverse("admin:partners_contactmethod_change", args=[contact.pk])).status_code == 200
    assert client.get(reverse("admin:partners_contactmethod_changelist")).status_code == 200
    lines = AccessLog.objects.order_by("pk").values_list("person", "view", "protected_count")
    assert list(lines) == [(protected.pk, "contacts", 0), (None, "contacts", 1)]


def test_lists_log_one_line_without_names_when_protected_people_are_shown(protected, role_user):
    PersonFactory(), PersonFactory()
    entitled = browser(role_user(VIEWER, sensitive=True))
    viewer = browser(role_user(VIEWER, username="plain-viewer"))

    assert entitled.get(reverse("admin:partners_person_changelist")).status_code == 200
    assert entitled.get(reverse("candidates")).status_code == 200
    assert viewer.get(reverse("admin:partners_person_changelist")).status_code == 200
    assert viewer.get(reverse("candidates")).status_code == 200

    lines = list(AccessLog.objects.order_by("pk").values_list("username", "view", "person", "protected_count"))
    assert lines == [("viewer-sensitive", "person-list", None, 1), ("viewer-sensitive", "finder", None, 1)]


def test_a_persons_page_shows_its_access_log_to_administrators_only(protected, role_user):
    administrator = browser(role_user(ADMINISTRATOR, sensitive=True))
    viewer = browser(role_user(VIEWER, sensitive=True))
    give_reason(viewer, protected, "Reason written by the viewer")
    viewer.get(page(protected))
    give_reason(administrator, protected, "Audit of the record")

    shown = administrator.get(page(protected)).content.decode()
    not_shown = viewer.get(page(protected)).content.decode()

    assert "Reason written by the viewer" in shown
    assert "Audit of the record" in shown
    assert "Reason written by the viewer" not in not_shown


def test_the_access_log_is_read_only_and_names_no_one(protected, role_user):
    entitled = browser(role_user(VIEWER, sensitive=True))
    give_reason(entitled, protected)
    entitled.get(page(protected))
    line = AccessLog.objects.get()
    administrator = browser(role_user(ADMINISTRATOR))

    listing = administrator.get(reverse("admin:privacy_accesslog_changelist"))
    of_person = administrator.get(reverse("admin:privacy_accesslog_changelist"), {"person__id__exact": protected.pk})
    detail = administrator.get(reverse("admin:privacy_accesslog_change", args=[line.pk]))
    deleted = administrator.post(reverse("admin:privacy_accesslog_delete", args=[line.pk]), {"post": "yes"})
    changed = administrator.post(reverse("admin:privacy_accesslog_change", args=[line.pk]), {"reason": "forged"})

    assert (listing.status_code, of_person.status_code, detail.status_code) == (200, 200, 200)
    assert of_person.context["cl"].result_count == 1
    for response in (listing, detail):
        assert f"#{protected.pk}" in response.content.decode()
        assert "Zephyrine" not in response.content.decode()
    assert (deleted.status_code, changed.status_code) == (403, 403)
    assert AccessLog.objects.get().reason == "Preparing the survivor panel invitation"

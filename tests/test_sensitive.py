"""Protected records: a person marked sensitive leaves no trace for a viewer — lists, search, autocomplete,
change and history pages (404), related pages ("protected speaker"), the candidate finder, every export
format, a tampered selection, deletion summaries, the admin log and counts."""

import io
import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conference.models import Appearance, Candidacy
from contact_sheets.formats import FORMATS
from partners.models import Affiliation, ContactMethod, ExportLog, Person, PersonExpertise
from partners.protection import sees_sensitive_people
from partners.roles import ROLES
from tests.admin_forms import change_form_data
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    CandidacyFactory,
    ContactMethodFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SessionFactory,
    WorkshopFactory,
    make_area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Several accounts per test: hash their passwords cheaply (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Everything that would identify the protected speaker (invented test data).
SECRETS = ["Zephyrine", "Quill", "澤菲琳", "zephyrine@hidden.test", "+12025550199", "Peer mentor ZQ"]


def assert_no_trace(text):
    found = [secret for secret in SECRETS if secret in text]
    assert found == [], f"protected speaker's details leaked: {found}"


@pytest.fixture
def world():
    """A session with a visible speaker and a protected survivor speaker, who has everything a person can have."""
    area = make_area("Victim protection", name_zh="被害人保護", code="protection")
    collective = OrganizationFactory(name="Survivor Collective")
    session = SessionFactory(title="Survivor leadership")
    only_their_event = EventFactory(name="Event only the protected speaker attended")
    workshop = WorkshopFactory()
    workshop.themes.add(area)

    visible = PersonFactory(full_name="Visible Speaker", name_zh="公開講者")
    AffiliationFactory(person=visible, organization=collective, title="Director")
    ContactMethodFactory(person=visible, value="visible@example.test")
    visible_appearance = AppearanceFactory(session=session, person=visible, role=Appearance.Role.SPEAKER)
    PersonExpertise.objects.create(person=visible, area=area, appearance=visible_appearance)
    CandidacyFactory(workshop=workshop, person=visible)

    hidden = PersonFactory(full_name="Zephyrine Quill", name_zh="澤菲琳", sensitive=True, bio="Peer mentor ZQ")
    affiliation = AffiliationFactory(person=hidden, organization=collective, title="Peer mentor ZQ")
    email = ContactMethodFactory(person=hidden, value="zephyrine@hidden.test")
    ContactMethodFactory(person=hidden, kind=ContactMethod.Kind.PHONE, value="+12025550199", is_primary=True)
    appearance = AppearanceFactory(
        session=session,
        person=hidden,
        role=Appearance.Role.SURVIVOR_SPEAKER,
        affiliation_as_printed="Peer mentor ZQ, Survivor Collective",
        order=2,
    )
    AppearanceFactory(session=SessionFactory(event=only_their_event), person=hidden)
    expertise = PersonExpertise.objects.create(person=hidden, area=area, appearance=appearance)
    candidacy = CandidacyFactory(workshop=workshop, person=hidden)
    return {
        "area": area,
        "collective": collective,
        "session": session,
        "workshop": workshop,
        "only_their_event": only_their_event,
        "visible": visible,
        "hidden": hidden,
        "hidden_rows": {
            Person: hidden,
            Affiliation: affiliation,
            ContactMethod: email,
            PersonExpertise: expertise,
            Appearance: appearance,
            Candidacy: candidacy,
        },
    }


def browser(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def viewer(role_user):
    return browser(role_user("Viewer"))


@pytest.fixture
def editor(role_user):
    return browser(role_user("Editor"))


def url_of(obj, view, *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


def registered_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in {"partners", "conference"}),
        key=lambda model: model._meta.label,
    )


# -- lists, search, counts, filters ---------------------------------------------------------------


def test_every_admin_list_shows_no_trace_to_a_viewer(world, role_user):
    client = browser(role_user("Administrator"))  # sees every list, but not sensitive people
    for model in registered_models():
        response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        assert response.status_code == 200, model
        assert_no_trace(response.content.decode())


def test_the_people_list_and_its_count_leave_the_protected_speaker_out(world, viewer):
    response = viewer.get(reverse("admin:partners_person_changelist"), {"_facets": "1"})

    changelist = response.context["cl"]
    assert list(changelist.result_list) == [world["visible"]]
    assert changelist.result_count == 1
    content = response.content.decode()
    assert_no_trace(content)
    # The facet counts come from the same rows: no sensitive person to count.
    assert '<a href="?_facets=1&amp;sensitive__exact=1">Yes (0)</a>' in content
    assert '<a href="?_facets=1&amp;sensitive__exact=0">No (1)</a>' in content


@pytest.mark.parametrize("term", ["Zephyrine", "澤菲琳", "zephyrine@hidden.test", "Peer mentor"])
@pytest.mark.parametrize(
    "model_name", ["person", "affiliation", "contactmethod", "personexpertise", "appearance", "candidacy"]
)
def test_search_finds_nothing_of_the_protected_speaker(world, viewer, model_name, term):
    app_label = "conference" if model_name in {"appearance", "candidacy"} else "partners"

    response = viewer.get(reverse(f"admin:{app_label}_{model_name}_changelist"), {"q": term})

    assert [row for row in response.context["cl"].result_list if world["hidden"].pk in related_people(row)] == []
    assert_no_trace(response.content.decode().replace(term, ""))  # the search box shows what was typed


def related_people(row):
    return {row.pk} if isinstance(row, Person) else {row.person_id}


def test_the_event_filter_lists_only_events_of_visible_people(world, viewer):
    other_event = EventFactory(name="Another event", start_date=world["session"].event.start_date)
    AppearanceFactory(session=SessionFactory(event=other_event), person=world["visible"])

    response = viewer.get(reverse("admin:partners_person_changelist"))

    specs = response.context["cl"].filter_specs
    event_filter = next(spec for spec in specs if getattr(spec, "field_path", "").endswith("event"))
    assert sorted(pk for pk, _label in event_filter.lookup_choices) == sorted(
        [world["session"].event_id, other_event.pk]
    )
    assert_no_trace(response.content.decode())
    assert world["only_their_event"].name not in response.content.decode()


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("partners", "affiliation", "person"),
        ("partners", "contactmethod", "person"),
        ("partners", "personexpertise", "person"),
        ("partners", "personexpertise", "appearance"),
        ("conference", "appearance", "person"),
        ("conference", "candidacy", "person"),
    ],
)
@pytest.mark.parametrize("term", ["", "Zeph", "Survivor"])
def test_autocomplete_never_offers_the_protected_speaker(world, role_user, app_label, model_name, field_name, term):
    client = browser(role_user("Coordinator"))

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )

    assert response.status_code == 200
    assert_no_trace(response.content.decode())
    ids = {int(result["id"]) for result in response.json()["results"]}
    hidden = world["hidden_rows"][Person if field_name == "person" else Appearance]
    assert hidden.pk not in ids


# -- change, delete and history pages: 404, as for a row that does not exist ------------------------


@pytest.mark.parametrize("model", [Person, Affiliation, ContactMethod, PersonExpertise, Appearance, Candidacy])
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_the_protected_speakers_pages_answer_404_like_a_missing_row(world, viewer, model, view):
    hidden = world["hidden_rows"][model]
    missing = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=[10**9])

    assert viewer.get(url_of(hidden, view)).status_code == 404
    assert viewer.get(missing).status_code == 404


@pytest.mark.parametrize("model", [Person, Affiliation, ContactMethod, PersonExpertise, Candidacy])
def test_a_past_version_of_a_protected_record_answers_404(world, viewer, model):
    hidden = world["hidden_rows"][model]
    version = hidden.history.earliest("history_date")

    assert viewer.get(url_of(hidden, "simple_history", version.history_id)).status_code == 404


def test_with_sensitive_access_the_pages_open(world, role_user):
    client = browser(role_user("Viewer", sensitive=True))
    for model, hidden in world["hidden_rows"].items():
        for view in ["change", "history"]:
            assert client.get(url_of(hidden, view)).status_code == 200, (model, view)
    assert client.get(reverse("admin:partners_person_changelist")).context["cl"].result_count == 2


def test_sees_sensitive_people_agrees_with_visible_to(world, role_user):
    users = [AnonymousUser(), None]
    users += [role_user(role, username=f"u-{role}-{flag}", sensitive=flag) for role in ROLES for flag in (False, True)]
    for user in users:
        assert sees_sensitive_people(user) == Person.objects.visible_to(user).filter(sensitive=True).exists()


# -- related pages: "protected speaker", no name -----------------------------------------------------


def test_the_session_lists_a_protected_speaker_by_role_only(world, viewer):
    response = viewer.get(url_of(world["session"], "change"))

    content = response.content.decode()
    assert_no_trace(content)
    assert "Visible Speaker" in content
    protected = content[content.index('id="appearances-2-group"') :]
    assert "Protected speaker" in protected
    assert "Survivor speaker" in protected


def test_the_session_can_still_be_saved_by_an_editor_who_cannot_see_the_protected_speaker(world, editor):
    session = world["session"]
    form = editor.get(url_of(session, "change"))

    response = editor.post(url_of(session, "change"), change_form_data(form, title="Survivor leadership (day 2)"))

    assert response.status_code == 302
    assert Appearance.objects.filter(session=session).count() == 2


@pytest.mark.parametrize("page", ["organization", "workshop", "event"])
def test_organization_and_event_pages_show_no_trace(world, viewer, page):
    obj = {
        "organization": world["collective"],
        "workshop": world["workshop"],
        "event": world["session"].event,
    }[page]

    response = viewer.get(url_of(obj, "change"))

    assert response.status_code == 200
    assert_no_trace(response.content.decode())


@pytest.mark.parametrize("target", ["session", "organization", "area"])
def test_a_deletion_summary_names_the_protected_speaker_only_as_such(world, role_user, target):
    obj = {"session": world["session"], "organization": world["collective"], "area": world["area"]}[target]
    client = browser(role_user("Administrator"))

    response = client.get(url_of(obj, "delete"))

    content = response.content.decode()
    assert response.status_code == 200
    assert_no_trace(content)
    assert "protected speaker" in content


def test_the_admin_log_names_an_inline_protected_speaker_only_as_such(world, role_user, viewer):
    session = world["session"]
    entitled = browser(role_user("Coordinator", sensitive=True))
    form = entitled.get(url_of(session, "change"))
    index = next(
        i
        for i, f in enumerate(form.context["inline_admin_formsets"][0].formset.forms)
        if f.instance.person_id and f.instance.person.sensitive
    )
    entitled.post(url_of(session, "change"), change_form_data(form, **{f"appearances-{index}-order": "5"}))

    history = viewer.get(url_of(session, "history"))

    content = history.content.decode()
    assert "protected speaker" in content
    assert_no_trace(content)


def test_a_typed_in_protected_person_is_refused_like_a_missing_one(world, editor):
    url = reverse("admin:partners_affiliation_add")
    data = {"organization": world["collective"].pk, "title": "x", "is_current": "on"}

    hidden = editor.post(url, {**data, "person": world["hidden"].pk})
    missing = editor.post(url, {**data, "person": 10**9})

    assert hidden.status_code == missing.status_code == 200
    assert hidden.context["adminform"].form.errors["person"] == missing.context["adminform"].form.errors["person"]
    assert Affiliation.objects.filter(title="x").count() == 0


# -- the candidate finder and every export path ------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"q": "Zephyrine"}, {"q": "Survivor"}, {"workshop": "WORKSHOP"}])
def test_the_candidate_finder_shows_no_trace(world, role_user, query):
    client = browser(role_user("Coordinator"))
    query = {key: world["workshop"].pk if value == "WORKSHOP" else value for key, value in query.items()}

    response = client.get(reverse("candidates"), query)

    assert response.status_code == 200
    assert_no_trace(response.content.decode().replace(query.get("q", "\0"), ""))


def export_text(response, fmt):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return json.dumps([list(row) for sheet in workbook for row in sheet.iter_rows(values_only=True)])
    return content.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_format_of_a_tampered_selection_leaves_the_protected_speaker_out(world, viewer, fmt):
    ids = f"{world['visible'].pk},{world['hidden'].pk}"

    response = viewer.get(reverse("contact-sheet-export"), {"format": fmt, "ids": ids})

    assert response.status_code == 200
    text = export_text(response, fmt)
    assert "Visible Speaker" in text
    assert_no_trace(text)
    log = ExportLog.objects.get()
    assert (log.row_count, log.included_sensitive) == (1, False)


@pytest.mark.parametrize("query", [{"q": "Zephyrine"}, {"workshop": "WORKSHOP"}, {"expertise": "AREA"}])
def test_the_printable_sheet_and_finder_exports_leave_the_protected_speaker_out(world, viewer, query):
    substitute = {"WORKSHOP": world["workshop"].pk, "AREA": world["area"].pk}
    query = {key: substitute.get(value, value) for key, value in query.items()}

    sheet = viewer.get(reverse("contact-sheet"), query)
    download = viewer.get(reverse("contact-sheet-export"), {**query, "format": "csv"})

    assert sheet.status_code == download.status_code == 200
    typed = query.get("q", "\0")  # the sheet repeats the filters it was made with
    assert_no_trace(sheet.content.decode().replace(typed, ""))
    assert_no_trace(export_text(download, "csv").replace(typed, ""))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_admin_export_action_with_a_tampered_selection_leaves_the_protected_speaker_out(world, viewer, fmt):
    response = viewer.post(
        reverse("admin:partners_person_changelist"),
        {"action": f"export_contact_sheet_{fmt}", "_selected_action": [world["visible"].pk, world["hidden"].pk]},
    )

    assert response.status_code == 200
    text = export_text(response, fmt)
    assert "Visible Speaker" in text
    assert_no_trace(text)


def test_the_candidacy_export_action_with_a_tampered_selection_leaves_the_protected_speaker_out(world, viewer):
    candidacies = Candidacy.objects.filter(workshop=world["workshop"]).values_list("pk", flat=True)

    response = viewer.post(
        reverse("admin:conference_candidacy_changelist"),
        {"action": "export_candidates_csv", "_selected_action": list(candidacies)},
    )

    assert response.status_code == 200
    text = export_text(response, "csv")
    assert "Visible Speaker" in text
    assert_no_trace(text)


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("model", [Person, Affiliation, ContactMethod, PersonExpertise, Appearance, Candidacy])
def test_the_admin_shortcut_answers_alike_for_a_protected_and_a_missing_row(world, viewer, settings, model, debug):
    """Issue 21, item 16: ``/admin/r/<content type>/<id>/`` cannot tell a protected id from a missing one."""
    from django.contrib.contenttypes.models import ContentType

    settings.DEBUG = debug
    content_type = ContentType.objects.get_for_model(model)
    hidden = world["hidden_rows"][model]

    def shortcut(pk):
        response = viewer.get(reverse("admin:view_on_site", args=[content_type.pk, pk]))
        return response.status_code, response.content.decode().replace(f"/{content_type.pk}/{pk}/", "/CT/ID/")

    assert shortcut(hidden.pk) == shortcut(10**9)
    assert shortcut(hidden.pk)[0] == 404

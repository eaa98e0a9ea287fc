"""Tagging suitability: the finder's and the admin lists' selection → form → confirmation → saved; status steps."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from conference.models import Candidacy
from conference.services import assess_candidates
from partners.models import PersonExpertise
from tests.factories import CandidacyFactory, EventFactory, PersonFactory, WorkshopFactory, make_area

pytestmark = pytest.mark.django_db

ASSESS = reverse("assess-candidates")
FINDER = reverse("candidates")

PLANNER_PERMISSIONS = [
    "partners.view_person",
    "conference.view_event",
    "conference.change_event",
    "conference.view_candidacy",
    "conference.add_candidacy",
    "conference.change_candidacy",
    "conference.assess_candidacy",
]


@pytest.fixture
def planner(make_user):
    return make_user("planner", *PLANNER_PERMISSIONS)


@pytest.fixture
def bystander(make_user):
    """Sees and edits everything except assessing candidates."""
    return make_user("bystander", *[p for p in PLANNER_PERMISSIONS if p != "conference.assess_candidacy"])


@pytest.fixture
def logged_in(client):
    def log_in(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return log_in


@pytest.fixture
def workshop():
    return WorkshopFactory(name="Relief Workshop", name_zh="")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_assessment_needs_the_permission(logged_in, bystander, workshop):
    person = PersonFactory()
    client = logged_in(bystander)

    assert client.get(ASSESS, {"person": person.pk, "workshop": workshop.pk}).status_code == 403
    post = {"person": person.pk, "workshop": workshop.pk, "suitability": "suitable", "reason": "x", "confirm": "1"}
    assert client.post(ASSESS, post).status_code == 403
    assert not Candidacy.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(ASSESS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_form_then_confirmation_then_saved(logged_in, planner, workshop):
    alice, bob = PersonFactory(full_name="Alice Able"), PersonFactory(full_name="Bob Best")
    CandidacyFactory(workshop=workshop, person=bob, suitability="possible", reason="Earlier")
    client = logged_in(planner)
    next_url = f"{FINDER}?workshop={workshop.pk}"

    form = client.get(ASSESS, {"person": [alice.pk, bob.pk], "workshop": workshop.pk, "next": next_url})
    assert form.status_code == 200
    assert form.context["people"] == [alice, bob]
    assert form.context["form"]["workshop"].value() == workshop.pk

    data = {
        "person": [alice.pk, bob.pk],
        "workshop": workshop.pk,
        "suitability": "suitable",
        "reason": "Both spoke on T visas",
        "next": next_url,
    }
    confirmation = client.post(ASSESS, data)
    assert confirmation.status_code == 200
    assert [t.name for t in confirmation.templates][0] == "conference/assess_confirm.html"
    assert [person for person, candidacy in confirmation.context["rows"]] == [alice, bob]
    assert "Alice Able" in confirmation.content.decode() and "Possible" in confirmation.content.decode()
    assert Candidacy.objects.get(person=bob).suitability == "possible"  # nothing saved yet

    saved = client.post(ASSESS, {**data, "confirm": "1"})
    assert saved.status_code == 302
    assert saved.url == next_url
    assert messages_of(saved) == ["Recorded “Suitable” for 2 people for Relief Workshop (2022) (1 new, 1 updated)."]
    assert sorted(Candidacy.objects.values_list("person__full_name", "suitability", "reason", "decided_by")) == [
        ("Alice Able", "suitable", "Both spoke on T visas", planner.pk),
        ("Bob Best", "suitable", "Both spoke on T visas", planner.pk),
    ]


def test_the_reason_is_required(logged_in, planner, workshop):
    person = PersonFactory()

    response = logged_in(planner).post(
        ASSESS, {"person": person.pk, "workshop": workshop.pk, "suitability": "suitable", "reason": "", "confirm": "1"}
    )

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not Candidacy.objects.exists()


def test_only_workshops_can_be_chosen(logged_in, planner):
    person, conference = PersonFactory(), EventFactory()

    response = logged_in(planner).post(
        ASSESS, {"person": person.pk, "workshop": conference.pk, "suitability": "suitable", "reason": "x"}
    )

    assert "workshop" in response.context["form"].errors


def test_a_sensitive_person_cannot_be_assessed_without_seeing_them(logged_in, planner, workshop):
    hidden = PersonFactory(sensitive=True)
    client = logged_in(planner)

    shown = client.get(ASSESS, {"person": hidden.pk, "workshop": workshop.pk})
    posted = client.post(
        ASSESS, {"person": hidden.pk, "workshop": workshop.pk, "suitability": "suitable", "reason": "x", "confirm": "1"}
    )

    assert shown.status_code == 200
    assert shown.context["people"] == []
    assert "No one is selected." in shown.content.decode()
    assert "person" in posted.context["form"].errors
    assert not Candidacy.objects.exists()


def test_an_unsafe_next_is_ignored(logged_in, planner, workshop):
    person = PersonFactory()
    data = {
        "person": person.pk,
        "workshop": workshop.pk,
        "suitability": "possible",
        "reason": "x",
        "next": "https://evil.example/",
        "confirm": "1",
    }

    response = logged_in(planner).post(ASSESS, data)

    assert response.url == reverse("admin:conference_event_change", args=[workshop.pk])


def test_a_planner_tags_ten_from_the_finder_and_finds_them_on_the_workshop_and_in_history(logged_in, planner):
    area = make_area("Immigration relief", name_zh="移民救濟")
    workshop = WorkshopFactory(name="Relief Workshop", name_zh="")
    workshop.themes.add(area)
    for _ in range(12):
        PersonExpertise.objects.create(person=PersonFactory(), area=area, note="Known for it")
    client = logged_in(planner)

    finder = client.get(FINDER, {"workshop": workshop.pk})
    chosen = [row.person for row in finder.context["rows"]][:10]
    back = f"{FINDER}?workshop={workshop.pk}"
    form = client.get(ASSESS, {"person": [p.pk for p in chosen], "workshop": workshop.pk, "next": back})
    data = {
        "person": [p.pk for p in chosen],
        "workshop": workshop.pk,
        "suitability": "suitable",
        "reason": "Practitioners of immigration relief",
        "next": form.context["form"]["next"].value(),
    }
    client.post(ASSESS, data)
    saved = client.post(ASSESS, {**data, "confirm": "1"})

    assert saved.url == back
    assert Candidacy.objects.filter(workshop=workshop, suitability="suitable").count() == 10
    page = client.get(reverse("admin:conference_event_change", args=[workshop.pk]))
    shortlist = page.context["shortlist"]
    assert [(g.suitability, g.count) for g in shortlist.groups] == [
        ("suitable", 10),
        ("possible", 0),
        ("not_assessed", 0),
        ("not_suitable", 0),
    ]
    assert "Practitioners of immigration relief" in page.content.decode()
    candidacy = Candidacy.objects.filter(workshop=workshop).first()
    history = client.get(reverse("admin:conference_candidacy_history", args=[candidacy.pk]))
    assert history.status_code == 200
    change = client.get(reverse("admin:conference_candidacy_change", args=[candidacy.pk]))
    assert "Practitioners of immigration relief" in change.content.decode()
    assert [d.history_user for d in change.context["adminform"].form.instance.history.all()] == [planner]


# From the admin's lists.


def test_person_list_action_leads_to_the_form(logged_in, planner):
    alice, bob = PersonFactory(full_name="Alice Able"), PersonFactory(full_name="Bob Best")

    response = logged_in(planner).post(
        reverse("admin:partners_person_changelist"),
        {"action": "assess_for_workshop", "_selected_action": [alice.pk, bob.pk]},
    )

    assert response.status_code == 200
    assert response.context["people"] == [alice, bob]
    assert f'action="{ASSESS}"' in response.content.decode()


def test_person_list_action_is_offered_only_with_the_permission(logged_in, planner, bystander):
    url = reverse("admin:partners_person_changelist")

    def actions(user):
        action_form = logged_in(user).get(url).context["action_form"]
        return [name for name, label in action_form.fields["action"].choices] if action_form else []

    assert "assess_for_workshop" in actions(planner)
    assert "assess_for_workshop" not in actions(bystander)


def test_candidacy_list_action_preselects_their_workshop(logged_in, planner, workshop):
    first, second = CandidacyFactory(workshop=workshop), CandidacyFactory(workshop=workshop)

    response = logged_in(planner).post(
        reverse("admin:conference_candidacy_changelist"),
        {"action": "assess_selected", "_selected_action": [first.pk, second.pk]},
    )

    assert response.status_code == 200
    assert sorted(p.pk for p in response.context["people"]) == sorted([first.person_id, second.person_id])
    assert response.context["form"]["workshop"].value() == workshop.pk


def test_candidacy_list_illegal_status_step_is_a_message_and_changes_nothing(logged_in, planner, workshop):
    identified = CandidacyFactory(workshop=workshop, person=PersonFactory(full_name="Ida Early"))

    response = logged_in(planner).post(
        reverse("admin:conference_candidacy_changelist"),
        {"action": "mark_confirmed", "_selected_action": [identified.pk]},
        follow=True,
    )

    assert response.status_code == 200
    [message] = messages_of(response)
    assert "Ida Early" in message
    assert "cannot go from “Identified” to “Confirmed”" in message
    assert "Nothing was changed." in message
    identified.refresh_from_db()
    assert identified.status == Candidacy.Status.IDENTIFIED


def test_candidacy_list_legal_status_step(logged_in, planner, workshop):
    shortlisted = CandidacyFactory(workshop=workshop, status=Candidacy.Status.SHORTLISTED)

    response = logged_in(planner).post(
        reverse("admin:conference_candidacy_changelist"),
        {"action": "mark_invited", "_selected_action": [shortlisted.pk]},
        follow=True,
    )

    assert messages_of(response) == ["1 candidacy moved to “Invited”."]
    shortlisted.refresh_from_db()
    assert (shortlisted.status, shortlisted.decided_by) == (Candidacy.Status.INVITED, planner)


def change_form_data(candidacy, **changes):
    data = {
        "workshop": candidacy.workshop_id,
        "person": candidacy.person_id,
        "suitability": candidacy.suitability,
        "reason": candidacy.reason,
        "status": candidacy.status,
        "loaded_version": candidacy.version,
    }
    data.update(changes)
    return data


def test_candidacy_change_form_refuses_an_illegal_step_with_a_message(logged_in, planner, workshop):
    candidacy = CandidacyFactory(workshop=workshop)
    url = reverse("admin:conference_candidacy_change", args=[candidacy.pk])

    response = logged_in(planner).post(url, change_form_data(candidacy, status="confirmed"))

    assert response.status_code == 200
    assert "cannot go from “Identified” to “Confirmed”" in str(response.context["adminform"].form.errors["status"])
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.version) == (Candidacy.Status.IDENTIFIED, 1)


def test_candidacy_change_form_saves_through_the_service(logged_in, planner, workshop):
    candidacy = CandidacyFactory(workshop=workshop)
    url = reverse("admin:conference_candidacy_change", args=[candidacy.pk])

    response = logged_in(planner).post(
        url, change_form_data(candidacy, status="shortlisted", suitability="suitable", reason="Strong")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.suitability, candidacy.decided_by, candidacy.version) == (
        "shortlisted",
        "suitable",
        planner,
        2,
    )
    assert candidacy.history.first().history_user == planner


def test_candidacy_decisions_are_read_only_without_the_permission(logged_in, bystander, workshop):
    candidacy = CandidacyFactory(workshop=workshop)
    url = reverse("admin:conference_candidacy_change", args=[candidacy.pk])

    response = logged_in(bystander).get(url)

    assert {"suitability", "reason", "status"} <= set(response.context["adminform"].readonly_fields)


def test_candidacy_page_shows_the_decision_history(logged_in, planner, workshop):
    person = PersonFactory()
    assess_candidates([person], workshop=workshop, suitability="possible", reason="First look", by=planner)
    assess_candidates([person], workshop=workshop, suitability="suitable", reason="Second look", by=planner)
    candidacy = Candidacy.objects.get()

    content = logged_in(planner).get(reverse("admin:conference_candidacy_change", args=[candidacy.pk])).content

    text = content.decode()
    assert text.index("Second look") < text.index("First look")
    assert "decision-history" in text


def test_workshop_page_shortlist_counts_by_suitability_and_status(logged_in, planner, workshop):
    people = [PersonFactory() for _ in range(3)]
    assess_candidates(people[:2], workshop=workshop, suitability="suitable", reason="Yes", by=planner)
    assess_candidates(people[2:], workshop=workshop, suitability="not_suitable", reason="No", by=planner)
    Candidacy.objects.filter(person=people[0]).update(status=Candidacy.Status.SHORTLISTED)

    response = logged_in(planner).get(reverse("admin:conference_event_change", args=[workshop.pk]))

    shortlist = response.context["shortlist"]
    counts = {
        (group.suitability, status): count
        for group in shortlist.groups
        for status, label, count in group.status_counts
        if count
    }
    assert counts == {("suitable", "identified"): 1, ("suitable", "shortlisted"): 1, ("not_suitable", "identified"): 1}
    assert 'id="workshop-shortlist"' in response.content.decode()


def test_conference_page_has_no_shortlist(logged_in, planner):
    conference = EventFactory()

    response = logged_in(planner).get(reverse("admin:conference_event_change", args=[conference.pk]))

    assert "shortlist" not in response.context


def test_adding_a_candidate_on_the_workshop_page_goes_through_the_service(logged_in, planner, workshop):
    person = PersonFactory()
    client = logged_in(planner)
    url = reverse("admin:conference_event_change", args=[workshop.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "themes"}
    data.update(
        {
            "organizer": "",
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
            "candidacies-TOTAL_FORMS": 1,
            "candidacies-INITIAL_FORMS": 0,
            "candidacies-0-person": person.pk,
            "candidacies-0-workshop": workshop.pk,
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    candidacy = Candidacy.objects.get()
    assert (candidacy.person, candidacy.status, candidacy.decided_by) == (person, "identified", planner)
    assert candidacy.history.get().history_user == planner


def test_tag_selected_with_nobody_ticked_stays_on_the_finder_with_a_message(logged_in, planner, workshop):
    client = logged_in(planner)
    finder = f"{FINDER}?workshop={workshop.pk}"

    response = client.get(ASSESS, {"workshop": workshop.pk, "next": finder})

    assert response.status_code == 302
    assert response.url == finder
    assert messages_of(response) == ["Tick the people to tag first, then choose “Tag selected…”."]

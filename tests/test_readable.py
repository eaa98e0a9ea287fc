"""Readable in both languages: history pages translated, with labels and local times; the language switch."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conference.models import Candidacy
from conference.services import change_candidacies_status
from tests.factories import CandidacyFactory

pytestmark = pytest.mark.django_db


def browser(user, language):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def candidacy_moved_on(role_user):
    coordinator = role_user("Coordinator")
    candidacy = CandidacyFactory(status=Candidacy.Status.IDENTIFIED)
    change_candidacies_status(
        Candidacy.objects.filter(pk=candidacy.pk), status=Candidacy.Status.SHORTLISTED, by=coordinator
    )
    return candidacy, coordinator


def history_page(client, candidacy):
    return client.get(reverse("admin:conference_candidacy_history", args=[candidacy.pk])).content.decode()


def test_the_history_page_in_chinese_shows_labels_local_times_and_no_english(candidacy_moved_on):
    candidacy, coordinator = candidacy_moved_on

    html = history_page(browser(coordinator, "zh-hant"), candidacy)

    assert re.search(r"已列名\s*&nbsp;&rarr;&nbsp;&nbsp;入選名單", html)
    for english in ("Choose a date", "Object", "Change reason", "Created", "Changed", ">None<", "identified"):
        assert english not in html
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d（臺北時間）</td>", html)
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", html)  # no microseconds anywhere


def test_the_history_page_in_english_shows_labels_with_the_zone(candidacy_moved_on):
    candidacy, coordinator = candidacy_moved_on

    html = history_page(browser(coordinator, "en"), candidacy)

    assert re.search(r"Identified\s*&nbsp;&rarr;&nbsp;&nbsp;Shortlisted", html)
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d \(Taipei time\)</td>", html)


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_language_switch_names_each_language_in_itself(role_user, language):
    html = browser(role_user("Viewer"), language).get(reverse("admin:index")).content.decode()

    assert re.search(r'lang="en"[^>]*>English</button>', html)
    assert re.search(r'lang="zh-hant"[^>]*>繁體中文</button>', html)


def test_events_and_sessions_show_their_original_name_in_english_and_the_chinese_in_chinese():
    from django.utils import translation

    from tests.factories import EventFactory, SessionFactory

    event = EventFactory(name="Freedom Network USA Conference", name_zh="美國自由網絡年會")
    session = SessionFactory(event=event, title="Ask a Fed", title_zh="聯邦機關問答")
    untranslated = SessionFactory(event=event, title="Welcome", title_zh="")

    with translation.override("en"):
        assert [str(event), str(session), str(untranslated)] == [
            "Freedom Network USA Conference / 美國自由網絡年會 (2022)",
            "Ask a Fed / 聯邦機關問答",
            "Welcome",
        ]
    with translation.override("zh-hant"):
        assert [str(event), str(session), str(untranslated)] == ["美國自由網絡年會 (2022)", "聯邦機關問答", "Welcome"]


def test_the_english_admin_shows_a_sessions_event_by_its_original_name(role_user):
    from tests.factories import EventFactory, SessionFactory

    event = EventFactory(name="Freedom Network USA Conference", name_zh="美國自由網絡年會")
    session = SessionFactory(event=event, title="Ask a Fed", title_zh="聯邦機關問答")

    html = browser(role_user("Viewer"), "en").get(reverse("admin:conference_session_changelist")).content.decode()

    assert "Freedom Network USA Conference / 美國自由網絡年會" in html
    assert session.title in html

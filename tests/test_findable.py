"""Findable: the staff pages from the first page, the sidebar and the header; the index in the order of the work;
error pages in Liaison's look with a way back; a favicon."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

FINDER, SHEET = reverse("candidates"), reverse("contact-sheet")


def browser(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def sections(html):
    """The index's sections by their caption, in page order."""
    return re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', html)


@pytest.mark.parametrize("role", ["Viewer", "Editor", "Coordinator", "Administrator"])
def test_everyone_allowed_finds_the_finder_and_the_sheet_on_the_index_in_the_header_and_in_the_sidebar(role_user, role):
    client = browser(role_user(role))

    index = client.get(reverse("admin:index")).content.decode()
    people = client.get(reverse("admin:partners_person_changelist")).content.decode()

    for html in (index, people):
        assert html.count(f'href="{FINDER}"') >= 2  # the header and the index or sidebar
        assert f'href="{SHEET}"' in html
    header = people.split('<div id="user-tools">', 1)[1].split("</div>", 1)[0]
    assert f'<a href="{FINDER}">Candidate finder</a>' in header
    assert f'<a href="{SHEET}">Printable contact sheet</a>' in header
    sidebar = people.split('<nav class="sticky" id="nav-sidebar"', 1)[1]
    assert f'href="{FINDER}"' in sidebar.split("</nav>", 1)[0]


def test_the_index_follows_the_order_of_the_work(role_user):
    html = browser(role_user("Administrator")).get(reverse("admin:index")).content.decode()

    assert sections(html) == [
        "Find and export",
        "Partners",
        "Conferences and workshops",
        "Outreach",
        "Documents",
        "Personal data",
        "Authentication and Authorization",
        "Log-in records",
    ]
    people, organizations = html.index(">People<"), html.index(">Organizations<")
    assert people < organizations < html.index(">Affiliations<")


def test_the_index_in_chinese_names_the_login_records_in_chinese(role_user):
    html = browser(role_user("Administrator"), "zh-hant").get(reverse("admin:index")).content.decode()

    assert "登入紀錄" in html
    assert "Axes" not in html
    assert "候選講者搜尋" in html


def test_a_viewer_sees_no_login_records_and_no_accounts(role_user):
    html = browser(role_user("Viewer")).get(reverse("admin:index")).content.decode()

    assert sections(html)[0] == "Find and export"
    assert "Log-in records" not in html
    assert "Authentication and Authorization" not in html


def test_a_viewer_can_open_both_pages_the_links_lead_to(role_user):
    client = browser(role_user("Viewer"))

    assert client.get(FINDER).status_code == 200
    assert client.get(SHEET).status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "back"),
    [("en", "Page not found", "Back to Liaison’s first page"), ("zh-hant", "找不到網頁", "回到 Liaison 首頁")],
)
def test_a_missing_page_is_in_liaisons_look_translated_with_a_way_back(role_user, language, title, back):
    response = browser(role_user("Viewer"), language).get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in html
    assert f'href="{reverse("admin:index")}">{back}</a>' in html
    assert "favicon.svg" in html


def test_a_refused_page_is_in_liaisons_look_translated_with_a_way_back(role_user):
    response = browser(role_user("Viewer"), "zh-hant").get(reverse("assess-candidates"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>無權開啟</h1>" in html
    assert "回到 Liaison 首頁" in html


def test_the_server_error_page_renders_on_its_own(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_every_admin_page_has_the_favicon(role_user):
    html = browser(role_user("Viewer")).get(reverse("admin:index")).content.decode()

    assert 'rel="icon" href="/static/liaison/favicon.svg"' in html

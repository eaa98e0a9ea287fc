"""The overview's charts in Chromium: Chart.js (served by Liaison) draws every chart under the CSP,
with no console error, and each chart's table is there."""

import datetime as dt

import pytest
from django.utils import timezone

from partners.models import PersonExpertise
from tests.factories import CandidacyFactory, PersonFactory, UserFactory, WorkshopFactory, make_area

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHARTS = ["expertise", "pipeline", "countries", "years", "reconfirm"]


def test_the_charts_render_under_the_policy(page, login):
    area = make_area("Digital investigation", name_zh="數位調查", code="digital")
    workshop = WorkshopFactory(
        start_date=timezone.localdate() + dt.timedelta(days=30), end_date=timezone.localdate() + dt.timedelta(days=31)
    )
    workshop.themes.add(area)
    for country in ["US", "KR", "PH"]:
        person = PersonFactory(country=country)
        PersonExpertise.objects.create(person=person, area=area, note="test")
        CandidacyFactory(workshop=workshop, person=person)
    problems = []

    def on_console(message):
        # The browser's own request for /favicon.ico (which Liaison does not serve) is not the page's.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    login(UserFactory(username="viewer-admin", is_superuser=True))

    page.goto("/overview/")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("typeof window.Chart") == "function"
    for chart_id in CHARTS:
        assert page.locator(f"#table-{chart_id}").count() == 1
        drawn = page.evaluate(
            '(id) => { const c = document.querySelector(`canvas[data-chart="${id}"]`);'
            " return !!window.Chart.getChart(c) && c.width > 0 && c.height > 0; }",
            chart_id,
        )
        assert drawn, chart_id
    assert problems == []

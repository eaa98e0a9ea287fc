"""axe-core finds no critical or serious violation on the pages staff use, in Traditional Chinese and English.

The pages of the issue: log-in, the admin index, the lists and change pages of people,
organizations, events, sessions and candidacies, the candidate finder with results, the tagging
form and its confirmation, the printable sheet, the import pages (form and preview), the
duplicates and merge pages, the letters page, a letters job's page and the list of one's jobs;
also a history page and an open autocomplete. Each failure lists the rule and the elements
(tests/e2e/axe.py).
"""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from conference.models import Candidacy, Event, Session
from jobs.models import Job
from partners.models import ExpertiseArea, Organization, Person
from tests.e2e.axe import assert_accessible
from tests.factories import CandidacyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def seed():
    """The seed record, a workshop with themes and a candidacy, and two people who look alike."""
    call_command("loaddata", "fnusa_2022", verbosity=0)
    workshop = Event.objects.create(
        kind=Event.Kind.WORKSHOP,
        name="Workshop on immigration relief for victims",
        name_zh="被害人移民救濟工作坊",
        start_date=dt.date(2023, 9, 1),
        end_date=dt.date(2023, 9, 2),
        time_zone="Asia/Taipei",
        country="TW",
    )
    workshop.themes.add(ExpertiseArea.objects.get(code="legal-immigration-relief"))
    candidacy = CandidacyFactory(workshop=workshop, person=Person.objects.order_by("pk").first())
    twin = PersonFactory(full_name="Jean Example", country="US")
    PersonFactory(full_name="Jean Exampel", country="US")
    return {
        "workshop": workshop,
        "candidacy": candidacy,
        "person": Person.objects.order_by("pk").first(),
        "twin": twin,
        "organization": Organization.objects.exclude(parent=None).order_by("pk").first(),
        "conference": Event.objects.filter(kind=Event.Kind.CONFERENCE).order_by("pk").first(),
        "session": Session.objects.order_by("pk").first(),
    }


def letters_job(user, workshop):
    """A batch of letters half written, as its page shows it while the worker runs."""
    now = timezone.now()
    return Job.objects.create(
        user=user,
        kind=Job.Kind.LETTERS,
        state=Job.State.RUNNING,
        description=f"{workshop.name}, 3 letters",
        started_at=now,
        phase_started_at=now,
        progress_at=now,
        done=1,
        total=3,
        phase="Writing the letters",
        params={"back_url": f"/documents/workshops/{workshop.pk}/letters/"},
    )


def import_file():
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["Name (original)", "Country", "Primary e-mail", "Primary phone"],
            ["Example Person", "US", "person@example.org", "12345"],  # a bad phone: the preview lists it
        ]
    )
    return {"name": "people.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode("utf-8")}


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_no_critical_or_serious_violation_on_the_staff_pages(page, login, seed, language):
    page.goto("/admin/login/")
    if language == "en":
        page.click(".language-switch button[value=en]")
    assert_accessible(page, "the log-in page")

    administrator = UserFactory(username="administrator", is_superuser=True)
    login(administrator)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, "the admin index")

    pages = {
        "the person list": "/admin/partners/person/",
        "a person's page": f"/admin/partners/person/{seed['person'].pk}/change/",
        "a person's history": f"/admin/partners/person/{seed['person'].pk}/history/",
        "the organization list": "/admin/partners/organization/",
        "an organization's page": f"/admin/partners/organization/{seed['organization'].pk}/change/",
        "the event list": "/admin/conference/event/",
        "a conference's page": f"/admin/conference/event/{seed['conference'].pk}/change/",
        "a workshop's page": f"/admin/conference/event/{seed['workshop'].pk}/change/",
        "the session list": "/admin/conference/session/",
        "a session's page": f"/admin/conference/session/{seed['session'].pk}/change/",
        "the candidacy list": "/admin/conference/candidacy/",
        "a candidacy's page": f"/admin/conference/candidacy/{seed['candidacy'].pk}/change/",
        "a candidacy's history": f"/admin/conference/candidacy/{seed['candidacy'].pk}/history/",
        "the printable sheet": f"/contact-sheet/?workshop={seed['workshop'].pk}",
        "the duplicates page": "/admin/partners/person/duplicates/",
        "the export log": "/admin/partners/exportlog/",
        "the finder's text search": "/candidates/?q=T%E7%B0%BD%E8%AD%89",
        "the merge page": (f"/admin/partners/person/merge/?survivor={seed['twin'].pk}&duplicate={seed['twin'].pk + 1}"),
        "the letters page": f"/documents/workshops/{seed['workshop'].pk}/letters/?status={seed['candidacy'].status}",
        "a letters job's page": letters_job(administrator, seed["workshop"]).get_absolute_url(),
        "my background jobs": "/jobs/",
    }
    for where, url in pages.items():
        page.goto(url)
        assert_accessible(page, where)

    # An open autocomplete: its search box is named after its field.
    page.goto(f"/admin/partners/person/{seed['person'].pk}/change/")
    page.locator("#affiliations-group .add-row a").click()
    page.locator("#affiliations-group tr.dynamic-affiliations").last.locator(".select2-selection").click()
    assert_accessible(page, "a person's page with an autocomplete open")

    # The finder with results, then tagging two of them: the form and its confirmation.
    page.goto(f"/candidates/?workshop={seed['workshop'].pk}")
    assert page.locator("#result_list tbody tr").count() >= 2
    assert_accessible(page, "the candidate finder with results")
    boxes = page.locator("#result_list tbody input[name=person]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("button[form=tag-form]")
    page.wait_for_url("**/candidates/assess/**")
    assert_accessible(page, "the tagging form")
    page.check(f"input[name=suitability][value={Candidacy.Suitability.SUITABLE}]")
    page.fill("textarea[name=reason]", "Practitioners of immigration relief")
    page.click("input[type=submit].default")
    page.wait_for_load_state()
    assert page.locator("button[name=confirm], input[name=confirm]").count() == 1
    assert_accessible(page, "the tagging confirmation")

    # The import form and its preview (with one row's error listed).
    page.goto("/admin/partners/person/import/")
    assert_accessible(page, "the import form")
    page.set_input_files("input[type=file]", files=[import_file()])
    page.click("input[type=submit].default")
    page.wait_for_selector("#import-errors")
    assert_accessible(page, "the import preview")

"""The contact import's planner reads the stored state in bulk: the number of queries does not
grow with the rows, and the values it works out once (contact keys, organizations' Chinese-name
keys, translated match reasons) give the same plan as comparing each value afresh."""

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from importing.contacts import ImportPlanner, import_contacts
from importing.matching import PersonIndex, find_person_matches
from importing.plans import ImportResult, RowPlan
from partners.models import Affiliation, ContactMethod, Person
from tests.factories import (
    AffiliationFactory,
    ContactMethodFactory,
    OrganizationFactory,
    PersonFactory,
    make_contact_sheet_person,
)
from tests.importing.test_import import run, sheet

pytestmark = pytest.mark.django_db


def updates_of(people):
    """A sheet changing each person's honorific, matched by e-mail and name at their organization."""
    return sheet(
        *(
            {
                "full_name": person.full_name,
                "email": person.contact_methods.get(kind="email").value,
                "organization": person.affiliations.get().organization.name,
                "honorific": "Dr.",
                "last_confirmed": "2026-11-30",
            }
            for person in people
        )
    )


def queries_of(content, *, dry_run):
    with CaptureQueriesContext(connection) as queries:
        result = run(content, dry_run=dry_run)
    assert not result.errors and not result.file_errors
    return len(queries), result


def test_the_number_of_queries_of_the_plan_does_not_grow_with_the_rows():
    people = [make_contact_sheet_person(f"Person Number{n}", f"人{n}", email=f"p{n}@example.org") for n in range(3)]

    one, one_result = queries_of(updates_of(people[:1]), dry_run=True)
    three, three_result = queries_of(updates_of(people), dry_run=True)

    assert [row.status for row in one_result.rows] == ["update"]
    assert [row.status for row in three_result.rows] == ["update"] * 3
    assert one == three


def test_a_stored_contact_written_otherwise_is_the_same_contact():
    person = make_contact_sheet_person("Ann Example", email="Ann@Example.ORG")
    phone = person.contact_methods.get(kind="phone")
    phone.value = " +12025550143 "  # stored before values were stripped
    phone.save()
    ContactMethodFactory(person=person, kind="website", value="https://example.org/ann")
    content = sheet(
        {
            "full_name": "Ann Example",
            "email": "ann@example.org",
            "phone": "+1 202 555 0143",
            "other_contacts": "website: https://example.org/ann",
        }
    )

    result = run(content)

    assert [(row.status, row.person_id, row.changes) for row in result.rows] == [("unchanged", person.pk, [])]
    assert person.contact_methods.count() == 3


def test_a_primary_email_of_another_case_is_promoted_not_added():
    person = make_contact_sheet_person("Ann Example", email="ann@example.org")
    other = ContactMethodFactory(person=person, value="Ann.Work@Example.org", is_primary=False)
    content = sheet({"full_name": "Ann Example", "email": "ann.work@example.org"})

    result = run(content)

    assert [row.status for row in result.rows] == ["update"]
    assert [(change.old, change.new) for change in result.rows[0].changes] == [
        ("ann@example.org", "ann.work@example.org")
    ]
    assert list(person.contact_methods.filter(kind="email").order_by("pk").values_list("value", "is_primary")) == [
        ("ann@example.org", False),
        ("Ann.Work@Example.org", True),
    ]
    other.refresh_from_db()
    assert other.history.first().history_type == "~"


def test_a_name_spelt_as_stored_or_otherwise_changes_nothing():
    person = make_contact_sheet_person("Rose Mukhar", "穆卡爾", email="rose@example.org")
    content = sheet(
        {"full_name": "Rose Mukhar", "name_zh": "穆卡爾", "email": "rose@example.org"},
        header=["full_name", "name_zh", "email"],
    )
    respelt = sheet({"full_name": "MUKHAR, Rose", "name_zh": "穆 卡爾", "email": "rose@example.org"})

    assert [(row.status, row.changes) for row in run(content, dry_run=True).rows] == [("unchanged", [])]
    assert [(row.status, row.changes) for row in run(respelt).rows] == [("unchanged", [])]
    person.refresh_from_db()
    assert (person.full_name, person.name_zh, person.version) == ("Rose Mukhar", "穆卡爾", 1)


def test_same_named_organizations_are_told_apart_by_the_chinese_name():
    OrganizationFactory(name="Helping Hands", name_zh="援手協會", country="US")
    second = OrganizationFactory(name="Helping Hands", name_zh="ＨＥＬＰ 援手基金會", country="GB")
    content = sheet({"full_name": "New Person", "organization": "helping hands", "organization_zh": "help 援手基金會"})

    result = run(content)

    assert not result.errors and result.committed
    assert list(Affiliation.objects.filter(person__full_name="New Person").values_list("organization_id")) == [
        (second.pk,)
    ]


def test_match_reasons_follow_the_active_language_with_one_index():
    stored = make_contact_sheet_person("Rose Mukhar", email="rose@example.org")
    index = PersonIndex.build(Person.objects.all(), emails=["rose@example.org"], names=["Rose Mukhar"])

    with translation.override("en"):
        english = find_person_matches(full_name="Rose Mukhar", emails=["rose@example.org"], index=index)
    with translation.override("zh-hant"):
        chinese = find_person_matches(full_name="Rose Mukhar", emails=["rose@example.org"], index=index)
        expected = [
            translation.gettext("same e-mail %(email)s") % {"email": "rose@example.org"},
            translation.gettext("same name"),
        ]

    assert [(m.person_id, m.reasons) for m in english] == [(stored.pk, ["same e-mail rose@example.org", "same name"])]
    assert [(m.person_id, m.reasons) for m in chinese] == [(stored.pk, expected)]
    assert expected != english[0].reasons


def test_the_command_line_import_plans_the_same_without_a_user():
    person = make_contact_sheet_person("Ann Example", email="ann@example.org")
    content = updates_of([person])

    with translation.override("en"):
        result = import_contacts(content, user=None, dry_run=True, filename="c.csv")

    assert [(row.status, row.person_id) for row in result.rows] == [("update", person.pk)]
    assert ContactMethod.objects.filter(person=person).count() == 2


def test_the_cycle_collector_is_paused_while_planning_and_writing_and_restored_after(monkeypatch):
    person = make_contact_sheet_person("Ann Example", email="ann@example.org")
    seen = []
    read_rows, apply = ImportPlanner.read_rows, ImportPlanner.apply

    def planning(self, *args, **kwargs):
        seen.append(("read", gc.isenabled()))
        return read_rows(self, *args, **kwargs)

    def writing(self, *args, **kwargs):
        seen.append(("apply", gc.isenabled()))
        return apply(self, *args, **kwargs)

    monkeypatch.setattr(ImportPlanner, "read_rows", planning)
    monkeypatch.setattr(ImportPlanner, "apply", writing)

    assert gc.isenabled()
    result = run(updates_of([person]))
    assert gc.isenabled()
    gc.disable()
    try:
        run(updates_of([person]), dry_run=True)
        still_disabled = not gc.isenabled()
    finally:
        gc.enable()

    assert result.committed
    assert seen == [("read", False), ("apply", False), ("read", False)]
    assert still_disabled


def test_the_index_finds_each_person_once_by_identifier_name_or_email_in_few_queries():
    rose = make_contact_sheet_person(full_name="Rose Mukhar", name_zh="", email="rose@example.org")
    namesake = make_contact_sheet_person(full_name="Rose Mukhar", name_zh="", email="other.rose@example.org")
    mailbox = make_contact_sheet_person(full_name="Someone Else", name_zh="", email="shared@example.org")
    AffiliationFactory(person=rose, organization=OrganizationFactory(), is_current=False)  # a past job
    jobless = PersonFactory(full_name="Rose Mukhar", name_zh="")

    with CaptureQueriesContext(connection) as queries:
        # Rose by her identifier and by her name: found once, her identifier kept.
        index = PersonIndex.build(
            Person.objects.all(), emails=["SHARED@example.org"], names=["rose mukhar"], identifiers=[rose.uuid]
        )

    assert index.identifiers == {str(rose.uuid): rose.pk}
    assert index.by_name[index.key("Rose Mukhar")] == {rose.pk, namesake.pk, jobless.pk}
    assert index.by_email == {"shared@example.org": {mailbox.pk}}
    assert set(index.labels) == {rose.pk, namesake.pk, mailbox.pk, jobless.pk}
    # Every organization each works or worked for; none for the one without a job.
    assert index.organizations == {
        person.pk: set(person.affiliations.values_list("organization_id", flat=True))
        for person in (rose, namesake, mailbox)
    }
    assert len(index.organizations[rose.pk]) == 2
    # e-mails, identifiers, names, the e-mails' holders (everyone with their jobs): one query each
    assert len(queries) == 4


def test_the_index_asks_for_the_e_mails_holders_only_when_their_names_did_not_find_them():
    # A file of updates: every e-mail's holder is found by their name too.
    rose = make_contact_sheet_person(full_name="Rose Mukhar", name_zh="", email="rose@example.org")
    ann = make_contact_sheet_person(full_name="Ann Example", name_zh="", email="ann@example.org")

    with CaptureQueriesContext(connection) as queries:
        index = PersonIndex.build(
            Person.objects.all(), emails=["rose@example.org", "ann@example.org"], names=["Rose Mukhar", "Ann Example"]
        )
    assert len(queries) == 2  # the e-mails, the names
    assert index.by_email == {"rose@example.org": {rose.pk}, "ann@example.org": {ann.pk}}

    # Ann renamed in the file: found by her e-mail, then asked for with her jobs.
    with CaptureQueriesContext(connection) as queries:
        index = PersonIndex.build(
            Person.objects.all(), emails=["rose@example.org", "ann@example.org"], names=["Rose Mukhar", "Ann Other"]
        )
    assert len(queries) == 3
    assert index.by_email == {"rose@example.org": {rose.pk}, "ann@example.org": {ann.pk}}
    assert set(index.labels) == {rose.pk, ann.pk}
    assert index.organizations[ann.pk] == set(ann.affiliations.values_list("organization_id", flat=True))


def test_the_index_asks_again_only_for_values_it_was_not_asked_for():
    # An import asks for its cells as written while it reads the rows, then for the values as read:
    # only what reading them changed is asked for again.
    rose = make_contact_sheet_person(full_name="Rose Mukhar", name_zh="", email="rose@example.org")
    ann = make_contact_sheet_person(full_name="Ann Example", name_zh="", email="ann@example.org")
    index = PersonIndex()
    index.read(index.ask(Person.objects.all(), emails=[" Rose@Example.org "], names=["Rose Mukhar"]))
    assert set(index.labels) == {rose.pk}

    with CaptureQueriesContext(connection) as queries:
        index.read(index.ask(Person.objects.all(), emails=["rose@example.org"], names=["ROSE  MUKHAR"]))
    assert len(queries) == 0

    with CaptureQueriesContext(connection) as queries:
        index.read(index.ask(Person.objects.all(), emails=["rose@example.org"], names=["rose mukhar", "Ann Example"]))
    assert len(queries) == 1  # the new name's people, with their jobs
    assert set(index.labels) == {rose.pk, ann.pk}
    assert index.by_name[index.key("Ann Example")] == {ann.pk}
    assert index.by_email == {"rose@example.org": {rose.pk}}
    assert index.organizations[ann.pk] == set(ann.affiliations.values_list("organization_id", flat=True))


def test_a_results_counts_are_written_with_thousands_separators_for_its_messages():
    result = ImportResult(filename="c.csv", dry_run=False)
    for number in range(1234):
        row = RowPlan(number=number + 2)
        row.status = RowPlan.UPDATE if number else RowPlan.NEW
        result.rows.append(row)

    assert result.counts[RowPlan.UPDATE] == 1233
    assert result.grouped_counts == {"new": "1", "update": "1,233", "unchanged": "0", "duplicate": "0", "error": "0"}

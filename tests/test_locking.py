"""No silent overwrites: of two staff editing one record at once, the later save is refused with what changed."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.locking import ConcurrentEditError, claim_version, save_versioned
from partners.models import ContactMethod, Organization, Person
from tests.admin_forms import change_form_data
from tests.factories import CandidacyFactory, ContactMethodFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Several accounts per test: hash their passwords cheaply (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editors(client, role_user):
    """Two editors, each in their own browser."""
    from django.test import Client

    def browser(user):
        browser = Client()
        browser.force_login(user)
        browser.cookies["django_language"] = "en"
        return browser

    return browser(role_user("Editor", username="alice")), browser(role_user("Coordinator", username="bob"))


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def errors_of(response):
    return " ".join(str(error) for error in response.context["adminform"].form.non_field_errors())


def test_the_second_of_two_concurrent_person_edits_is_refused_and_the_first_stays(editors):
    alice, bob = editors
    person = PersonFactory(full_name="Jean Bruggeman", bio="")
    url = change_url(person)
    alice_form, bob_form = alice.get(url), bob.get(url)

    first = alice.post(url, change_form_data(alice_form, full_name="Jean B. Bruggeman"))
    second = bob.post(url, change_form_data(bob_form, bio="Leads the network's policy work."))

    assert first.status_code == 302
    assert second.status_code == 200
    message = errors_of(second)
    assert "Someone else saved this person while you were editing it" in message
    assert "alice" in message
    assert "Jean Bruggeman → Jean B. Bruggeman" in message
    person.refresh_from_db()
    assert (person.full_name, person.bio, person.version) == ("Jean B. Bruggeman", "", 2)
    # Bob's change is still in the form, on top of the record as it is now.
    form = second.context["adminform"].form
    assert form["bio"].value() == "Leads the network's policy work."
    assert form["full_name"].value() == "Jean B. Bruggeman"
    assert form["loaded_version"].value() == 2


def test_saving_again_after_the_refusal_applies_the_input_on_top(editors):
    alice, bob = editors
    person = PersonFactory(full_name="Jean Bruggeman", bio="")
    url = change_url(person)
    alice_form, bob_form = alice.get(url), bob.get(url)
    alice.post(url, change_form_data(alice_form, full_name="Jean B. Bruggeman"))
    refused = bob.post(url, change_form_data(bob_form, bio="Policy."))

    again = bob.post(url, change_form_data(refused))

    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.bio, person.version) == ("Jean B. Bruggeman", "Policy.", 3)


def test_an_unchanged_second_save_is_refused_too_because_it_would_write_old_values_back(editors):
    alice, bob = editors
    person = PersonFactory(full_name="Jean Bruggeman")
    url = change_url(person)
    alice_form, bob_form = alice.get(url), bob.get(url)
    alice.post(url, change_form_data(alice_form, full_name="Jean B. Bruggeman"))

    second = bob.post(url, change_form_data(bob_form))

    assert second.status_code == 200
    person.refresh_from_db()
    assert person.full_name == "Jean B. Bruggeman"


@pytest.mark.parametrize("factory", [OrganizationFactory, CandidacyFactory], ids=["organization", "candidacy"])
def test_organizations_and_candidacies_refuse_the_later_save(editors, factory):
    alice, bob = editors
    obj = factory()
    url = change_url(obj)
    field = "name" if isinstance(obj, Organization) else "reason"
    alice_form, bob_form = bob.get(url), bob.get(url)

    first = bob.post(url, change_form_data(alice_form, **{field: "First"}))
    second = bob.post(url, change_form_data(bob_form, **{field: "Second"}))

    assert (first.status_code, second.status_code) == (302, 200)
    assert "Someone else saved this" in errors_of(second)
    obj.refresh_from_db()
    assert getattr(obj, field) == "First"


def test_a_contact_detail_changed_on_its_own_page_refuses_the_open_person_form(editors):
    """The person's form shows the old e-mail in its inline; saving it would write it back."""
    alice, bob = editors
    email = ContactMethodFactory(value="old@example.test")
    person = email.person
    bob_form = bob.get(change_url(person))
    email_form = alice.get(change_url(email))

    alice.post(change_url(email), change_form_data(email_form, value="new@example.test"))
    second = bob.post(change_url(person), change_form_data(bob_form, bio="Edited meanwhile"))

    assert second.status_code == 200
    message = errors_of(second)
    assert "contact method" in message
    assert "old@example.test → new@example.test" in message
    assert ContactMethod.objects.get(pk=email.pk).value == "new@example.test"


def test_a_save_that_loses_the_race_after_validation_is_rolled_back_and_reported(editors, monkeypatch):
    """Another save lands between this form's check and its own save: the conditional UPDATE refuses it."""
    from partners import locking

    alice, bob = editors
    person = PersonFactory(full_name="Jean Bruggeman", bio="")
    url = change_url(person)
    bob_form = bob.get(url)
    rival = Person.objects.get(pk=person.pk)
    rival.full_name = "Saved by the rival"
    save_versioned(rival)
    # The form's check runs before the rival's save landed (it still sees version 1) …
    real_current_version, stale = locking.current_version, [1]
    monkeypatch.setattr(
        locking,
        "current_version",
        lambda instance, lock=False: stale.pop() if stale else real_current_version(instance, lock=lock),
    )

    response = bob.post(url, change_form_data(bob_form, bio="Bob's bio"))

    # … so the save itself finds version 2, rolls back and shows the form with the change.
    assert response.status_code == 200
    assert "Saved by the rival" in errors_of(response)
    person.refresh_from_db()
    assert (person.full_name, person.bio, person.version) == ("Saved by the rival", "", 2)


def test_claiming_one_version_twice_fails_the_second_time():
    person = PersonFactory()
    first, second = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)

    claim_version(first, expected_version=1)
    with pytest.raises(ConcurrentEditError):
        claim_version(second, expected_version=1)

    assert Person.objects.get(pk=person.pk).version == 2


def test_the_version_check_is_one_conditional_update():
    person = PersonFactory()

    with CaptureQueriesContext(connection) as context:
        claim_version(person, expected_version=1)

    (query,) = context.captured_queries
    assert query["sql"].startswith("UPDATE")
    assert '"version" = 1' in query["sql"].replace("`", '"')


def test_writers_without_a_form_move_the_version_on():
    person = PersonFactory()
    person.bio = "Imported"

    assert save_versioned(person) == 2
    assert save_versioned(person) == 3
    assert list(person.history.order_by("history_date").values_list("version", flat=True)) == [1, 2, 3]


def test_reverting_to_a_past_version_is_a_versioned_save(editors):
    alice, _bob = editors
    person = PersonFactory(full_name="Original Name")
    url = change_url(person)
    alice.post(url, change_form_data(alice.get(url), full_name="Changed Name"))
    first_version = person.history.order_by("history_date").first()
    revert_url = reverse("admin:partners_person_simple_history", args=[person.pk, first_version.history_id])

    form = alice.get(revert_url)
    response = alice.post(revert_url, change_form_data(form))

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.version) == ("Original Name", 3)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks and concurrent connections")
def test_two_simultaneous_claims_on_postgresql_cannot_both_win():
    person = PersonFactory()
    start = threading.Barrier(2)
    outcomes = []

    def claim():
        try:
            with transaction.atomic():
                start.wait()
                claim_version(Person.objects.get(pk=person.pk), expected_version=1)
            outcomes.append("won")
        except ConcurrentEditError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "won"]
    assert Person.objects.get(pk=person.pk).version == 2


def test_a_refused_inline_row_claims_nothing_so_the_corrected_save_succeeds_first_time(editors):
    """Bug: the version was claimed before the inline rows were checked, and kept when the page came back."""
    alice, _bob = editors
    phone = ContactMethodFactory(kind=ContactMethod.Kind.PHONE, value="+886 2 2311 2345")
    person = phone.person
    url = change_url(person)
    data = change_form_data(alice.get(url), bio="Edited")
    row = next(key for key, value in data.items() if value == "+886 2 2311 2345")

    refused = alice.post(url, {**data, row: "call me maybe"})

    assert refused.status_code == 200
    assert sum(inline.formset.total_error_count() for inline in refused.context["inline_admin_formsets"]) == 1
    assert errors_of(refused) == ""
    person.refresh_from_db()
    assert (person.bio, person.version) == (phone.person.bio, 1)

    corrected = alice.post(url, {**change_form_data(refused), row: "+886 2 2311 2345"})

    assert corrected.status_code == 302, errors_of(corrected)
    person.refresh_from_db()
    assert (person.bio, person.version) == ("Edited", 2)


def test_after_a_refused_inline_row_a_real_concurrent_edit_is_still_refused_with_the_others_changes(editors):
    alice, bob = editors
    phone = ContactMethodFactory(kind=ContactMethod.Kind.PHONE, value="+886 2 2311 2345")
    person = phone.person
    url = change_url(person)
    bob_data = change_form_data(bob.get(url), bio="Bob's bio")
    row = next(key for key, value in bob_data.items() if value == "+886 2 2311 2345")
    refused = bob.post(url, {**bob_data, row: "call me maybe"})
    assert refused.status_code == 200
    alice.post(url, change_form_data(alice.get(url), full_name="Changed by Alice"))

    corrected = bob.post(url, {**change_form_data(refused), row: "+886 2 2311 2345"})

    assert corrected.status_code == 200
    message = errors_of(corrected)
    assert "Someone else saved this person while you were editing it" in message
    assert "alice" in message
    assert "→ Changed by Alice" in message
    person.refresh_from_db()
    assert (person.full_name, person.bio, person.version) == ("Changed by Alice", "", 2)

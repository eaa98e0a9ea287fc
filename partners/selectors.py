"""Reads of partners that more than one place needs: the admin's person list and its search."""

import operator
from functools import reduce

from django.db.models import Q

from partners import textsearch
from partners.models import Affiliation, ContactMethod, ExpertiseArea, Organization, Person, PersonExpertise


def uuid_text(value):
    if isinstance(value, str) and len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


# -- the admin's person list ----------------------------------------------------------------------


def contains_in_any_case(field, word):
    """``Q``: ``field`` contains ``word`` in any case (``icontains``: the expression the trigram indexes hold).

    A word too short for a trigram, in which case cannot matter (Chinese), is compared as it is: no index
    serves it, so the column is read whole, and upper-casing every value made that read about four
    times slower (BENCHMARKS.md, "Candidate finder").
    """
    if len(word) < textsearch.TRIGRAM and word.upper() == word.lower():
        return Q(**{f"{field}__contains": word})
    return Q(**{f"{field}__icontains": word})


def people_matching(word):
    """Ids of people whose names (either script), organization (any job) or a contact value contains ``word``.

    Compared in search form (``partners.textsearch``), as the candidate finder compares, so 「T簽證」,
    臺/台, full-width and Simplified input find the same people there and here: names through
    ``Person.search_text``, organizations as stored in any case (the word folded and with 台/臺
    either way), contact values in any case. One branch per table in a UNION, so each uses its own
    index (trigram indexes on PostgreSQL, migrations 0003 and 0009, for words of three characters
    or more) and the people table is read once even for a shorter word.
    """
    word = textsearch.fold(word)
    names = Person.objects.filter(search_text__contains=word).order_by().values("pk")
    jobs = (
        Affiliation.objects.filter(
            reduce(
                operator.or_,
                (
                    contains_in_any_case("organization__name", form)
                    | contains_in_any_case("organization__name_zh", form)
                    | contains_in_any_case("organization__acronym", form)
                    for form in textsearch.variants(word)
                ),
            )
        )
        .order_by()
        .values("person_id")
    )
    contacts = ContactMethod.objects.filter(contains_in_any_case("value", word)).order_by().values("person_id")
    return names.union(jobs, contacts)


def attach_list_columns(people):
    """Give each person of a list page ``list_columns``: current organizations, primary e-mail, expertise.

    Three small queries of plain values for the page's people, instead of prefetching model
    instances of their jobs, organizations, contacts, links and areas (~1,700 objects a page).
    """
    columns = {person.pk: {"organizations": [], "email": "", "expertise": []} for person in people}
    jobs = Affiliation.objects.filter(person_id__in=columns, is_current=True).values_list(
        "person_id", "organization__name", "organization__acronym"
    )
    for person_id, name, acronym in jobs:
        columns[person_id]["organizations"].append(Organization.label_of(name, acronym))
    emails = ContactMethod.objects.filter(
        person_id__in=columns, kind=ContactMethod.Kind.EMAIL, is_primary=True
    ).values_list("person_id", "value")
    for person_id, value in emails.order_by():
        columns[person_id]["email"] = value
    areas = PersonExpertise.objects.filter(person_id__in=columns).values_list(
        "person_id", "area__name", "area__name_zh"
    )
    for person_id, name, name_zh in areas.order_by():
        columns[person_id]["expertise"].append(ExpertiseArea.label_of(name, name_zh))
    for person in people:
        person.list_columns = columns[person.pk]

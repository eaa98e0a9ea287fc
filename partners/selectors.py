"""Reads of partners that more than one place needs: the admin's person list and its search."""

from django.db.models import Q

from partners.models import Affiliation, ContactMethod, ExpertiseArea, Organization, Person, PersonExpertise


def uuid_text(value):
    if isinstance(value, str) and len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


# -- the admin's person list ----------------------------------------------------------------------


def people_matching(word):
    """Ids of people whose name (either script), organization (any job) or a contact value contains ``word``.

    One branch per table in a UNION, so each uses its own index (trigram indexes on
    PostgreSQL, migration 0003) and no row needs de-duplicating afterwards.
    """
    names = Person.objects.filter(Q(full_name__icontains=word) | Q(name_zh__icontains=word)).order_by().values("pk")
    jobs = (
        Affiliation.objects.filter(
            Q(organization__name__icontains=word)
            | Q(organization__name_zh__icontains=word)
            | Q(organization__acronym__icontains=word)
        )
        .order_by()
        .values("person_id")
    )
    contacts = ContactMethod.objects.filter(value__icontains=word).order_by().values("person_id")
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

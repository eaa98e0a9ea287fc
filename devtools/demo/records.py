"""Which rows are demo data: the marks, the sizes, and finding, counting and deleting demo rows."""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from outreach.models import Interaction
from partners.models import (
    Affiliation,
    ContactMethod,
    ExpertiseArea,
    Organization,
    Person,
    PersonExpertise,
)

DEMO_MARK = "demo data (generate_demo_data"
AREA_CODE_PREFIX = "demo-"
TAXONOMY_SIZE = 2000
PEOPLE_PER_CHUNK = 2000


def demo_source(seed):
    """The mark written on every demo person, organization and event."""
    return f"{DEMO_MARK} seed {seed})"


def demo_sizes(people):
    """How many organizations, conferences and workshops go with ``people`` people."""
    return {
        "organizations": max(40, people // 20),
        "conferences": max(2, people // 250),
        "workshops": max(2, people // 5000),
    }


def demo_people():
    """Demo people (``Person.source`` carries the demo mark)."""
    return Person.objects.filter(source__startswith=DEMO_MARK)


def real_data_counts():
    """How many people, organizations and events are *not* demo data."""
    return {
        "people": Person.objects.exclude(source__startswith=DEMO_MARK).count(),
        "organizations": Organization.objects.exclude(notes__startswith=DEMO_MARK).count(),
        "events": Event.objects.exclude(description__startswith=DEMO_MARK).count(),
    }


@transaction.atomic
def delete_demo_data():
    """Remove every demo row (and links from other rows to demo rows); return the people removed.

    Uses raw deletes in dependency order, so it takes seconds even for 100,000
    people. The expertise taxonomy loaded from the seed fixture stays.
    """
    people = Person.objects.filter(source__startswith=DEMO_MARK)
    organizations = Organization.objects.filter(notes__startswith=DEMO_MARK)
    events = Event.objects.filter(description__startswith=DEMO_MARK)
    areas = ExpertiseArea.objects.filter(code__startswith=AREA_CODE_PREFIX)
    removed = people.count()

    def wipe(queryset):
        queryset._raw_delete(queryset.db)

    if not any(real_data_counts().values()):
        # Only demo data: empty the tables outright (minutes faster than matching 1M rows).
        for model in (
            Interaction,
            Candidacy,
            PersonExpertise,
            Appearance,
            Attendance,
            Session.topics.through,
            Session,
            Event.themes.through,
            Event,
            ContactMethod,
            Affiliation,
            Person.languages.through,
            Person,
            Organization.focus_areas.through,
            Organization,
        ):
            wipe(model._base_manager.all())
        if areas.exists():
            wipe(areas)
            fix_numchild()
        return removed

    # Interactions with demo people or organizations go with them (their history rows stay, as
    # for any deleted row); those of real partners about a demo event only lose the link.
    wipe(Interaction.objects.filter(Q(person__in=people) | Q(organization__in=organizations)))
    Interaction.objects.filter(event__in=events).update(event=None)
    wipe(Candidacy.objects.filter(Q(person__in=people) | Q(workshop__in=events)))
    wipe(
        PersonExpertise.objects.filter(
            Q(person__in=people) | Q(area__in=areas) | Q(appearance__session__event__in=events)
        )
    )
    wipe(
        Appearance.objects.filter(
            Q(person__in=people) | Q(organization__in=organizations) | Q(session__event__in=events)
        )
    )
    wipe(Attendance.objects.filter(event__in=events))
    wipe(Session.topics.through.objects.filter(Q(session__event__in=events) | Q(expertisearea__in=areas)))
    wipe(Session.objects.filter(event__in=events))
    wipe(Event.themes.through.objects.filter(Q(event__in=events) | Q(expertisearea__in=areas)))
    Event.objects.filter(organizer__in=organizations).exclude(pk__in=events).update(organizer=None)
    wipe(events)
    wipe(ContactMethod.objects.filter(person__in=people))
    wipe(Affiliation.objects.filter(Q(person__in=people) | Q(organization__in=organizations)))
    wipe(Person.languages.through.objects.filter(person__in=people))
    wipe(people)
    wipe(
        Organization.focus_areas.through.objects.filter(Q(organization__in=organizations) | Q(expertisearea__in=areas))
    )
    Organization.objects.filter(parent__in=organizations).exclude(notes__startswith=DEMO_MARK).update(parent=None)
    wipe(organizations)
    if areas.exists():
        wipe(areas)
        fix_numchild()
    return removed


def analyze():
    """Refresh the planner's statistics after a bulk load, as autovacuum would later.

    On PostgreSQL outside a transaction also VACUUM, which sets the visibility map, so counts
    and index-only scans need not visit every row.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def fix_numchild():
    """Recount treebeard's ``numchild`` after areas were removed or added in bulk."""
    nodes = list(ExpertiseArea.objects.only("pk", "path", "depth", "numchild"))
    counts = {}
    for node in nodes:
        if node.depth > 1:
            parent_path = node.path[: -ExpertiseArea.steplen]
            counts[parent_path] = counts.get(parent_path, 0) + 1
    changed = []
    for node in nodes:
        if node.numchild != counts.get(node.path, 0):
            node.numchild = counts.get(node.path, 0)
            changed.append(node)
    ExpertiseArea.objects.bulk_update(changed, ["numchild"], batch_size=500)

"""Apply: write a ``ProgrammePlan`` — event, organizations, people, jobs, sessions, appearances, topics.

Called inside ``importing.writing.apply_in_one_transaction`` by ``programme.importing``: every
record or none. People and organizations are saved one by one so each gets its history row (with
the file named as the reason); sessions and appearances, which keep no history, go in bulk.
"""

from django.utils.translation import gettext

from conference.models import Appearance, Session
from conference.writeup import record_speakers_expertise
from partners.models import Affiliation, ContactMethod, Organization, Person
from programme.models import TopicMapping, topic_key
from programme.planning import NEW, UPDATE


def write_programme(plan, *, reason, expertise_from_topics=False):
    """Write ``plan`` (every part of it is already decided); return the event.

    With ``expertise_from_topics`` each speaker also gets their sessions' topics as expertise,
    the appearance as evidence ("its speakers know its topics" for every session of the file).
    """
    event = plan.event
    if event.pk is None:
        event.save()
    _write_organizations(plan, reason=reason)
    _write_people(plan, reason=reason)
    _write_sessions(plan)
    _write_appearances(plan)
    _remember_topics(plan)
    if expertise_from_topics:
        session_ids = [session_plan.session_id for session_plan in plan.sessions]
        record_speakers_expertise(Session.objects.filter(pk__in=session_ids))
    return event


def _saved(instance, reason):
    instance._change_reason = reason
    instance.save()
    return instance


def _write_organizations(plan, *, reason):
    pending = [organization for organization in plan.organizations if organization.status == NEW]
    # Parents first, so a child can point at its parent.
    pending.sort(key=lambda organization: organization.parent is not None)
    for organization in pending:
        parent_id = organization.parent.organization_id if organization.parent else None
        record = _saved(Organization(name=organization.name[:300], parent_id=parent_id), reason)
        organization.organization_id = record.pk


def _write_people(plan, *, reason):
    country = plan.event.country
    source = gettext("Programme of %(event)s (%(file)s)") % {"event": plan.event, "file": plan.filename}
    for speaker in plan.speakers:
        if speaker.status != NEW:
            continue
        first = speaker.first
        person = _saved(
            Person(
                full_name=(first.name or first.name_zh)[:200],
                name_zh=first.name_zh[:100],
                country=country,
                bio=first.bio,
                source=source,
            ),
            reason,
        )
        speaker.person_id = person.pk
        if first.email:
            _saved(
                ContactMethod(
                    person=person,
                    kind=ContactMethod.Kind.EMAIL,
                    value=first.email[:320],
                    is_primary=True,
                    source=source[:300],
                ),
                reason,
            )
        if speaker.organization is not None:
            _saved(
                Affiliation(
                    person=person,
                    organization_id=speaker.organization.organization_id,
                    title=first.title[:300],
                    is_current=True,
                ),
                reason,
            )


def _write_sessions(plan):
    event = plan.event
    new = []
    for session_plan in plan.sessions:
        entry = session_plan.entry
        if session_plan.status == NEW:
            session = Session(
                event=event,
                kind=entry.kind,
                title=entry.title[:300],
                title_zh=entry.title_zh[:300],
                starts_at=entry.starts_at,
                ends_at=entry.ends_at,
                summary=entry.summary,
                external_key=entry.key,
            )
            new.append((session_plan, session))
        elif session_plan.status == UPDATE:
            session = Session.objects.get(pk=session_plan.session_id)
            for name in ("title", "title_zh", "kind", "starts_at", "ends_at", "summary", "external_key"):
                value = getattr(entry, "key" if name == "external_key" else name)
                if value not in ("", None):
                    setattr(session, name, value)
            session.save()
    for session_plan, session in new:
        session.save()  # one by one: bulk_create gives no ids on every database
        session_plan.session_id = session.pk
    links = [
        Session.topics.through(session_id=session_plan.session_id, expertisearea_id=area_id)
        for session_plan in plan.sessions
        for area_id in dict.fromkeys(session_plan.area_ids)
    ]
    Session.topics.through.objects.bulk_create(links, ignore_conflicts=True)


def _write_appearances(plan):
    new = []
    for session_plan in plan.sessions:
        for appearance in session_plan.appearances:
            organization_id = appearance.organization.organization_id if appearance.organization else None
            person_id = appearance.speaker.person_id if appearance.speaker else None
            if appearance.status == NEW:
                new.append(
                    Appearance(
                        session_id=session_plan.session_id,
                        person_id=person_id,
                        organization_id=organization_id,
                        role=appearance.entry.role,
                        affiliation_as_printed=appearance.printed,
                        order=appearance.order,
                        external_key=appearance.entry.key,
                    )
                )
            elif appearance.status == UPDATE:
                Appearance.objects.filter(pk=appearance.appearance_id).update(
                    role=appearance.entry.role,
                    affiliation_as_printed=appearance.printed
                    or Appearance.objects.get(pk=appearance.appearance_id).affiliation_as_printed,
                    external_key=appearance.entry.key
                    or Appearance.objects.get(pk=appearance.appearance_id).external_key,
                )
    Appearance.objects.bulk_create(new, batch_size=500)


def _remember_topics(plan):
    for topic in plan.topics:
        TopicMapping.objects.update_or_create(
            key=topic_key(topic.label), defaults={"label": topic.label[:200], "area_id": topic.area_id}
        )

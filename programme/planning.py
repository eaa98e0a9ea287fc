"""Plan: what importing a ``Programme`` into an event will do — nothing is written here.

``plan_programme`` resolves the event and the time zone, matches sessions by the file's ids,
organizations by name, speakers by the file's ids (kept on their appearances) and then by the
contact import's matcher (``importing.matching``), and maps topics to expertise areas (remembered
``TopicMapping`` rows, else an area of the same name). The ``ProgrammePlan`` it returns is the
preview, and ``programme.writing`` applies it.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext

from conference.models import Appearance, Event, Session
from importing.matching import PersonIndex, chunks, find_person_matches
from importing.plans import Candidate, Change
from partners.models import ExpertiseArea, Organization, Person
from programme.formats.base import apply_time_zone, known_zone
from programme.models import TopicMapping, topic_key

NEW, UPDATE, UNCHANGED, MATCHED, DECIDE = "new", "update", "unchanged", "matched", "decide"


@dataclass
class OrganizationPlan:
    name: str
    status: str = NEW
    organization_id: int | None = None
    parent: "OrganizationPlan | None" = None
    label: str = ""


@dataclass
class SpeakerPlan:
    number: int
    entries: list
    status: str = NEW
    person_id: int | None = None
    label: str = ""
    reasons: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    organization: OrganizationPlan | None = None

    @property
    def first(self):
        return self.entries[0]


@dataclass
class AppearancePlan:
    entry: object
    speaker: SpeakerPlan | None
    organization: OrganizationPlan | None
    status: str = NEW
    appearance_id: int | None = None
    changes: list = field(default_factory=list)
    order: int = 0

    @property
    def role_label(self):
        return Appearance.Role(self.entry.role).label

    @property
    def printed(self):
        return ", ".join(part for part in (self.entry.title, self.entry.organization) if part)[:500]


@dataclass
class SessionPlan:
    entry: object
    status: str = NEW
    session_id: int | None = None
    changes: list = field(default_factory=list)
    appearances: list = field(default_factory=list)
    area_ids: list = field(default_factory=list)


@dataclass
class TopicPlan:
    number: int
    label: str
    area_id: int | None = None
    remembered: bool = False
    area_label: str = ""


@dataclass
class ProgrammePlan:
    filename: str
    programme: object = None
    event: Event | None = None
    event_status: str = NEW
    zone_name: str = ""
    sessions: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    # Sessions an earlier file brought (they carry its id) that this file no longer has: cancelled,
    # merged or renamed. Listed in the preview; never deleted by an import (their speakers'
    # appearances are evidence of expertise): whoever knows removes them on the event's page.
    dropped: list = field(default_factory=list)
    committed: bool = False

    @property
    def errors(self):
        return self.programme.errors if self.programme is not None else []

    @property
    def undecided(self):
        return [speaker for speaker in self.speakers if speaker.status == DECIDE]

    @property
    def ok(self):
        return not self.file_errors and not self.errors and not self.undecided

    @property
    def counts(self):
        def count(items, status):
            return sum(1 for item in items if item.status == status)

        appearances = [appearance for session in self.sessions for appearance in session.appearances]
        return {
            "sessions": {status: count(self.sessions, status) for status in (NEW, UPDATE, UNCHANGED)},
            "people": {status: count(self.speakers, status) for status in (NEW, MATCHED, DECIDE)},
            "organizations": {status: count(self.organizations, status) for status in (NEW, MATCHED)},
            "appearances": {status: count(appearances, status) for status in (NEW, UPDATE, UNCHANGED)},
        }


def plan_programme(programme, *, filename, user=None, event=None, time_zone="", decisions=None, topic_choices=None):
    """The ``ProgrammePlan`` of importing ``programme`` (read by ``programme.formats``).

    ``event``: the event to import into (else the one the file names, matched by name, or a new
    one). ``time_zone``: the zone of wall times the file gives without a zone (default: the
    event's). ``decisions``: speaker number → ``"new"`` or the id of one of its candidates.
    ``topic_choices``: topic number → expertise area id or ``""`` (none), as confirmed in the preview.
    """
    plan = ProgrammePlan(filename=filename, programme=programme)
    if programme.errors:
        return plan
    _resolve_event(plan, event=event, time_zone=time_zone)
    if plan.file_errors:
        return plan
    _plan_sessions(plan)
    _plan_topics(plan, topic_choices or {})
    organizations = _plan_organizations(plan)
    _plan_speakers(plan, organizations, user=user, decisions=decisions or {})
    _plan_appearances(plan, organizations)
    return plan


def _resolve_event(plan, *, event, time_zone):
    programme = plan.programme
    if event is None and programme.event_name:
        found = list(
            Event.objects.filter(Q(name__iexact=programme.event_name) | Q(name_zh__iexact=programme.event_name))
        )
        event = found[0] if len(found) == 1 else None
        if len(found) > 1:
            plan.file_errors.append(
                gettext("Several events are called “%(name)s”; choose the one to import into.")
                % {"name": programme.event_name}
            )
            return
    if event is not None:
        plan.event, plan.event_status = event, MATCHED
    elif not programme.event_name:
        plan.file_errors.append(gettext("The file names no event; choose the event to import into."))
        return
    zone = programme.time_zone
    if zone and time_zone and time_zone != zone:
        plan.notes.append(
            gettext("The file declares the time zone %(file)s; its times are read in it, not in %(chosen)s.")
            % {"file": zone, "chosen": time_zone}
        )
    if programme.needs_time_zone:
        wall_zone = zone or time_zone or (event.time_zone if event is not None else "")
        if not apply_time_zone(programme, wall_zone):
            plan.file_errors.append(
                gettext("The file's times carry no time zone: choose the zone they are in (the venue's).")
            )
            return
        if not zone:
            plan.notes.append(gettext("The file's times were read as %(zone)s times.") % {"zone": wall_zone})
    plan.zone_name = zone or (event.time_zone if event is not None else "") or time_zone or "Asia/Taipei"
    if event is None:
        local = known_zone(plan.zone_name)
        days = sorted(session.starts_at.astimezone(local).date() for session in programme.sessions)
        plan.event = Event(
            name=programme.event_name[:300],
            name_zh=programme.event_name_zh[:300],
            city=programme.city[:120],
            country=programme.country,
            venue=programme.venue[:300],
            website=programme.website[:500],
            time_zone=plan.zone_name,
            start_date=days[0] if days else None,
            end_date=days[-1] if days else None,
        )
        if not days:
            plan.file_errors.append(gettext("The file has no sessions."))


def _plan_sessions(plan):
    stored, by_time = {}, {}
    if plan.event.pk:
        for session in Session.objects.filter(event=plan.event).annotate(speaker_count=Count("appearances")):
            if session.external_key:
                stored[session.external_key] = session
            # Sessions typed in by hand (no id from a file) are found by their start and title.
            for title in {session.title, session.title_zh} - {""}:
                by_time.setdefault((session.starts_at, title.casefold()), session)
    seen = {}
    for entry in plan.programme.sessions:
        if entry.key and entry.key in seen:
            plan.programme.error(
                entry.where,
                gettext("the session id %(key)s is also used at %(where)s")
                % {"key": entry.key, "where": seen[entry.key]},
            )
            continue
        seen[entry.key] = entry.where
        session_plan = SessionPlan(entry=entry)
        session = stored.get(entry.key)
        if session is None:
            session = by_time.get((entry.starts_at, entry.title.casefold())) or by_time.get(
                (entry.starts_at, entry.title_zh.casefold())
            )
        if session is not None:
            session_plan.session_id = session.pk
            for name, label in (
                ("title", gettext("title")),
                ("title_zh", gettext("Chinese title")),
                ("kind", gettext("kind")),
                ("starts_at", gettext("starts")),
                ("ends_at", gettext("ends")),
                ("summary", gettext("summary")),
                ("external_key", gettext("id in the imported programme")),
            ):
                new = getattr(entry, "key" if name == "external_key" else name)
                old = getattr(session, name)
                if new not in ("", None) and new != old:
                    session_plan.changes.append(Change(label, str(old), str(new)))
            session_plan.status = UPDATE if session_plan.changes else UNCHANGED
        plan.sessions.append(session_plan)
    kept = {session_plan.session_id for session_plan in plan.sessions}
    plan.dropped = sorted(
        (session for key, session in stored.items() if session.pk not in kept and key not in seen),
        key=lambda session: (session.starts_at, session.title),
    )


def _plan_topics(plan, choices):
    labels = list(dict.fromkeys(topic for entry in plan.programme.sessions for topic in entry.topics))
    if not labels:
        return
    remembered = {
        mapping.key: mapping for mapping in TopicMapping.objects.filter(key__in=[topic_key(label) for label in labels])
    }
    by_name = {}
    names = [label.upper() for label in labels]
    for area in ExpertiseArea.objects.annotate(upper_name=Upper("name"), upper_zh=Upper("name_zh")).filter(
        Q(upper_name__in=names) | Q(upper_zh__in=names) | Q(code__in=labels)
    ):
        for name in (area.name, area.name_zh, area.code):
            by_name.setdefault(topic_key(name), area)
    for number, label in enumerate(labels, start=1):
        topic = TopicPlan(number=number, label=label)
        mapping = remembered.get(topic_key(label))
        if mapping is not None:
            topic.area_id, topic.remembered = mapping.area_id, True
        elif topic_key(label) in by_name:
            topic.area_id = by_name[topic_key(label)].pk
        if str(number) in choices or number in choices:
            chosen = choices.get(str(number), choices.get(number))
            topic.area_id = int(chosen) if str(chosen).isdigit() else None
        plan.topics.append(topic)
    areas = {
        area.pk: area for area in ExpertiseArea.objects.filter(pk__in=[t.area_id for t in plan.topics if t.area_id])
    }
    by_label = {}
    for topic in plan.topics:
        area = areas.get(topic.area_id)
        topic.area_id = area.pk if area else None
        topic.area_label = str(area) if area else ""
        by_label[topic.label] = topic.area_id
    for session_plan in plan.sessions:
        session_plan.area_ids = [by_label[label] for label in session_plan.entry.topics if by_label.get(label)]


def _plan_organizations(plan):
    """``{name (case-folded): OrganizationPlan}`` of every organization the speakers name, matched by name."""
    names = {}
    for entry in plan.programme.sessions:
        for speaker in entry.speakers:
            for name in (speaker.organization, speaker.parent_organization):
                if name.strip():
                    names.setdefault(name.strip().casefold(), name.strip())
    found = {}
    values = [name.upper() for name in names.values()]
    for chunk in chunks(values):
        rows = Organization.objects.annotate(
            upper_name=Upper("name"), upper_zh=Upper("name_zh"), upper_acronym=Upper("acronym")
        )
        rows = rows.filter(Q(upper_name__in=chunk) | Q(upper_zh__in=chunk) | Q(upper_acronym__in=chunk)).order_by("pk")
        for organization in rows:
            for name in (organization.name, organization.name_zh, organization.acronym):
                if name:
                    found.setdefault(name.strip().casefold(), organization)
    organizations = {}
    for key, name in names.items():
        organization = found.get(key)
        organizations[key] = OrganizationPlan(
            name=name,
            status=MATCHED if organization else NEW,
            organization_id=organization.pk if organization else None,
            label=str(organization) if organization else name,
        )
    for entry in plan.programme.sessions:
        for speaker in entry.speakers:
            child = organizations.get(speaker.organization.strip().casefold())
            parent = organizations.get(speaker.parent_organization.strip().casefold())
            if child is not None and parent is not None and child.status == NEW and child is not parent:
                child.parent = parent
    plan.organizations = list(organizations.values())
    return organizations


def _plan_speakers(plan, organizations, *, user, decisions):
    groups = {}
    for entry in plan.programme.sessions:
        for speaker in entry.speakers:
            if speaker.name or speaker.name_zh:
                groups.setdefault(speaker.identity, []).append(speaker)
    known = {}
    if plan.event.pk:
        keys = [key for kind, *rest in groups for key in rest[:1] if kind == "key"]
        for chunk in chunks(keys):
            rows = Appearance.objects.filter(session__event=plan.event, external_key__in=chunk, person__isnull=False)
            known.update(rows.values_list("external_key", "person_id"))
    visible = Person.objects.visible_to(user)
    entries = [group[0] for group in groups.values()]
    index = PersonIndex.build(
        visible,
        emails=[entry.email for entry in entries if entry.email],
        names=[name for entry in entries for name in (entry.name, entry.name_zh) if name],
        identifiers=(),
    )
    for number, group in enumerate(groups.values(), start=1):
        first = group[0]
        speaker = SpeakerPlan(number=number, entries=group, label=first.name or first.name_zh)
        if first.name and first.name_zh and first.name != first.name_zh:
            speaker.label = f"{first.name}（{first.name_zh}）"
        speaker.organization = organizations.get(first.organization.strip().casefold())
        if first.key and first.key in known:
            speaker.status, speaker.person_id = MATCHED, known[first.key]
            speaker.reasons = [gettext("the same speaker id in this event's earlier import")]
        else:
            organization_ids = (
                [speaker.organization.organization_id]
                if speaker.organization and speaker.organization.organization_id
                else []
            )
            matches = find_person_matches(
                full_name=first.name,
                name_zh=first.name_zh,
                emails=[first.email] if first.email else [],
                organization_ids=organization_ids,
                index=index,
            )
            speaker.candidates = [Candidate(m.person_id, index.labels.get(m.person_id, ""), m.reasons) for m in matches]
            decision = str(decisions.get(number, decisions.get(str(number), "")))
            if decision == "new":
                speaker.status = NEW
            elif decision.isdigit() and int(decision) in {c.person_id for c in speaker.candidates}:
                speaker.status, speaker.person_id = MATCHED, int(decision)
                speaker.reasons = [gettext("chosen in the preview")]
            elif matches and matches[0].certain:
                speaker.status, speaker.person_id, speaker.reasons = MATCHED, matches[0].person_id, matches[0].reasons
            elif matches:
                speaker.status = DECIDE
        plan.speakers.append(speaker)


def _plan_appearances(plan, organizations):
    speakers = {}
    for speaker in plan.speakers:
        for entry in speaker.entries:
            speakers[id(entry)] = speaker
    session_ids = [session_plan.session_id for session_plan in plan.sessions if session_plan.session_id]
    stored = {}
    for chunk in chunks(session_ids):
        for appearance in Appearance.objects.filter(session_id__in=chunk):
            stored[
                (
                    appearance.session_id,
                    appearance.person_id,
                    appearance.organization_id if not appearance.person_id else None,
                )
            ] = appearance
    for session_plan in plan.sessions:
        seen = {}
        for order, entry in enumerate(session_plan.entry.speakers, start=1):
            speaker = speakers.get(id(entry))
            organization = organizations.get(entry.organization.strip().casefold())
            appearance = AppearancePlan(entry=entry, speaker=speaker, organization=organization, order=order)
            who = ("person", speaker.number) if speaker else ("organization", entry.organization.strip().casefold())
            if who in seen:
                plan.programme.error(
                    entry.where,
                    gettext("%(who)s already appears in this session (%(where)s)")
                    % {"who": speaker.label if speaker else entry.organization, "where": seen[who]},
                )
                continue
            seen[who] = entry.where
            if session_plan.session_id:
                if speaker is not None:
                    found = (
                        stored.get((session_plan.session_id, speaker.person_id, None)) if speaker.person_id else None
                    )
                else:
                    found = (
                        stored.get((session_plan.session_id, None, organization.organization_id))
                        if organization and organization.organization_id
                        else None
                    )
                if found is not None:
                    appearance.appearance_id = found.pk
                    for name, label, new in (
                        ("role", gettext("role"), entry.role),
                        ("affiliation_as_printed", gettext("affiliation as printed"), appearance.printed),
                        ("external_key", gettext("speaker id"), entry.key),
                    ):
                        if new and getattr(found, name) != new:
                            appearance.changes.append(Change(label, getattr(found, name), new))
                    appearance.status = UPDATE if appearance.changes else UNCHANGED
            session_plan.appearances.append(appearance)

"""The frab/pentabarf schedule (what frab, pretalx and many conference sites publish): JSON and XML.

JSON: ``schedule.conference.days[].rooms{room: [event]}``; XML: ``schedule/day/room/event``
(the voc/schedule validator's shapes). A session's id is its ``guid`` (else pretalx ``code``,
else ``id``), a speaker's likewise. ``date`` carries the instant with its offset; without one the
``start`` is a wall time in the declared ``time_zone_name``.
"""

import datetime as dt
import json

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext

from programme.formats.base import (
    MAX_ENTRIES,
    ImportFileError,
    Programme,
    SessionEntry,
    SpeakerEntry,
    known_zone,
    parse_duration,
    parse_instant,
    session_kind,
    set_times,
    text,
)


def load_json(content):
    """Parsed JSON, or ``ImportFileError`` naming where it breaks."""
    try:
        return json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFileError(gettext("The file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise ImportFileError(
            gettext("The JSON file is malformed or cut short at line %(line)d, column %(column)d: %(reason)s.")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from None
    except RecursionError:
        raise ImportFileError(gettext("The JSON file is nested too deeply to be a programme.")) from None


def load_xml(content):
    """The root element of an XML file, parsed safely (no DTD, no entities), or ``ImportFileError``."""
    try:
        return SafeElementTree.fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFileError(
            gettext("The XML file declares a DTD or entities, which are refused for safety; nothing was read.")
        ) from None
    except SafeElementTree.ParseError as error:
        line, column = error.position
        raise ImportFileError(
            gettext("The XML file is malformed or cut short at line %(line)d, column %(column)d.")
            % {"line": line, "column": column + 1}
        ) from None


def _key(record, *names):
    for name in names:
        value = text(record.get(name))
        if value:
            return value
    return ""


def _event_instant(programme, where, date_text, start_text, day_date):
    """The start of a frab event: its ``date`` (ISO, with offset) or the day's date with ``start``."""
    if date_text:
        return parse_instant(date_text)
    if not start_text or not day_date:
        raise ValueError(gettext("no date and time"))
    return parse_instant(f"{day_date}T{start_text}")


def read_frab_json(data):
    """The ``Programme`` of a parsed frab/pretalx ``schedule.json``."""
    programme = Programme(format="frab-json")
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        programme.error("$", gettext("this is not a frab/pretalx schedule: no schedule.conference"))
        return programme
    programme.event_name = text(conference.get("title"))
    programme.event_key = text(conference.get("acronym"))
    programme.website = text(conference.get("url"))
    zone = text(conference.get("time_zone_name"))
    if zone:
        if known_zone(zone) is None:
            programme.error(
                "$.schedule.conference.time_zone_name",
                gettext("“%(value)s” is not an IANA time zone") % {"value": zone},
            )
        else:
            programme.time_zone = zone
    days = conference.get("days")
    if not isinstance(days, list):
        programme.error("$.schedule.conference.days", gettext("a list of days is required"))
        return programme
    for day_index, day in enumerate(days):
        day_where = f"$.schedule.conference.days[{day_index}]"
        if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
            programme.error(day_where, gettext("a day needs its rooms"))
            continue
        for room, events in day["rooms"].items():
            room_where = f"{day_where}.rooms[{json.dumps(room, ensure_ascii=False)}]"
            if not isinstance(events, list):
                programme.error(room_where, gettext("a room needs a list of events"))
                continue
            for index, event in enumerate(events):
                where = f"{room_where}[{index}]"
                if not isinstance(event, dict):
                    programme.error(where, gettext("an event must be an object"))
                    continue
                persons = event.get("persons") or []
                if not isinstance(persons, list):
                    programme.error(f"{where}.persons", gettext("persons must be a list"))
                    persons = []
                _add_event(
                    programme,
                    where,
                    key=_key(event, "guid", "code", "id"),
                    title=text(event.get("title")),
                    date_text=text(event.get("date")),
                    start_text=text(event.get("start")),
                    duration_text=text(event.get("duration")),
                    day_date=text(day.get("date")),
                    kind=text(event.get("type")),
                    track=text(event.get("track")),
                    summary=text(event.get("abstract")) or text(event.get("description")),
                    persons=[(f"{where}.persons[{position}]", person) for position, person in enumerate(persons)],
                )
                if len(programme.sessions) > MAX_ENTRIES:
                    raise ImportFileError(gettext("The programme has too many sessions to import at once."))
    return programme


def read_frab_xml(root):
    """The ``Programme`` of a parsed frab ``schedule.xml`` (its root element)."""
    programme = Programme(format="frab-xml")
    if root.tag != "schedule":
        programme.error(f"/{root.tag}", gettext("this is not a frab schedule: the root element must be <schedule>"))
        return programme
    conference = root.find("conference")
    if conference is not None:
        programme.event_name = (conference.findtext("title") or "").strip()
        programme.event_key = (conference.findtext("acronym") or "").strip()
        zone = (conference.findtext("time_zone_name") or "").strip()
        if zone and known_zone(zone) is None:
            programme.error(
                "/schedule/conference/time_zone_name", gettext("“%(value)s” is not an IANA time zone") % {"value": zone}
            )
        elif zone:
            programme.time_zone = zone
    for day_number, day in enumerate(root.findall("day"), start=1):
        for room_number, room in enumerate(day.findall("room"), start=1):
            for event_number, event in enumerate(room.findall("event"), start=1):
                where = f"/schedule/day[{day_number}]/room[{room_number}]/event[{event_number}]"
                persons = []
                for position, person in enumerate(event.findall("persons/person"), start=1):
                    record = {"id": person.get("id"), "guid": person.get("guid"), "code": person.get("code")}
                    record["public_name"] = (person.text or "").strip()
                    persons.append((f"{where}/persons/person[{position}]", record))
                _add_event(
                    programme,
                    where,
                    key=(event.get("guid") or event.get("code") or event.get("id") or "").strip(),
                    title=(event.findtext("title") or "").strip(),
                    date_text=(event.findtext("date") or "").strip(),
                    start_text=(event.findtext("start") or "").strip(),
                    duration_text=(event.findtext("duration") or "").strip(),
                    day_date=(day.get("date") or "").strip(),
                    kind=(event.findtext("type") or "").strip(),
                    track=(event.findtext("track") or "").strip(),
                    summary=(event.findtext("abstract") or event.findtext("description") or "").strip(),
                    persons=persons,
                    separator="/",
                )
                if len(programme.sessions) > MAX_ENTRIES:
                    raise ImportFileError(gettext("The programme has too many sessions to import at once."))
    return programme


def _add_event(
    programme,
    where,
    *,
    key,
    title,
    date_text,
    start_text,
    duration_text,
    day_date,
    kind,
    track,
    summary,
    persons,
    separator=".",
):
    errors = len(programme.errors)
    if not title:
        programme.error(f"{where}{separator}title", gettext("a session needs a title"))
    try:
        start = _event_instant(programme, where, date_text, start_text, day_date)
    except ValueError as error:
        programme.error(
            f"{where}{separator}date", gettext("not a possible date and time (%(reason)s)") % {"reason": error}
        )
        start = None
    try:
        duration = parse_duration(duration_text or "00:00")
    except ValueError as error:
        programme.error(f"{where}{separator}duration", error)
        duration = None
    if len(programme.errors) > errors:
        return
    if duration <= dt.timedelta(0):
        programme.error(f"{where}{separator}duration", gettext("a session needs a duration"))
        return
    session = SessionEntry(
        where=where, key=key[:200], title=title, kind=session_kind(kind, default="breakout") or "other", summary=summary
    )
    if track:
        session.topics.append(track)
    set_times(programme, session, start, start + duration)
    for person_where, person in persons:
        if not isinstance(person, dict):
            programme.error(person_where, gettext("a person must be an object"))
            continue
        name = _key(person, "public_name", "name", "full_name")
        if not name:
            programme.error(f"{person_where}{separator}public_name", gettext("a speaker needs a name"))
            continue
        person_key = _key(person, "guid", "code")
        if not person_key and _key(person, "id"):
            person_key = f"id:{_key(person, 'id')}"
        session.speakers.append(
            SpeakerEntry(
                where=person_where,
                key=person_key[:200],
                name=name,
                organization=_key(person, "organization", "affiliation", "organisation"),
                email=_key(person, "email"),
                bio=_key(person, "biography", "abstract"),
            )
        )
    programme.sessions.append(session)

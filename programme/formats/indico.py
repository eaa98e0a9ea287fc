"""The Indico event export (``/export/event/ID.json?detail=contributions`` or ``detail=sessions``).

``results[0]`` is the event; its ``contributions`` (and those inside its ``sessions``) are the
sessions, their ``speakers`` (and ``chairs`` of a session block, as moderators) the appearances
with their affiliations. Dates are ``{"date", "time", "tz"}`` objects: wall times in a named zone.
"""

import datetime as dt

from django.utils.translation import gettext

from programme.formats.base import Programme, SessionEntry, SpeakerEntry, known_zone, set_times, text


def _instant(value):
    if not isinstance(value, dict):
        raise ValueError(gettext("no date and time"))
    zone = known_zone(text(value.get("tz")) or "UTC")
    if zone is None:
        raise ValueError(gettext("“%(value)s” is not an IANA time zone") % {"value": value.get("tz")})
    day = dt.date.fromisoformat(text(value.get("date")))
    time = dt.time.fromisoformat(text(value.get("time")) or "00:00:00")
    return dt.datetime.combine(day, time, tzinfo=zone)


def read_indico(data):
    programme = Programme(format="indico")
    results = data.get("results") or []
    event = results[0] if results and isinstance(results[0], dict) else None
    if event is None:
        programme.error("$.results", gettext("the export holds no event"))
        return programme
    programme.event_name = text(event.get("title"))
    programme.event_key = text(event.get("id"))
    programme.website = text(event.get("url"))
    programme.venue = text(event.get("location"))
    if known_zone(text(event.get("timezone"))):
        programme.time_zone = text(event.get("timezone"))
    contributions = [
        (f"$.results[0].contributions[{i}]", c, []) for i, c in enumerate(event.get("contributions") or [])
    ]
    for s_index, block in enumerate(event.get("sessions") or []):
        if not isinstance(block, dict):
            continue
        chairs = block.get("conveners") or block.get("chairs") or []
        for c_index, contribution in enumerate(block.get("contributions") or []):
            contributions.append((f"$.results[0].sessions[{s_index}].contributions[{c_index}]", contribution, chairs))
    for where, contribution, chairs in contributions:
        if not isinstance(contribution, dict):
            programme.error(where, gettext("a contribution must be an object"))
            continue
        if contribution.get("startDate") is None:
            continue  # not scheduled: not in the programme
        title = text(contribution.get("title"))
        errors = len(programme.errors)
        if not title:
            programme.error(f"{where}.title", gettext("a session needs a title"))
        times = {}
        for name in ("startDate", "endDate"):
            try:
                times[name] = _instant(contribution.get(name))
            except (ValueError, TypeError) as error:
                programme.error(
                    f"{where}.{name}", gettext("not a possible date and time (%(reason)s)") % {"reason": error}
                )
        if len(programme.errors) > errors:
            continue
        track = text(contribution.get("track"))
        entry = SessionEntry(
            where=where,
            key=f"indico:{text(contribution.get('db_id')) or text(contribution.get('id'))}"[:200],
            title=title,
            kind="breakout",
            summary=text(contribution.get("description")),
            topics=[track] if track else [],
        )
        set_times(programme, entry, times["startDate"], times["endDate"])
        people = [("speaker", p) for p in contribution.get("speakers") or []] + [("moderator", p) for p in chairs]
        for position, (role, person) in enumerate(people):
            person_where = f"{where}.speakers[{position}]"
            if not isinstance(person, dict):
                programme.error(person_where, gettext("a person must be an object"))
                continue
            name = text(person.get("fullName")) or " ".join(
                part for part in (text(person.get("first_name")), text(person.get("last_name"))) if part
            )
            if not name:
                programme.error(f"{person_where}.fullName", gettext("a speaker needs a name"))
                continue
            if "," in name and not person.get("first_name"):
                family, given = (part.strip() for part in name.split(",", 1))
                name = f"{given} {family}"
            person_id = text(person.get("person_id")) or text(person.get("db_id")) or text(person.get("id"))
            entry.speakers.append(
                SpeakerEntry(
                    where=person_where,
                    key=f"indico:{person_id}" if person_id else "",
                    name=name,
                    organization=text(person.get("affiliation")),
                    email=text(person.get("email")),
                    role=role,
                )
            )
        programme.sessions.append(entry)
    return programme

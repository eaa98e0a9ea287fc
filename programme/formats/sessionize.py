"""Sessionize "All data" JSON: ``sessions`` (ids, times, speaker ids, category items), ``speakers``, ``categories``.

Sessionize gives ``startsAt``/``endsAt`` as the venue's wall times without an offset: the import
asks for the zone (default: the event's). Category items of the session type become its topics.
"""

from django.utils.translation import gettext

from programme.formats.base import Programme, SessionEntry, SpeakerEntry, parse_instant, set_times, text


def read_sessionize(data):
    programme = Programme(format="sessionize")
    speakers = {}
    for index, speaker in enumerate(data.get("speakers") or []):
        if isinstance(speaker, dict) and text(speaker.get("id")):
            speakers[text(speaker.get("id"))] = (index, speaker)
    items = {}
    for category in data.get("categories") or []:
        if isinstance(category, dict):
            for item in category.get("items") or []:
                if isinstance(item, dict):
                    items[text(item.get("id"))] = text(item.get("name"))
    for index, session in enumerate(data.get("sessions") or []):
        where = f"$.sessions[{index}]"
        if not isinstance(session, dict):
            programme.error(where, gettext("a session must be an object"))
            continue
        if session.get("isServiceSession") and not session.get("title"):
            continue
        title = text(session.get("title"))
        errors = len(programme.errors)
        if not title:
            programme.error(f"{where}.title", gettext("a session needs a title"))
        times = {}
        for name in ("startsAt", "endsAt"):
            try:
                times[name] = parse_instant(text(session.get(name)))
            except ValueError as error:
                programme.error(
                    f"{where}.{name}", gettext("not a possible date and time (%(reason)s)") % {"reason": error}
                )
        if len(programme.errors) > errors:
            continue
        entry = SessionEntry(
            where=where,
            key=text(session.get("id"))[:200],
            title=title,
            kind="breakout",
            summary=text(session.get("description")),
            topics=[items[text(item)] for item in session.get("categoryItems") or [] if items.get(text(item))],
        )
        set_times(programme, entry, times["startsAt"], times["endsAt"])
        for position, speaker_id in enumerate(session.get("speakers") or []):
            speaker_id = text(speaker_id.get("id")) if isinstance(speaker_id, dict) else text(speaker_id)
            found = speakers.get(speaker_id)
            if found is None:
                programme.error(
                    f"{where}.speakers[{position}]",
                    gettext("no speaker with the id %(id)s in $.speakers") % {"id": speaker_id},
                )
                continue
            speaker_index, speaker = found
            name = text(speaker.get("fullName")) or " ".join(
                part for part in (text(speaker.get("firstName")), text(speaker.get("lastName"))) if part
            )
            if not name:
                programme.error(f"$.speakers[{speaker_index}].fullName", gettext("a speaker needs a name"))
                continue
            entry.speakers.append(
                SpeakerEntry(
                    where=f"$.speakers[{speaker_index}]",
                    key=f"sessionize:{speaker_id}"[:200],
                    name=name,
                    title=text(speaker.get("tagLine"))[:300],
                    bio=text(speaker.get("bio")),
                )
            )
        programme.sessions.append(entry)
    return programme

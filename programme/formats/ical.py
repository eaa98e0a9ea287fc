"""iCalendar (.ics): each VEVENT is a session (no speakers: a calendar does not list them).

``UID`` is the session's id; ``DTSTART``/``DTEND`` (or ``DURATION``) its instants — with a
``TZID`` or in UTC they are aware; floating times are wall times in ``X-WR-TIMEZONE`` or the zone
the import is told. All-day entries are not sessions and are left out (said in the preview).
"""

import datetime as dt

from django.utils.translation import gettext

from programme.formats.base import ImportFileError, Programme, SessionEntry, known_zone, session_kind, set_times


def read_ical(content):
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(content)
    except (ValueError, IndexError, KeyError) as error:
        raise ImportFileError(
            gettext("The iCalendar file is malformed or cut short: %(reason)s") % {"reason": error}
        ) from None
    programme = Programme(format="ical")
    programme.event_name = str(calendar.get("X-WR-CALNAME", "")).strip()
    zone = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    if zone and known_zone(zone):
        programme.time_zone = zone
    skipped = 0
    for number, component in enumerate(calendar.walk("VEVENT"), start=1):
        where = f"VEVENT[{number}]"
        title = str(component.get("SUMMARY", "")).strip()
        uid = str(component.get("UID", "")).strip()
        try:
            start = component.decoded("DTSTART")
        except (KeyError, ValueError) as error:
            programme.error(
                f"{where}/DTSTART", gettext("not a possible date and time (%(reason)s)") % {"reason": error}
            )
            continue
        if not isinstance(start, dt.datetime):
            skipped += 1
            continue
        try:
            if component.get("DTEND") is not None:
                end = component.decoded("DTEND")
            elif component.get("DURATION") is not None:
                end = start + component.decoded("DURATION")
            else:
                end = None
        except (KeyError, ValueError) as error:
            programme.error(f"{where}/DTEND", gettext("not a possible date and time (%(reason)s)") % {"reason": error})
            continue
        if not title:
            programme.error(f"{where}/SUMMARY", gettext("a session needs a title"))
            continue
        if not isinstance(end, dt.datetime):
            programme.error(f"{where}/DTEND", gettext("a session needs an end time"))
            continue
        categories = []
        for value in component.get("CATEGORIES") and _as_list(component.get("CATEGORIES")) or []:
            categories.extend(str(category).strip() for category in value.cats)
        session = SessionEntry(
            where=where,
            key=uid[:200],
            title=title,
            kind=session_kind("", default="breakout"),
            summary=str(component.get("DESCRIPTION", "")).strip(),
            topics=[category for category in categories if category],
        )
        set_times(programme, session, start, end)
        programme.sessions.append(session)
    if skipped:
        programme.notes.append(
            gettext("%(count)d all-day calendar entries are not sessions and were left out.") % {"count": skipped}
        )
    return programme


def _as_list(value):
    return value if isinstance(value, list) else [value]

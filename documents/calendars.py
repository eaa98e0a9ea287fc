"""Calendars (iCalendar, RFC 5545) of a conference's sessions or a workshop's dates, with icalendar."""

import datetime as dt

from icalendar import Calendar
from icalendar import Event as CalendarEvent


def write_calendar(event, entries, *, now=None):
    """``entries`` (``documents.reading.CalendarEntry``) as iCalendar bytes.

    Timed entries carry the event's zone as TZID, with its VTIMEZONE in the file; whole days
    are dates (DTEND the day after the last, as RFC 5545 asks).
    """
    now = now or dt.datetime.now(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//Liaison//Documents//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", event.name_zh or event.name)
    calendar.add("x-wr-timezone", event.time_zone)
    for entry in entries:
        item = CalendarEvent()
        item.add("uid", entry.uid)
        item.add("dtstamp", now)
        item.add("dtstart", entry.starts)
        item.add("dtend", entry.ends)
        item.add("summary", entry.summary)
        if entry.description:
            item.add("description", entry.description)
        if entry.location:
            item.add("location", entry.location)
        calendar.add_component(item)
    years = [entry.starts.year for entry in entries] or [now.year]
    # Only the years the entries need: the zone's rules of 1970–2038 would make a file of 7 kB.
    calendar.add_missing_timezones(first_date=dt.date(min(years) - 1, 1, 1), last_date=dt.date(max(years) + 2, 1, 1))
    return calendar.to_ical()

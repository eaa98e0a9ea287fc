"""The agenda spreadsheet (CSV or XLSX): one row per speaker appearance, the template in ``docs/``.

Rows with the same session id — or, without one, the same date, start and title — make one
session; a row without a speaker adds a session (or an organization appearing alone). Times are
wall times in the ``time zone`` column's zone, else in the zone the import is told.
"""

import datetime as dt
import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from importing.files import read_contact_file
from programme.formats.base import (
    Programme,
    SessionEntry,
    SpeakerEntry,
    appearance_role,
    known_zone,
    session_kind,
    set_times,
)

# key → (English header, Chinese header); the template's headers are "English / 中文".
COLUMNS = {
    "event": (_("event"), "活動名稱"),
    "event_zh": (_("event (Chinese)"), "活動中文名稱"),
    "city": (_("city"), "城市"),
    "country": (_("country"), "國家"),
    "time_zone": (_("time zone"), "時區"),
    "date": (_("date"), "日期"),
    "start": (_("start"), "開始"),
    "end": (_("end"), "結束"),
    "session_id": (_("session id"), "場次編號"),
    "title": (_("session title"), "場次名稱"),
    "title_zh": (_("session title (Chinese)"), "場次中文名稱"),
    "kind": (_("kind"), "場次類型"),
    "topics": (_("topics"), "主題"),
    "speaker": (_("speaker"), "講者"),
    "speaker_zh": (_("speaker (Chinese)"), "講者中文姓名"),
    "organization": (_("organization as printed"), "所屬機構"),
    "parent_organization": (_("parent organization"), "上級機關"),
    "job_title": (_("title"), "職稱"),
    "role": (_("role"), "角色"),
    "email": (_("e-mail"), "電子郵件"),
}
REQUIRED = ("date", "start", "end", "title")
ENGLISH = {
    "event": "event",
    "event_zh": "event (Chinese)",
    "city": "city",
    "country": "country",
    "time_zone": "time zone",
    "date": "date",
    "start": "start",
    "end": "end",
    "session_id": "session id",
    "title": "session title",
    "title_zh": "session title (Chinese)",
    "kind": "kind",
    "topics": "topics",
    "speaker": "speaker",
    "speaker_zh": "speaker (Chinese)",
    "organization": "organization as printed",
    "parent_organization": "parent organization",
    "job_title": "title",
    "role": "role",
    "email": "e-mail",
}


def template_headers():
    """The template's header row: "English / 中文" for each column, in order."""
    return [f"{ENGLISH[key]} / {chinese}" for key, (_english, chinese) in COLUMNS.items()]


def _simple(header):
    return re.sub(r"[\s_\-()（）:：]+", "", str(header)).casefold()


def _header_map():
    found = {}
    for key, (english, chinese) in COLUMNS.items():
        for name in (key, ENGLISH[key], str(english), chinese):
            found[_simple(name)] = key
    return found


def column_of(header, header_map):
    """The key of a header: its whole text, or either side of "English / 中文"."""
    for part in [header, *str(header).split("/")]:
        key = header_map.get(_simple(part))
        if key:
            return key
    return None


DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?::(\d{2}))?$")


def parse_date(value):
    found = DATE.match(value.strip().split(" ")[0])
    if not found:
        raise ValueError(gettext("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": value})
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        raise ValueError(gettext("%(value)s is not a date in the calendar") % {"value": value}) from None


def parse_time(value):
    value = value.strip()
    if " " in value:  # an XLSX date-and-time cell: its time
        value = value.split(" ")[-1]
    if "T" in value:
        value = value.split("T")[-1]
    found = TIME.match(value)
    if not found or int(found.group(1)) > 24 or int(found.group(2)) > 59:
        raise ValueError(gettext("“%(value)s” is not a time of day (HH:MM)") % {"value": value})
    hours, minutes = int(found.group(1)), int(found.group(2))
    if hours == 24 and minutes == 0:
        return None  # midnight at the end of the day: the caller adds a day
    if hours == 24:
        raise ValueError(gettext("“%(value)s” is not a time of day (HH:MM)") % {"value": value})
    return dt.time(hours, minutes)


def country_code(value):
    value = value.strip()
    if not value:
        return ""
    if len(value) == 2 and value.upper() in dict(countries):
        return value.upper()
    return countries.by_name(value) or countries.by_name(value, language="zh-hant") or None


def read_agenda(content, *, filename):
    """The ``Programme`` of an agenda spreadsheet. ``ImportFileError`` when the file cannot be read at all."""
    table = read_contact_file(content, filename=filename)
    programme = Programme(format="agenda")
    header_map = _header_map()
    columns, seen = [], {}
    for position, header in enumerate(table[0]):
        key = column_of(header, header_map) if header.strip() else None
        if key in seen:
            programme.error(
                gettext("row 1"),
                gettext("the column “%(column)s” appears twice (columns %(first)d and %(second)d)")
                % {"column": header, "first": seen[key] + 1, "second": position + 1},
            )
            key = None
        elif key:
            seen[key] = position
        columns.append(key)
    missing = [ENGLISH[key] for key in REQUIRED if key not in seen]
    if missing:
        programme.error(
            gettext("row 1"),
            gettext("this is not the agenda template: the columns %(columns)s are missing")
            % {"columns": ", ".join(f"“{name}”" for name in missing)},
        )
        return programme
    sessions = _Sessions()
    for offset, cells in enumerate(table[1:]):
        number = offset + 2
        row = {key: cell.strip() for key, cell in zip(columns, cells, strict=False) if key}
        if not any(row.values()):
            continue
        _read_row(programme, sessions, number, row)
    programme.sessions = list(sessions.values())
    return programme


class _Sessions(dict):
    """The file's sessions by identity, with the wall time each was first given."""

    def __init__(self):
        super().__init__()
        self.wall_starts = {}


def _where(number, key):
    return gettext("row %(row)d, column “%(column)s”") % {"row": number, "column": ENGLISH[key]}


def _read_row(programme, sessions, number, row):
    for key, attribute in (("event", "event_name"), ("event_zh", "event_name_zh"), ("city", "city")):
        if row.get(key) and not getattr(programme, attribute):
            setattr(programme, attribute, row[key])
    if row.get("country") and not programme.country:
        code = country_code(row["country"])
        if code is None:
            programme.error(
                _where(number, "country"), gettext("“%(value)s” is not a country") % {"value": row["country"]}
            )
        else:
            programme.country = code
    if row.get("time_zone"):
        if known_zone(row["time_zone"]) is None:
            programme.error(
                _where(number, "time_zone"),
                gettext("“%(value)s” is not an IANA time zone (e.g. America/New_York)") % {"value": row["time_zone"]},
            )
        elif programme.time_zone and programme.time_zone != row["time_zone"]:
            programme.error(
                _where(number, "time_zone"),
                gettext("one file has one time zone; this row says %(zone)s, an earlier one %(earlier)s")
                % {"zone": row["time_zone"], "earlier": programme.time_zone},
            )
        else:
            programme.time_zone = row["time_zone"]
    errors = len(programme.errors)
    for key in REQUIRED:
        if not row.get(key):
            programme.error(_where(number, key), gettext("this cell is required"))
    if len(programme.errors) > errors:
        return
    try:
        day = parse_date(row["date"])
    except ValueError as error:
        programme.error(_where(number, "date"), error)
        return
    times = {}
    for key in ("start", "end"):
        try:
            times[key] = parse_time(row[key])
        except ValueError as error:
            programme.error(_where(number, key), error)
    if len(times) < 2:
        return
    if times["start"] is None:
        programme.error(
            _where(number, "start"), gettext("a session cannot start at 24:00; write 00:00 of the next day")
        )
        return
    start = dt.datetime.combine(day, times["start"])
    end = dt.datetime.combine(day, times["end"] or dt.time()) + dt.timedelta(days=1 if times["end"] is None else 0)
    if end <= start:
        end += dt.timedelta(days=1)  # a session past midnight: 23:45–00:15
    kind = session_kind(row.get("kind"), default="breakout")
    if kind is None:
        programme.error(
            _where(number, "kind"), gettext("“%(value)s” is not a kind of session") % {"value": row["kind"]}
        )
    role = appearance_role(row.get("role"))
    if role is None:
        programme.error(_where(number, "role"), gettext("“%(value)s” is not a role") % {"value": row["role"]})
    identity = row.get("session_id") or (day, times["start"], row["title"].casefold())
    session = sessions.get(identity)
    if session is None:
        key = row.get("session_id") or f"agenda:{start:%Y-%m-%dT%H:%M} {row['title']}"
        session = sessions[identity] = SessionEntry(
            where=gettext("row %(row)d") % {"row": number},
            key=key[:200],
            title=row["title"],
            title_zh=row.get("title_zh", ""),
            kind=kind or "other",
        )
        sessions.wall_starts[identity] = start
        set_times(programme, session, start, end)
    else:
        if sessions.wall_starts[identity] != start:
            programme.error(
                _where(number, "start"),
                gettext("the session “%(title)s” was given another time in %(where)s")
                % {"title": row["title"], "where": session.where},
            )
        if row.get("title_zh") and not session.title_zh:
            session.title_zh = row["title_zh"]
    for topic in (row.get("topics") or "").split("|"):
        if topic.strip() and topic.strip() not in session.topics:
            session.topics.append(topic.strip())
    if row.get("speaker") or row.get("speaker_zh") or row.get("organization"):
        session.speakers.append(
            SpeakerEntry(
                where=gettext("row %(row)d") % {"row": number},
                name=row.get("speaker", ""),
                name_zh=row.get("speaker_zh", ""),
                organization=row.get("organization", ""),
                parent_organization=row.get("parent_organization", ""),
                title=row.get("job_title", ""),
                role=role or "speaker",
                email=row.get("email", ""),
            )
        )


def write_agenda_template(extension):
    """The empty agenda template (header row only) as bytes: ``"csv"`` (UTF-8 with BOM for Excel) or ``"xlsx"``."""
    headers = template_headers()
    if extension == "csv":
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(headers)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "agenda"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(cell.value) + 2)
    sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()

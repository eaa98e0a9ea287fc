"""Small programme files written for the tests (invented conferences and people)."""

import csv
import io
import json

from programme.formats.agenda import template_headers

FRAB_JSON = {
    "schedule": {
        "version": "1.0",
        "conference": {
            "acronym": "itc22",
            "title": "Invented Trafficking Conference 2022",
            "start": "2022-03-15",
            "end": "2022-03-16",
            "time_zone_name": "America/New_York",
            "days": [
                {
                    "index": 0,
                    "date": "2022-03-15",
                    "rooms": {
                        "Hall A": [
                            {
                                "guid": "11111111-0000-4000-8000-000000000001",
                                "id": 101,
                                "date": "2022-03-15T09:00:00-04:00",
                                "start": "09:00",
                                "duration": "01:00",
                                "room": "Hall A",
                                "title": "Opening keynote",
                                "type": "keynote",
                                "track": "Victim services",
                                "abstract": "Why services first.",
                                "persons": [{"code": "AVERY1", "public_name": "Avery Invented"}],
                            },
                            {
                                "guid": "11111111-0000-4000-8000-000000000002",
                                "id": 102,
                                "date": "2022-03-15T10:30:00-04:00",
                                "start": "10:30",
                                "duration": "01:30",
                                "room": "Hall A",
                                "title": "Panel on shelters",
                                "type": "panel",
                                "track": "Victim services",
                                "persons": [
                                    {"code": "AVERY1", "public_name": "Avery Invented"},
                                    {"code": "BLAKE2", "public_name": "Blake Madeup"},
                                ],
                            },
                        ]
                    },
                }
            ],
        },
    }
}

FRAB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>1.0</version>
  <conference>
    <acronym>itc22</acronym>
    <title>Invented Trafficking Conference 2022</title>
    <start>2022-03-15</start>
    <end>2022-03-16</end>
    <time_zone_name>America/New_York</time_zone_name>
  </conference>
  <day index="1" date="2022-03-15" start="2022-03-15T08:00:00-04:00" end="2022-03-15T18:00:00-04:00">
    <room name="Hall A">
      <event guid="11111111-0000-4000-8000-000000000001" id="101">
        <date>2022-03-15T09:00:00-04:00</date>
        <start>09:00</start>
        <duration>01:00</duration>
        <room>Hall A</room>
        <title>Opening keynote</title>
        <type>keynote</type>
        <track>Victim services</track>
        <persons><person id="7" code="AVERY1">Avery Invented</person></persons>
      </event>
      <event guid="11111111-0000-4000-8000-000000000002" id="102">
        <date>2022-03-15T10:30:00-04:00</date>
        <start>10:30</start>
        <duration>01:30</duration>
        <room>Hall A</room>
        <title>Panel on shelters</title>
        <type>panel</type>
        <persons>
          <person id="7" code="AVERY1">Avery Invented</person>
          <person id="8" code="BLAKE2">Blake Madeup</person>
        </persons>
      </event>
    </room>
  </day>
</schedule>
"""

AGENDA_ROWS = [
    # event, event_zh, city, country, zone, date, start, end, id, title, title_zh, kind, topics, speaker,
    # speaker_zh, organization, parent, job title, role, e-mail
    [
        "Invented Summit 2023",
        "虛構高峰會2023",
        "Miami",
        "US",
        "America/New_York",
        "2023-03-15",
        "11:45",
        "12:00",
        "",
        "Welcome",
        "致歡迎詞",
        "welcome",
        "",
        "Casey Fictional",
        "",
        "Example Network",
        "",
        "Executive Director",
        "speaker",
        "",
    ],
    [
        "",
        "",
        "",
        "",
        "",
        "2023-03-15",
        "12:00",
        "13:00",
        "",
        "Keynote",
        "主題演講",
        "keynote",
        "Victim services",
        "Dana Notreal",
        "",
        "Example Youth Org",
        "",
        "Trainer",
        "speaker",
        "dana@example.org",
    ],
    [
        "",
        "",
        "",
        "",
        "",
        "2023-03-15",
        "12:00",
        "13:00",
        "",
        "Keynote",
        "",
        "keynote",
        "",
        "Eli Imaginary",
        "",
        "Example Youth Org",
        "",
        "Programme lead",
        "moderator",
        "",
    ],
    [
        "",
        "",
        "",
        "",
        "",
        "2023-03-15",
        "13:30",
        "15:00",
        "",
        "Ask a Fed",
        "",
        "panel",
        "",
        "",
        "",
        "Office for Invented Crime",
        "Department of Examples",
        "",
        "presenter",
        "",
    ],
]


def agenda_csv(rows=AGENDA_ROWS, headers=None):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers or template_headers())
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def frab_json(data=FRAB_JSON):
    return json.dumps(data).encode()


SESSIONIZE = {
    "sessions": [
        {
            "id": "401",
            "title": "Opening keynote",
            "description": "Why services first.",
            "startsAt": "2022-03-15T09:00:00",
            "endsAt": "2022-03-15T10:00:00",
            "isServiceSession": False,
            "speakers": ["aaaa-1"],
            "categoryItems": [77],
        },
        {
            "id": "402",
            "title": "Panel on shelters",
            "startsAt": "2022-03-15T10:30:00",
            "endsAt": "2022-03-15T12:00:00",
            "speakers": ["aaaa-1", "bbbb-2"],
            "categoryItems": [],
        },
        {
            "id": "s1",
            "title": "",
            "isServiceSession": True,
            "startsAt": "2022-03-15T12:00:00",
            "endsAt": "2022-03-15T13:00:00",
        },
    ],
    "speakers": [
        {
            "id": "aaaa-1",
            "firstName": "Avery",
            "lastName": "Invented",
            "fullName": "Avery Invented",
            "tagLine": "Director",
        },
        {"id": "bbbb-2", "firstName": "Blake", "lastName": "Madeup", "fullName": "Blake Madeup", "tagLine": ""},
    ],
    "categories": [{"id": 5, "title": "Track", "items": [{"id": 77, "name": "Victim services"}], "type": "session"}],
    "rooms": [],
}

INDICO = {
    "count": 1,
    "results": [
        {
            "id": "1234",
            "title": "Invented Trafficking Conference 2022",
            "timezone": "Europe/Vienna",
            "location": "Invented Hall",
            "url": "https://indico.example.org/event/1234/",
            "contributions": [
                {
                    "id": "1",
                    "db_id": 501,
                    "title": "Opening keynote",
                    "startDate": {"date": "2022-03-15", "time": "09:00:00", "tz": "Europe/Vienna"},
                    "endDate": {"date": "2022-03-15", "time": "10:00:00", "tz": "Europe/Vienna"},
                    "track": "Victim services",
                    "speakers": [
                        {"fullName": "Invented, Avery", "affiliation": "Example Network", "person_id": 9, "email": ""}
                    ],
                },
                {
                    "id": "2",
                    "db_id": 502,
                    "title": "Unscheduled talk",
                    "startDate": None,
                    "endDate": None,
                    "speakers": [],
                },
            ],
            "sessions": [
                {
                    "title": "Shelters",
                    "conveners": [
                        {"first_name": "Cora", "last_name": "Pretend", "affiliation": "Example Youth Org", "db_id": 11}
                    ],
                    "contributions": [
                        {
                            "id": "3",
                            "db_id": 503,
                            "title": "Panel on shelters",
                            "startDate": {"date": "2022-03-15", "time": "10:30:00", "tz": "Europe/Vienna"},
                            "endDate": {"date": "2022-03-15", "time": "12:00:00", "tz": "Europe/Vienna"},
                            "speakers": [
                                {
                                    "first_name": "Blake",
                                    "last_name": "Madeup",
                                    "affiliation": "Example Network",
                                    "db_id": 10,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ],
}

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Invented//Programme//EN
X-WR-CALNAME:Invented Trafficking Conference 2022
X-WR-TIMEZONE:America/New_York
BEGIN:VEVENT
UID:opening@example.org
DTSTART;TZID=America/New_York:20220315T090000
DTEND;TZID=America/New_York:20220315T100000
SUMMARY:Opening keynote
CATEGORIES:Victim services
END:VEVENT
BEGIN:VEVENT
UID:panel@example.org
DTSTART:20220315T143000Z
DURATION:PT1H30M
SUMMARY:Panel on shelters
END:VEVENT
BEGIN:VEVENT
UID:day@example.org
DTSTART;VALUE=DATE:20220316
SUMMARY:Field visits
END:VEVENT
END:VCALENDAR
"""

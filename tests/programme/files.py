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

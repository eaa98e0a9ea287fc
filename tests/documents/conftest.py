import io
import zipfile

import pytest
from django.core.management import call_command

from conference.models import Event


@pytest.fixture
def conference(db):
    """The seed record's conference (fixtures/fnusa_2022.json, loaded with loaddata)."""
    call_command("loaddata", "fnusa_2022", verbosity=0)
    return Event.objects.get(kind=Event.Kind.CONFERENCE, organizer__acronym="FNUSA", start_date__year=2022)


@pytest.fixture
def seed_workshop(conference):
    return Event.objects.get(kind=Event.Kind.WORKSHOP, name_zh="2022年防制人口販運國際工作坊")


def xml_parts(content):
    """Every XML part of a DOCX (document, styles, headers, footers, properties …) as text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml") or name.endswith(".rels")
        }

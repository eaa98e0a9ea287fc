"""The contact sheet's columns, defined once: what each column holds, how it is written and read back.

``ContactSheetResource`` is the single definition every export format and the import share:
the column keys, their headers, their order, which columns are export-only, and the widget
that reads each column back from a spreadsheet. Cell texts themselves are computed in bulk by
``contact_sheets.rows.contact_sheet_rows`` (no per-row queries) with the formatting helpers below,
so a row is a plain ``dict`` of strings keyed by column key.

Spreadsheet cells are made safe to open (OWASP "CSV injection"): a cell whose text begins with
``=``, ``+``, ``-``, ``@``, tab, carriage return or line feed gets a leading ``'``, so no
spreadsheet reads it as a formula. To keep this reversible, a cell that is already one or more
``'`` followed by such a character gets one more ``'``; ``unescape_formula`` removes exactly one
``'`` from a cell made of one or more ``'`` followed by a trigger, so importing our own export
gives back the stored text exactly.

List cells (languages, expertise, other contact methods, several current jobs) separate their
items with ``|``; a ``|`` or ``\\`` inside an item is escaped with a backslash.
"""

import copy
import datetime as dt
import functools
import re
import types
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from import_export import fields, resources, widgets

from partners.country_names import other_chinese_names
from partners.models import (
    ContactMethod,
    ExpertiseArea,
    Language,
    Person,
    normalize_contact_value,
)
from partners.names import strip_accents

LIST_SEPARATOR = "|"
# C0 control characters other than tab, line feed and carriage return: never valid in a cell
# (XLSX cannot hold them, and they are how binary junk shows up in a "CSV").
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
AREA_CODE_SUFFIX = re.compile(r"\s*\[([\w-]+)\]\s*$")
CONTACT_ITEM = re.compile(r"^\s*(?P<kind>[^:()]+?)\s*(?:\((?P<label>[^)]*)\))?\s*:\s*(?P<value>.+?)\s*$", re.S)

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")
ESCAPE = "'"
_ESCAPED_TRIGGER = re.compile(r"'*[=+\-@\t\r\n]")


# A spreadsheet may split a CSV line on ``;`` or tab (Excel's list separator in most European
# locales) rather than ``,``, and a line break inside a quoted cell starts a new line for such a
# reader: every character after one of these separators (and any quotes) may begin a cell.
# ``escape_formula`` therefore escapes a trigger there too, with the same reversible ``'``.
CSV_SEPARATORS = ",;\t\r\n"
_INNER_TRIGGER = re.compile(r'[,;\t\r\n]"*\'*[=+\-@\t\r\n]')
_INNER_ESCAPE = re.compile(r'(?<=[,;\t\r\n])("*)(\'*)(?=[=+\-@\t\r\n])')
_INNER_UNESCAPE = re.compile(r'(?<=[,;\t\r\n])("*)\'(\'*)(?=[=+\-@\t\r\n])')


def escape_formula(text):
    """``text`` made safe to open in a spreadsheet (see the module docstring); reversible.

    A trigger at the start of the text, or after a separator a spreadsheet may split on
    (``,`` ``;`` tab, line break, then any ``"``), gets a ``'`` before it.
    """
    if not text:
        return text
    if _INNER_TRIGGER.search(text):
        text = _INNER_ESCAPE.sub(r"\1'\2", text)
    if text[0] in FORMULA_TRIGGERS or (text[0] == ESCAPE and _ESCAPED_TRIGGER.match(text)):
        return ESCAPE + text
    return text


def unescape_formula(text):
    """The stored text of a cell written by ``escape_formula``."""
    if not text:
        return text
    if text[0] == ESCAPE and _ESCAPED_TRIGGER.match(text, 1):
        text = text[1:]
    if "'" in text:
        text = _INNER_UNESCAPE.sub(r"\1\2", text)
    return text


def needs_formula_escape(text):
    """Whether ``escape_formula`` would change ``text`` (cheap test for the export's hot loop)."""
    return bool(text) and (text[0] in FORMULA_TRIGGERS or text[0] == ESCAPE or _INNER_TRIGGER.search(text) is not None)


def join_list(items):
    """Join cell items with ``|``, escaping ``\\`` and ``|`` inside an item."""
    items = list(items)
    if len(items) == 1 and "|" not in items[0] and "\\" not in items[0]:
        return items[0]
    text = LIST_SEPARATOR.join(items)
    if "\\" not in text and text.count(LIST_SEPARATOR) == len(items) - 1:
        return text  # nothing to escape: the common case, kept fast for big exports
    return LIST_SEPARATOR.join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_list(text, *, keep_empty=False):
    """The items of a ``|``-separated cell, unescaped and stripped; empty items dropped unless ``keep_empty``."""
    if not text:
        return []
    if "\\" not in text:
        items = [item.strip() for item in text.split(LIST_SEPARATOR)]
        return items if keep_empty else [item for item in items if item]
    items, current, chars = [], [], iter(text)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == LIST_SEPARATOR:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return items if keep_empty else [item for item in items if item]


def area_label(area_name, area_name_zh):
    """How an expertise area appears in a cell: "T visa / T 簽證" (English / Chinese)."""
    return f"{area_name} / {area_name_zh}" if area_name_zh and area_name_zh != area_name else area_name


def area_labels(areas):
    """``{area id: cell label}`` for ``(id, code, name, name_zh)`` tuples; a label shared by two
    areas gets its code appended ("Other / 其他 [legal-other]") so the import can tell them apart."""
    areas = list(areas)
    counts = {}
    for _id, _code, name, name_zh in areas:
        key = area_label(name, name_zh).casefold()
        counts[key] = counts.get(key, 0) + 1
    labels = {}
    for area_id, code, name, name_zh in areas:
        label = area_label(name, name_zh)
        labels[area_id] = f"{label} [{code}]" if counts[label.casefold()] > 1 else label
    return labels


def contact_item(kind, value, label=""):
    """One entry of the "other contact methods" cell: "phone (mobile): +886912345678"."""
    return f"{kind} ({label}): {value}" if label else f"{kind}: {value}"


def simple_key(text):
    """Case-, accent- and spacing-insensitive key for looking names up (countries, areas, languages)."""
    return _simple_key(str(text))  # a lazy translation as the text of the active language


@functools.lru_cache(maxsize=65536)
def _simple_key(text):
    """``simple_key``, remembered: an import asks for the keys of the same few thousand countries,
    languages and organization names on every row."""
    if not text.isascii():
        text = strip_accents(text)
    return " ".join(text.casefold().split())


# Names people write that the ISO list spells otherwise.
COUNTRY_ALIASES = {
    "United States": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "Republic of China": "TW",
    "中華民國": "TW",
}


@functools.cache
def country_keys():
    """``{simple key: ISO code}`` of every way a cell may name a country: codes, aliases, names in
    each language of the interface, old names, other Chinese names. The same for every import of
    the process (django-countries' lists and ``settings.LANGUAGES``): built once (60 ms)."""
    keys = {simple_key(alias): code for alias, code in COUNTRY_ALIASES.items()}
    for code, _name in countries:
        keys[simple_key(code)] = code
        keys.setdefault(simple_key(countries.alpha3(code) or code), code)
        for language in ImportLookups.language_codes():
            with translation.override(language):
                keys.setdefault(simple_key(countries.name(code)), code)
                for old_name in countries.OLD_NAMES.get(code, ()):
                    keys.setdefault(simple_key(old_name), code)
    # Chinese names from other lists (台灣, 科特迪瓦) are read too (partners/country_names.py).
    for name, code in other_chinese_names().items():
        keys.setdefault(simple_key(name), code)
    return types.MappingProxyType(keys)


class ImportLookups:
    """Everything the widgets need to read a file, loaded once per import (a query per table, not per row)."""

    def __init__(self):
        self.countries = country_keys()
        self.languages = {}
        for code, name, name_zh in Language.objects.values_list("code", "name", "name_zh"):
            for key in (code, name, name_zh, f"{name_zh} {name}".strip()):
                if key:
                    self.languages.setdefault(simple_key(key), code)
        self.areas = {}
        ambiguous = set()
        rows = list(ExpertiseArea.objects.values_list("pk", "code", "name", "name_zh"))
        for area_id, code, name, name_zh in rows:
            self.areas[("code", code.casefold())] = area_id
            for key in {area_label(name, name_zh), name, name_zh, f"{name_zh} {name}".strip()}:
                if not key:
                    continue
                key = ("name", simple_key(key))
                if self.areas.get(key, area_id) != area_id:
                    ambiguous.add(key)
                self.areas[key] = area_id
        for key in ambiguous:
            self.areas[key] = None
        self.found_areas = {}  # cell item → area id, or why it names none (ExpertiseWidget)
        self.found_contacts = {}  # (kind, cell) → the value as stored, or (why it is refused,) (ContactWidget)
        self.found_cells = {}  # (column, cell) → (True, value) or (False, why it is refused) (clean_row)
        # kind → cell values someone's contact is stored as, written as stored (``checked_contact``)
        self.stored_contacts = {}
        self.contact_kinds = {}
        for kind in ContactMethod.Kind:
            self.contact_kinds[simple_key(kind.value)] = kind.value
            for language in self.language_codes():
                with translation.override(language):
                    self.contact_kinds.setdefault(simple_key(kind.label), kind.value)

    @staticmethod
    def language_codes():
        return [code for code, _name in settings.LANGUAGES]


E164 = re.compile(r"\+[1-9][0-9]{5,14}")


def in_stored_shape(value):
    """Whether ``value`` is written as ``normalize_contact_value`` writes an e-mail or a phone."""
    if value[0] == "+":
        return E164.fullmatch(value) is not None
    local, at, domain = value.rpartition("@")
    return bool(at and local) and domain == domain.lower() and value == value.strip()


def checked_contact(kind, value, *, country, lookups):
    """``normalize_contact_value`` for a cell; but a value someone's contact of that kind is stored
    as, written exactly as stored (``lookups.stored_contacts``, filled by the import), is taken as
    it is: it was checked when it was stored, and reads as itself."""
    if lookups is not None and value in lookups.stored_contacts.get(kind, ()):
        return value
    return normalize_contact_value(kind, value, country=country)


def check_text(value, max_length=None):
    if CONTROL_CHARACTERS.search(value):
        raise ValueError(gettext("contains control characters (binary data?)"))
    if max_length is not None and len(value) > max_length:
        raise ValueError(
            gettext("is %(length)d characters long; at most %(max)d fit") % {"length": len(value), "max": max_length}
        )
    return value


class TextWidget(widgets.CharWidget):
    """Plain text, refused when longer than the model field or holding control characters."""

    # Whether the value depends on the cell's text alone and recurs on many rows, so that
    # ``ContactSheetResource.clean_row`` reads each such text once an import.
    row_free = False

    def __init__(self, max_length=None):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        return check_text(value, self.max_length)


class TextListWidget(TextWidget):
    """A ``|``-separated list whose positions matter (the titles and organizations of several current jobs)."""

    row_free = True

    def clean(self, value, row=None, **kwargs):
        return [check_text(item, self.max_length) for item in split_list(value, keep_empty=True)]


class IdentifierWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        try:
            return str(uuid.UUID(value))  # canonical text: "a0ea0a40-da9f-47b0-ab09-a2a5026271f5"
        except ValueError:
            raise ValueError(gettext("“%(value)s” is not a valid identifier") % {"value": value}) from None


class CountryWidget(widgets.Widget):
    """A country by ISO code ("US", "USA"), English name or Chinese name."""

    row_free = True

    def clean(self, value, row=None, *, lookups, **kwargs):
        code = lookups.countries.get(simple_key(value))
        if code is None:
            raise ValueError(gettext("unknown country “%(value)s”") % {"value": value})
        return code


class LanguagesWidget(widgets.Widget):
    """Language codes ("en|es") or names in either language."""

    row_free = True

    def clean(self, value, row=None, *, lookups, **kwargs):
        codes = []
        for item in split_list(value):
            code = lookups.languages.get(simple_key(item))
            if code is None:
                raise ValueError(gettext("unknown language “%(value)s”") % {"value": item})
            if code not in codes:
                codes.append(code)
        return codes


def row_country(row, lookups):
    """The ISO code in a row's Country cell, or None: a phone without its country code is read
    as a number of the person's country."""
    text = (row or {}).get("country") or ""
    if not text.strip() or lookups is None:
        return None
    return lookups.countries.get(simple_key(text.strip()))


class ContactWidget(widgets.Widget):
    """One e-mail address or phone number, normalised as the model stores it."""

    row_free = False

    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def clean(self, value, row=None, *, lookups=None, **kwargs):
        country = row_country(row, lookups)
        # An office's switchboard or shared mailbox on many rows is checked once an import.
        found = lookups.found_contacts.get((self.kind, value, country)) if lookups is not None else None
        if found is None:
            try:
                found = checked_contact(self.kind, value, country=country, lookups=lookups)
            except ValidationError as error:
                found = (" ".join(error.message_dict["value"]),)  # the reason, as a 1-tuple
            if lookups is not None:
                lookups.found_contacts[(self.kind, value, country)] = found
        if isinstance(found, tuple):
            raise ValueError(found[0])
        return found


class ContactListWidget(widgets.Widget):
    """Other contact methods: "email: a@example.org|phone (mobile): +886912345678|website: https://…"."""

    row_free = False

    def clean(self, value, row=None, *, lookups, **kwargs):
        methods = []
        for item in split_list(value):
            match = CONTACT_ITEM.match(item)
            kind = match and lookups.contact_kinds.get(simple_key(match["kind"]))
            if kind is None:
                raise ValueError(
                    gettext("“%(value)s” is not “kind: value” with kind e-mail, phone, website or other")
                    % {"value": item}
                )
            label = check_text((match["label"] or "").strip(), ContactMethod._meta.get_field("label").max_length)
            text = check_text(match["value"], ContactMethod._meta.get_field("value").max_length)
            try:
                text = checked_contact(kind, text, country=row_country(row, lookups), lookups=lookups)
            except ValidationError as error:
                raise ValueError(" ".join(error.message_dict["value"])) from None
            methods.append((kind, text, label))
        return methods


class ExpertiseWidget(widgets.Widget):
    """Expertise areas by code, by "English / Chinese" label, or by either name."""

    row_free = False

    def clean(self, value, row=None, *, lookups, **kwargs):
        area_ids = []
        for item in split_list(value):
            # The same few thousand labels fill every row of a sheet: each is looked up once an import.
            area_id = lookups.found_areas.get(item)
            if area_id is None:
                area_id = lookups.found_areas[item] = self.find_area(item, lookups)
            if isinstance(area_id, str):
                raise ValueError(area_id)
            if area_id not in area_ids:
                area_ids.append(area_id)
        return area_ids

    @staticmethod
    def find_area(item, lookups):
        """The id of the area ``item`` names, or the reason it names none."""
        suffix = AREA_CODE_SUFFIX.search(item)
        if suffix:
            area_id = lookups.areas.get(("code", suffix[1].casefold()))
        else:
            area_id = lookups.areas.get(("code", item.casefold()))
            if area_id is None:
                key = ("name", simple_key(item))
                if key in lookups.areas and lookups.areas[key] is None:
                    return gettext("the expertise area “%(value)s” is ambiguous; write its code instead") % {
                        "value": item
                    }
                area_id = lookups.areas.get(key)
        if area_id is None:
            return gettext("unknown expertise area “%(value)s”") % {"value": item}
        return area_id


class IsoDateWidget(widgets.Widget):
    row_free = True

    def clean(self, value, row=None, **kwargs):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ValueError(gettext("“%(value)s” is not a date written as YYYY-MM-DD") % {"value": value}) from None


def column(key, header, widget=None, *, readonly=False):
    return fields.Field(attribute=key, column_name=header, widget=widget or widgets.Widget(), readonly=readonly)


def max_length(model, name):
    return model._meta.get_field(name).max_length


class ContactSheetResource(resources.ModelResource):
    """The contact sheet: one row per person, the same columns in every format.

    Build it with ``workshop=`` to add the workshop's suitability, reason and invitation status.
    Export-only (``readonly``) columns are ignored on import: events spoken at come from the
    conference record, suitability from the candidate finder.
    """

    uuid = column("uuid", _("Identifier"), IdentifierWidget())
    full_name = column("full_name", _("Name (original)"), TextWidget(max_length(Person, "full_name")))
    name_zh = column("name_zh", _("Chinese name"), TextWidget(max_length(Person, "name_zh")))
    honorific = column("honorific", _("Honorific"), TextWidget(max_length(Person, "honorific")))
    title = column("title", _("Current title"), TextListWidget(300))
    title_zh = column("title_zh", _("Current title (Chinese)"), TextListWidget(300))
    organization = column("organization", _("Organization (original)"), TextListWidget(300))
    organization_zh = column("organization_zh", _("Organization (Chinese)"), TextListWidget(300))
    country = column("country", _("Country"), CountryWidget())
    languages = column("languages", _("Languages"), LanguagesWidget())
    email = column("email", _("Primary e-mail"), ContactWidget(ContactMethod.Kind.EMAIL))
    phone = column("phone", _("Primary phone"), ContactWidget(ContactMethod.Kind.PHONE))
    other_contacts = column("other_contacts", _("Other contact methods"), ContactListWidget())
    expertise = column("expertise", _("Expertise"), ExpertiseWidget())
    events = column("events", _("Events and sessions spoken at"), readonly=True)
    source = column("source", _("Source"), TextWidget())
    last_confirmed = column("last_confirmed", _("Last confirmed"), IsoDateWidget())
    suitability = column("suitability", _("Suitability"), readonly=True)
    reason = column("reason", _("Reason"), readonly=True)
    status = column("status", _("Invitation status"), readonly=True)

    WORKSHOP_COLUMNS = ("suitability", "reason", "status")

    class Meta:
        model = Person
        fields = [
            "uuid",
            "full_name",
            "name_zh",
            "honorific",
            "title",
            "title_zh",
            "organization",
            "organization_zh",
            "country",
            "languages",
            "email",
            "phone",
            "other_contacts",
            "expertise",
            "events",
            "source",
            "last_confirmed",
            "suitability",
            "reason",
            "status",
        ]
        export_order = fields
        clean_model_instances = True

    def __init__(self, *, workshop=None, **kwargs):
        super().__init__(**kwargs)
        self.workshop = workshop

    # -- the columns ------------------------------------------------------------------------

    def column_keys(self):
        """Column keys in order; the workshop's columns only when exporting for a workshop."""
        keys = list(self._meta.fields)
        if self.workshop is None:
            keys = [key for key in keys if key not in self.WORKSHOP_COLUMNS]
        return keys

    def get_export_fields(self, selected_fields=None):
        return super().get_export_fields(selected_fields or self.column_keys())

    def headers(self):
        """Column headers in the active language."""
        return [str(self.fields[key].column_name) for key in self.column_keys()]

    def row_values(self, row):
        """The cells of one row (a dict from ``contact_sheet_rows``) in column order."""
        return [row[key] for key in self.column_keys()]

    def import_data(self, *args, **kwargs):
        raise NotImplementedError(
            "Contact sheets are imported with importing.contacts.import_contacts, which matches duplicates, "
            "keeps stored values when a cell is blank and writes all rows or none."
        )

    # -- import -----------------------------------------------------------------------------

    def importable_keys(self):
        return [key for key in self._meta.fields if not self.fields[key].readonly]

    def header_map(self):
        """``{normalised header: column key}`` accepting the key itself and the header in every language."""
        mapping = {}
        for key in self._meta.fields:
            mapping[simple_key(key)] = key
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    mapping.setdefault(simple_key(str(self.fields[key].column_name)), key)
        return mapping

    def column_header(self, key):
        return str(self.fields[key].column_name)

    def reads_stored_contacts(self, key):
        """Whether column ``key``'s cells are read with ``ImportLookups.stored_contacts`` (contacts)."""
        return isinstance(self.fields[key].widget, ContactWidget | ContactListWidget)

    @functools.cached_property
    def cell_readers(self):
        """``{column key: (widget, remembered)}``: the widget reading a column's cells (``None`` for an
        export-only column), and whether a cell's text is read once an import (``row_free``: the same
        titles, organizations, countries, languages and dates fill many rows of a sheet)."""
        return {
            key: (None, False) if field.readonly else (field.widget, getattr(field.widget, "row_free", False))
            for key, field in self.fields.items()
        }

    def clean_row(self, raw, *, lookups, keys=None):
        """Read one row's non-blank cells; return ``(values, errors)``.

        ``raw`` maps column keys to cell text. Blank cells are left out of ``values`` (a blank
        never erases a stored value); ``errors`` lists ``(column key, reason)``. ``keys``: only
        those cells of ``raw`` (the others still inform them: a phone is read in the row's country).
        """
        values, errors = {}, []
        found = lookups.found_cells
        readers = self.cell_readers
        for key in raw if keys is None else keys:
            text = raw[key]
            text = text.strip() if text else ""
            if not text:
                continue
            widget, remembered = readers[key]
            if widget is None:
                continue
            result = found.get((key, text)) if remembered else None
            if result is None:
                try:
                    result = (True, widget.clean(text, row=raw, lookups=lookups))
                except ValueError as error:
                    result = (False, str(error))
                if remembered:
                    found[(key, text)] = result
            if result[0]:
                values[key] = copy.copy(result[1]) if type(result[1]) is list else result[1]
            else:
                errors.append((key, result[1]))
        return values, errors

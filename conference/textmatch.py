"""Where the finder's text search found each person of a page: the "why" of a search without themes.

A ranked search explains itself with its matched areas and evidence; a text search lists people by
name, so each line says where its words were found instead: the name, an organization the person
works or worked for, an expertise area they hold, or the bio (a few words around the match). The
same comparisons as the search (``conference.selectors.people_with_word``), done in Python on the
page's fifty people: two queries for the page, however many rows.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.selectors import areas_named
from partners import textsearch
from partners.models import Affiliation, ExpertiseArea, Organization, PersonExpertise

SNIPPET = 40  # characters of the bio shown on each side of the match


@dataclass
class WordMatch:
    """Where one word of the query was found for one person."""

    word: str
    in_name: bool = False
    organizations: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    bio: str = ""

    NAME = pgettext_lazy("where a search word was found", "name")
    ORGANIZATION = _("organization")
    EXPERTISE = _("expertise")
    BIO = _("bio")

    @property
    def places(self):
        """``(what, text)`` pairs for the template: ("name", ""), ("organization", "UNHCR"), …"""
        places = [(self.NAME, "")] if self.in_name else []
        places += [(self.ORGANIZATION, label) for label in self.organizations]
        places += [(self.EXPERTISE, label) for label in self.areas]
        if self.bio:
            places.append((self.BIO, self.bio))
        return places


def with_text_matches(rows, text):
    """The finder's ``rows`` (``CandidateRow``), each with where the words of ``text`` were found (none without)."""
    found = text_matches([row.person for row in rows], text) if text else {}
    for row in rows:
        row.text_matches = found.get(row.person.pk, [])
    return rows


def text_matches(people, text):
    """``{person id: [WordMatch, …]}`` for a page of people found by the finder's search for ``text``."""
    words = textsearch.query_words(text)
    ids = [person.pk for person in people]
    if not words or not ids:
        return {}
    organizations = {}
    for person_id, name, name_zh, acronym in (
        Affiliation.objects.filter(person_id__in=ids)
        .order_by("-is_current", "organization__name")
        .values_list("person_id", "organization__name", "organization__name_zh", "organization__acronym")
    ):
        organizations.setdefault(person_id, {})[Organization.label_of(name, acronym)] = (name, name_zh, acronym)
    area_ids = {word: set(areas_named(word).values_list("pk", flat=True)) for word in words}
    held = {}
    wanted = set().union(*area_ids.values())
    if wanted:
        for person_id, area_id, name, name_zh in (
            PersonExpertise.objects.filter(person_id__in=ids, area_id__in=wanted)
            .order_by("area__path")
            .values_list("person_id", "area_id", "area__name", "area__name_zh")
        ):
            held.setdefault(person_id, []).append((area_id, ExpertiseArea.label_of(name, name_zh)))
    found = {}
    for person in people:
        found[person.pk] = [
            _word_match(person, word, organizations.get(person.pk, {}), held.get(person.pk, []), area_ids[word])
            for word in words
        ]
    return found


def _word_match(person, word, organizations, held, area_ids):
    forms = [form.lower() for form in textsearch.variants(word)]
    match = WordMatch(word=word, in_name=word in (person.search_text or ""))
    for label, names in organizations.items():
        if any(form in (name or "").lower() for name in names for form in forms):
            match.organizations.append(label)
    match.areas = list(dict.fromkeys(label for area_id, label in held if area_id in area_ids))
    match.bio = _snippet(person.bio or "", forms)
    return match


def _snippet(bio, forms):
    folded = bio.lower()  # as long as the bio, unlike casefold(): the positions stay the same
    for form in forms:
        at = folded.find(form)
        if at >= 0:
            start, end = max(0, at - SNIPPET), min(len(bio), at + len(form) + SNIPPET)
            return ("…" if start else "") + " ".join(bio[start:end].split()) + ("…" if end < len(bio) else "")
    return ""

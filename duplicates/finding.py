"""Finding possible duplicates: pairs of people and pairs of organizations, each with a score and why.

One matcher, the import's (``partners.names.normalize_name``, ``normalize_email``), extended:

- **people** by their names in both scripts — case, accents, spacing, punctuation and word order
  ("Mukhar, Rose" = "ROSE  MUKHAR"), a left-out middle name and split or hyphenated names
  ("Kanesha Lenore Jean-Baptiste" ≈ "Kanesha Jean Baptiste"), initials ("R. Mukhar"), a Chinese
  name with or without spaces, near spellings (trigram similarity) — and by a shared e-mail
  address or phone number; a shared organization adds to a pair found otherwise;
- **organizations** by name (both scripts), acronym against full name ("OVC" / "Office for
  Victims of Crime"), and website domain.

Never all pairs: each record gets blocking keys (its normalised names, pairs of its name words,
initial-plus-word keys, its rarer words, e-mails, phones; for organizations acronyms and
domains) and only records sharing a key are scored. On PostgreSQL the trigram indexes of
``partners/migrations/0003_search_indexes.py`` add the pairs whose names are merely similar
(``UPPER(name) % UPPER(name)``, a self-join probing the GIN index); on SQLite the rarer-word keys
stand in for them. Scores are computed in Python in both cases, so both databases rank alike.

Sensitive people take part only for users allowed to see them (``Person.objects.visible_to``);
pairs marked "not a duplicate" (``DistinctPair``) never come back.
"""

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.utils.translation import gettext

from partners.models import Affiliation, ContactMethod, DistinctPair, Organization, Person
from partners.names import has_cjk, normalize_email, normalize_name

# Pairs scoring below this are not offered.
MIN_SCORE = 40
# A key shared by more records than this says little (a common name word): its block is skipped.
MAX_BLOCK = 200
MAX_NAME_BLOCK = 40
# An e-mail or phone held by more people than this is an office's, not a person's: it proves nothing.
MAX_SHARED_CONTACT = 2
# Single words are keys only when rare: they find misspelt other words ("Mukhar" / "Mukar").
MAX_WORD_BLOCK = 12
# Names at least this similar (pg_trgm's measure) count as similar.
SIMILAR_NAMES = 0.6
# Name words that say nothing about which organization it is.
ORGANIZATION_STOPWORDS = frozenset(
    {"the", "of", "for", "and", "on", "in", "to", "at", "de", "la", "le", "des", "du", "et", "y", "el", "a", "an"}
)
# Websites many unrelated organizations share.
SHARED_HOSTS = frozenset(
    {"facebook.com", "linkedin.com", "twitter.com", "x.com", "instagram.com", "youtube.com", "google.com"}
    | {"sites.google.com", "wordpress.com", "blogspot.com", "wixsite.com", "medium.com", "github.io"}
)
NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class DuplicatePair:
    """Two records that may be one: ids (smaller first), a score out of 100 and the reasons, strongest first."""

    first_id: int
    second_id: int
    score: int
    reasons: list = field(default_factory=list)
    first: object = None  # the records themselves, filled in for a page
    second: object = None


# -- names --------------------------------------------------------------------------------------


def name_words(name):
    """The words of a Latin-script name, lower-cased, without accents, honorifics or punctuation, in order."""
    key = normalize_name(name)
    if not key or has_cjk(key):
        return []
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"['’‘`ʼ]", "", text)
    words = NOT_WORD.sub(" ", text).split()
    kept = [word for word in words if word in key.split()]
    return kept or words


def trigrams(text):
    """pg_trgm's trigrams of ``text``: per word, lower-cased, padded with two spaces before and one after."""
    grams = set()
    for word in NOT_WORD.sub(" ", text.casefold()).split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a, b):
    """pg_trgm's ``similarity(a, b)``: shared trigrams over all trigrams of both (0 to 1)."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


@functools.lru_cache(maxsize=200_000)
def analysed_name(name):
    """(normalised name, its Latin words, its trigrams) for ``name``, remembered: each name meets many others."""
    key = normalize_name(name)
    return key, frozenset(name_words(name)), frozenset(trigrams(key))


def compare_names(names, other_names):
    """How alike two records' names are, as (points out of 60, reason), comparing every name with every name.

    Both scripts take part on both sides, so a Chinese name typed into the original-name field
    still meets the other record's Chinese name.
    """
    best, best_texts = 0, None
    for name, other in itertools.product([n for n in names if n], [n for n in other_names if n]):
        (key, words, grams), (other_key, other_words, other_grams) = analysed_name(name), analysed_name(other)
        if not key or not other_key:
            continue
        texts = {"name": name.strip(), "other": other.strip()}
        if key == other_key:
            if texts["name"] == texts["other"]:
                return 60, gettext("same name “%(name)s”") % texts
            return 60, gettext("same name written differently (“%(name)s” / “%(other)s”)") % texts
        points, kind = 0, None
        if len(words) >= 2 and len(other_words) >= 2 and (words < other_words or other_words < words):
            points, kind = 50, "middle"
        elif len(words) >= 2 and len(other_words) >= 2 and _initials_agree(words, other_words):
            points, kind = 45, "initials"
        elif grams and other_grams:
            similarity = len(grams & other_grams) / len(grams | other_grams)
            if similarity >= SIMILAR_NAMES:
                points, kind = round(20 + 40 * similarity), "similar"
                texts["percent"] = round(100 * similarity)
        if points > best:
            best, best_texts = points, (kind, texts)
    if not best:
        return 0, ""
    kind, texts = best_texts
    if kind == "middle":
        return best, gettext("same name but for a middle name (“%(name)s” / “%(other)s”)") % texts
    if kind == "initials":
        return best, gettext("same name with initials (“%(name)s” / “%(other)s”)") % texts
    return best, gettext("similar names (“%(name)s” / “%(other)s”, %(percent)d%%)") % texts


def _initials_agree(words, other_words):
    """ "r mukhar" and "rose mukhar": a full word in common, every initial standing for a word of the other name."""
    if not words & other_words or words == other_words:
        return False
    initials = {word for word in words | other_words if len(word) == 1}
    if not initials:
        return False
    for one, two in ((words, other_words), (other_words, words)):
        for word in one - two:
            if len(word) == 1:
                if not any(candidate[0] == word for candidate in two - one):
                    return False
            elif not any(len(candidate) == 1 and candidate == word[0] for candidate in two - one):
                return False
    return True


def name_keys(name):
    """Blocking keys of one name: the normalised name, pairs of its words, initial-plus-word pairs."""
    key = normalize_name(name)
    if not key:
        return set(), set()
    keys = {f"n:{key}"}
    words = sorted(set(name_words(name)))
    for one, two in itertools.combinations(words, 2):
        if len(one) > 1 and len(two) > 1:
            keys.add(f"p:{one}|{two}")
    # "R. Mukhar" meets "Rose Mukhar" under "i:r|mukhar"; the full name files it under "f:", and
    # only "i:" × "f:" pairs are made (two full names never pair through their initials).
    prefix = "i" if any(len(word) == 1 for word in words) else "f"
    for one, two in itertools.permutations(words, 2):
        if len(two) > 1:
            keys.add(f"{prefix}:{one[0]}|{two}")
    rare = {f"w:{word}" for word in words if len(word) >= 4}
    return keys, rare


# -- people -------------------------------------------------------------------------------------


@dataclass
class PersonProfile:
    pk: int
    names: list
    emails: set = field(default_factory=set)
    phones: set = field(default_factory=set)
    organizations: set = field(default_factory=set)


def person_profiles(people):
    """What the matcher compares, for each person of ``people`` (a queryset), read with three queries."""
    profiles = {
        pk: PersonProfile(pk, [full_name, name_zh])
        for pk, full_name, name_zh in people.values_list("pk", "full_name", "name_zh").iterator(chunk_size=5000)
    }
    contacts = ContactMethod.objects.filter(
        person__in=people.values("pk"), kind__in=[ContactMethod.Kind.EMAIL, ContactMethod.Kind.PHONE]
    )
    for person_id, kind, value in contacts.values_list("person_id", "kind", "value").iterator(chunk_size=5000):
        if person_id in profiles:
            if kind == ContactMethod.Kind.EMAIL:
                profiles[person_id].emails.add(normalize_email(value))
            else:
                profiles[person_id].phones.add(re.sub(r"[^\d+]", "", value))
    affiliations = Affiliation.objects.filter(person__in=people.values("pk"))
    for person_id, organization_id in affiliations.values_list("person_id", "organization_id").iterator(5000):
        if person_id in profiles:
            profiles[person_id].organizations.add(organization_id)
    # An office's switchboard or shared mailbox, held by many, says nothing about who is who.
    holders = {}
    for profile in profiles.values():
        for value in profile.emails | profile.phones:
            holders[value] = holders.get(value, 0) + 1
    for profile in profiles.values():
        profile.emails = {value for value in profile.emails if holders[value] <= MAX_SHARED_CONTACT}
        profile.phones = {value for value in profile.phones if holders[value] <= MAX_SHARED_CONTACT}
    return profiles


def score_people(profile, other):
    """(score out of 100, reasons) for two people; 0 when nothing ties them."""
    points, reasons = 0, []
    name_points, name_reason = compare_names(profile.names, other.names)
    if name_points:
        points += name_points
        reasons.append(name_reason)
    for email in sorted(profile.emails & other.emails):
        points += 50
        reasons.append(gettext("same e-mail %(email)s") % {"email": email})
        break
    for phone in sorted(profile.phones & other.phones):
        points += 40
        reasons.append(gettext("same phone %(phone)s") % {"phone": phone})
        break
    if points and profile.organizations & other.organizations:
        points += 15
        reasons.append(gettext("same organization"))
    return min(points, 100), reasons


def _person_blocks(profiles):
    """Blocks of ids sharing a key, each with the size above which it is skipped."""
    exact, derived, rare_words, contacts = {}, {}, {}, {}
    for profile in profiles.values():
        keys, rare = set(), set()
        for name in profile.names:
            name_block_keys, name_rare_keys = name_keys(name)
            keys |= name_block_keys
            rare |= name_rare_keys
        for key in keys:
            (exact if key.startswith("n:") else derived).setdefault(key, []).append(profile.pk)
        for key in rare:
            rare_words.setdefault(key, []).append(profile.pk)
        for key in {f"e:{email}" for email in profile.emails} | {f"t:{phone}" for phone in profile.phones}:
            contacts.setdefault(key, []).append(profile.pk)
    return [
        (exact, MAX_BLOCK),
        (derived, MAX_NAME_BLOCK),
        (rare_words, MAX_WORD_BLOCK),
        (contacts, MAX_SHARED_CONTACT),
    ]


def _pairs_in_blocks(*block_sets):
    """Every pair of ids sharing a block (smaller id first), skipping blocks too common to mean anything.

    Keys starting "i:" (a name with initials) pair only with the same key under "f:" (full names).
    """
    pairs = set()
    for blocks, limit in block_sets:
        for key, ids in blocks.items():
            if key.startswith("f:"):
                continue
            if key.startswith("i:"):
                full = blocks.get(f"f:{key[2:]}", ())
                if len(full) <= limit:
                    pairs.update((min(a, b), max(a, b)) for a in ids for b in full if a != b)
                ids = ids if len(ids) <= limit else ()
            if 1 < len(ids) <= limit:
                pairs.update(itertools.combinations(sorted(set(ids)), 2))
    return pairs


def _similar_name_pairs(table, column):
    """On PostgreSQL: pairs of rows whose ``column`` values are similar (pg_trgm ``%``), by the trigram index.

    The comparison is on ``UPPER(column::text)``, the expression migration 0003 indexed, so
    each row probes the GIN index instead of comparing with every other row.
    """
    if connection.vendor != "postgresql":
        return set()
    sql = (
        f"SELECT a.id, b.id FROM {table} a JOIN {table} b "
        f"ON UPPER(a.{column}::text) % UPPER(b.{column}::text) AND a.id < b.id "
        f"WHERE a.{column} <> ''"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # Only for this transaction: how similar counts as similar for ``%``.
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(SIMILAR_NAMES)])
        cursor.execute(sql)
        return set(cursor.fetchall())


def _distinct_pairs(kind):
    return set(DistinctPair.objects.filter(kind=kind).values_list("first_id", "second_id"))


def person_duplicate_pairs(*, user, people=None, min_score=MIN_SCORE):
    """Possible duplicate people that ``user`` may see, most likely first, as ``DuplicatePair`` objects.

    ``people`` (default: everyone) narrows the search; sensitive people take part only when
    ``user`` may see them, and pairs marked "not a duplicate" are left out. The pairs carry ids
    only (``first``/``second`` are left empty): a page reads the records of the pairs it shows.
    """
    visible = Person.objects.visible_to(user)
    people = visible if people is None else visible.filter(pk__in=people.values("pk"))
    profiles = person_profiles(people)
    candidates = _pairs_in_blocks(*_person_blocks(profiles))
    similar = _similar_name_pairs("partners_person", "full_name")
    candidates |= {pair for pair in similar if set(pair) <= profiles.keys()}
    candidates -= _distinct_pairs(DistinctPair.Kind.PERSON)
    return _ranked(candidates, profiles, score_people, min_score)


def _ranked(candidates, profiles, scorer, min_score):
    pairs = []
    for first_id, second_id in candidates:
        score, reasons = scorer(profiles[first_id], profiles[second_id])
        if score >= min_score:
            pairs.append(DuplicatePair(first_id, second_id, score, reasons))
    pairs.sort(key=lambda pair: (-pair.score, pair.first_id, pair.second_id))
    return pairs


# -- organizations ------------------------------------------------------------------------------


@dataclass
class OrganizationProfile:
    pk: int
    names: list
    acronym: str = ""
    initials: set = field(default_factory=set)
    domain: str = ""


def organization_initials(name):
    """Acronyms a name may go by: initials of its words with and without the small words ("ovc", "ofvoc")."""
    words = name_words(name)
    if len(words) < 2:
        return set()
    significant = [word for word in words if word not in ORGANIZATION_STOPWORDS]
    return {"".join(word[0] for word in words), "".join(word[0] for word in significant)} - {""}


def website_domain(url):
    """The host of ``url`` without "www.", lower-cased; empty for none or for hosts many share."""
    if not url:
        return ""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").casefold()
    host = host.removeprefix("www.")
    return "" if host in SHARED_HOSTS or host.endswith(".github.io") else host


def organization_profiles(organizations):
    profiles = {}
    for pk, name, name_zh, acronym, website in organizations.values_list(
        "pk", "name", "name_zh", "acronym", "website"
    ).iterator(chunk_size=5000):
        profiles[pk] = OrganizationProfile(
            pk,
            [name, name_zh],
            acronym=NOT_WORD.sub("", acronym.casefold()),
            initials=organization_initials(name),
            domain=website_domain(website),
        )
    return profiles


def score_organizations(profile, other):
    """(score out of 100, reasons) for two organizations; 0 when nothing ties them."""
    points, reasons = 0, []
    name_points, name_reason = compare_names(profile.names, other.names)
    if name_points:
        points += name_points
        reasons.append(name_reason)
    for one, two in ((profile, other), (other, profile)):
        short = {one.acronym} | {normalize_name(name).replace(" ", "") for name in one.names if name}
        if short & two.initials:
            points += 50
            reasons.append(
                gettext("“%(short)s” is the acronym of “%(name)s”")
                % {"short": one.acronym.upper() or one.names[0], "name": two.names[0]}
            )
            break
    else:
        if profile.acronym and profile.acronym == other.acronym:
            points += 30
            reasons.append(gettext("same acronym %(acronym)s") % {"acronym": profile.acronym.upper()})
    if profile.domain and profile.domain == other.domain:
        points += 50
        reasons.append(gettext("same website domain %(domain)s") % {"domain": profile.domain})
    return min(points, 100), reasons


def organization_duplicate_pairs(*, organizations=None, min_score=MIN_SCORE):
    """Possible duplicate organizations, most likely first, as ``DuplicatePair`` objects (ids only).

    Organizations are not protected, so everyone allowed to merge sees every pair; pairs
    marked "not a duplicate" are left out.
    """
    organizations = organizations if organizations is not None else Organization.objects.all()
    profiles = organization_profiles(organizations)
    blocks, rare_blocks = {}, {}
    for profile in profiles.values():
        keys, rare = set(), set()
        for name in profile.names:
            name_block_keys, name_rare_keys = name_keys(name)
            keys |= name_block_keys
            rare |= name_rare_keys
            if name and not has_cjk(name):
                keys.add(f"a:{normalize_name(name).replace(' ', '')}")
        keys |= {f"a:{short}" for short in profile.initials | {profile.acronym} if short}
        if profile.domain:
            keys.add(f"d:{profile.domain}")
        for key in keys:
            blocks.setdefault(key, []).append(profile.pk)
        for key in rare:
            rare_blocks.setdefault(key, []).append(profile.pk)
    candidates = _pairs_in_blocks((blocks, MAX_NAME_BLOCK), (rare_blocks, MAX_WORD_BLOCK))
    similar = _similar_name_pairs("partners_organization", "name")
    candidates |= {pair for pair in similar if set(pair) <= profiles.keys()}
    candidates -= _distinct_pairs(DistinctPair.Kind.ORGANIZATION)
    return _ranked(candidates, profiles, score_organizations, min_score)


# -- the merge page's choices -------------------------------------------------------------------

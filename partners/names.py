"""Names and e-mail addresses reduced to what tells people apart: the keys the matcher and the finder compare.

Pure functions of text, no database: ``Person`` stores ``name_key`` of its names, the import's
matcher and the duplicate finder compare keys and normalized e-mails.
"""

import re
import unicodedata

COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "hon"})
APOSTROPHES = re.compile(r"['’‘`ʼ]")
NOT_WORD = re.compile(r"[\W_]+")
CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# Stored name keys are cut to this length (a key of a 200-character name rarely reaches it).
NAME_KEY_LENGTH = 300


def strip_accents(text):
    """``text`` in compatibility form without combining marks: "Mukhár" → "Mukhar", "ＡＢ" → "AB"."""
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))


def has_cjk(text):
    return CJK.search(text) is not None


def normalize_name(name):
    """A name reduced to what tells people apart, so "Mukhar, Rose", "ROSE  MUKHAR" and "Rose Mukhar" agree.

    Case, accents, punctuation, spacing and word order are ignored ("Dr." and similar honorifics
    too); a name in Chinese (or another CJK script) keeps its character order and loses its
    spaces and dots ("王 小明" = "王小明", "約翰·史密斯" = "約翰史密斯"). Empty for an empty name.
    """
    text = name or ""
    if not text.isascii():
        text = strip_accents(text)
    text = APOSTROPHES.sub("", text.casefold())
    if has_cjk(text):
        return NOT_WORD.sub("", text)
    words = NOT_WORD.sub(" ", text).split()
    kept = [word for word in words if word not in HONORIFICS]
    return " ".join(sorted(kept or words))


def name_key(name):
    """``normalize_name(name)`` as ``Person.name_key`` stores it (cut to ``NAME_KEY_LENGTH``); compare keys with it."""
    return normalize_name(name)[:NAME_KEY_LENGTH]


def normalize_email(value):
    return (value or "").strip().casefold()

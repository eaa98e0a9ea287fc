"""Text as staff type it and text as it is stored, folded to one form so that searches find both.

``fold`` is what every search compares (the finder, the person list's search, the stored
``Person.search_text``, the duplicate matcher's name keys for Chinese names):

- compatibility forms folded (NFKC): full-width Latin and digits (「ＵＳＣＩＳ」) become
  half-width, half-width katakana full-width, compatibility ideographs unified;
- case folded;
- Simplified Chinese converted to Traditional (OpenCC, ``s2t``), so 「移民救济」 finds 「移民救濟」;
- the variants Taiwan writes either way folded to one (臺/台, 裏/裡, 着/著, 峯/峰 …; see
  ``VARIANTS``), so 「台北」 and 「臺北」 agree;
- spaces next to a CJK character removed, so 「T簽證」 = 「T 簽證」 and 「王 小明」 = 「王小明」;
  spaces between Latin words are kept (one each).

A fold is idempotent: ``fold(fold(x)) == fold(x)``.
"""

import re
import unicodedata
from functools import lru_cache

import opencc

CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
HAS_CJK = re.compile(f"[{CJK}]")
SPACE_BY_CJK = re.compile(f"\\s+(?=[{CJK}])|(?<=[{CJK}])\\s+")
SPACES = re.compile(r"\s+")
# The shortest word a trigram index can serve: shorter words are found by reading the column.
TRIGRAM = 3
SHORT_LATIN = 3  # a Latin abbreviation typed beside Chinese belongs to it: 「T 簽證」, 「NGO 合作」
# Both forms are used in Taiwan (or OpenCC's Traditional output differs from Taiwan usage):
# each folds to one of them. Only characters whose both forms mean the same in names,
# organizations and expertise areas are listed.
VARIANTS = str.maketrans(
    {
        "臺": "台",
        "颱": "台",
        "檯": "台",
        "裏": "裡",
        "着": "著",
        "峯": "峰",
        "衆": "眾",
        "爲": "為",
        "僞": "偽",
        "啓": "啟",
        "羣": "群",
        "綫": "線",
        "麪": "麵",
        "衞": "衛",
        "説": "說",
        "銹": "鏽",
        "污": "汙",
        "踪": "蹤",
        "户": "戶",
        "敎": "教",
        "鷄": "雞",
        "牀": "床",
        "粧": "妝",
    }
)
_converter = opencc.OpenCC("s2t")


def has_cjk(text):
    return HAS_CJK.search(text or "") is not None


@lru_cache(maxsize=4096)
def fold(text):
    """``text`` in its search form (see the module's docstring). Empty for None or ""."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    if has_cjk(text):
        text = _converter.convert(text).translate(VARIANTS)
        text = SPACE_BY_CJK.sub("", text)
    return SPACES.sub(" ", text).strip()


def fold_cjk(text):
    """Only the Chinese half of ``fold``: Simplified to Traditional and Taiwan's variants, nothing else.

    For keys that normalise the rest themselves (``partners.models.normalize_name``).
    """
    if not has_cjk(text):
        return text
    return _converter.convert(text).translate(VARIANTS)


def search_text(*values):
    """The stored search form of several texts (e.g. a person's names): each folded, one a line, no repeats."""
    folded = []
    for value in values:
        value = fold(value)
        if value and value not in folded:
            folded.append(value)
    return "\n".join(folded)


def query_words(text):
    """The words of a typed query in search form, each to be found somewhere.

    Chinese typed with spaces is one term (「王 小明」 → 王小明), and so is a Latin
    abbreviation of up to three characters typed beside Chinese (「T 簽證」 → t簽證, as
    「T簽證」); a longer Latin word stays a word of its own (「簽證 Mukhar」 → 簽證, mukhar).
    """
    return join_words((text or "").split())


def join_words(tokens):
    """``query_words`` of a query already split into tokens (the person list's, whose quoted phrases are tokens)."""
    words = []
    for token in (fold(token) for token in tokens):
        if not token:
            continue
        if words and _joins(words[-1], token):
            words[-1] += token
        else:
            words.append(token)
    return words


def _joins(left, right):
    left_cjk, right_cjk = has_cjk(left[-1]), has_cjk(right[0])
    if left_cjk and right_cjk:
        return True
    if left_cjk:
        return len(right) <= SHORT_LATIN and not has_cjk(right)
    if right_cjk:
        return len(left) <= SHORT_LATIN and not has_cjk(left)
    return False


def variants(word):
    """Forms of a typed word to look for in text stored unfolded (organization names): as typed,
    folded, and with 台 and 臺 either way. Stored spaces next to CJK are not matched this way."""
    found = []
    for form in (word, fold(word), fold(word).replace("台", "臺")):
        if form and form not in found:
            found.append(form)
    return found

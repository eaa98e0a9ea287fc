"""Country names in the active language, built once per language.

django-countries translates and sorts its 250 names each time its list is copied or a
``Country`` is asked for its name: once a person list row or once a finder request.
"""

import functools

from django.utils.translation import get_language
from django_countries import countries


@functools.cache
def _choices_in(language):
    return [(code, str(name)) for code, name in countries]


@functools.cache
def _names_in(language):
    return dict(_choices_in(language))


def country_choices():
    """Every country as (code, name) in the active language, sorted as django-countries sorts them."""
    return _choices_in(get_language())


def country_name(code):
    """A country's name in the active language ("" for no country)."""
    return _names_in(get_language()).get(code, "") if code else ""

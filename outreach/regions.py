"""World regions of the UN M49 standard: continents and their sub-regions, each country in one.

The table is CLDR's ``territoryContainment`` (supplementalData.xml, based on UN M49): the
five continents and their 22 sub-regions; Antarctica and outlying Oceania belong to none.
Names are CLDR's English and Traditional Chinese (zh_Hant) names, kept in the translations.
"""

import functools

from django.utils.translation import gettext_lazy as _

CONTINENTS = {
    "019": _("Americas"),
    "002": _("Africa"),
    "150": _("Europe"),
    "142": _("Asia"),
    "009": _("Oceania"),
}

# sub-region code: (continent code, name, its countries)
SUB_REGIONS = {
    "021": ("019", _("Northern America"), "BM CA GL PM US"),
    "013": ("019", _("Central America"), "BZ CR GT HN MX NI PA SV"),
    "029": (
        "019",
        _("Caribbean"),
        "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI",
    ),
    "005": ("019", _("South America"), "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE"),
    "015": ("002", _("Northern Africa"), "DZ EG EH LY MA SD TN"),
    "011": ("002", _("Western Africa"), "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG"),
    "017": ("002", _("Middle Africa"), "AO CD CF CG CM GA GQ ST TD"),
    "014": ("002", _("Eastern Africa"), "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW"),
    "018": ("002", _("Southern Africa"), "BW LS NA SZ ZA"),
    "154": ("150", _("Northern Europe"), "GG IM JE AX DK EE FI FO GB IE IS LT LV NO SE SJ"),
    "155": ("150", _("Western Europe"), "AT BE CH DE FR LI LU MC NL"),
    "151": ("150", _("Eastern Europe"), "BG BY CZ HU MD PL RO RU SK UA"),
    "039": ("150", _("Southern Europe"), "AD AL BA ES GI GR HR IT ME MK MT RS PT SI SM VA"),
    "145": ("142", _("Western Asia"), "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE"),
    "143": ("142", _("Central Asia"), "TM TJ KG KZ UZ"),
    "030": ("142", _("Eastern Asia"), "CN HK JP KP KR MN MO TW"),
    "034": ("142", _("Southern Asia"), "AF BD BT IN IR LK MV NP PK"),
    "035": ("142", _("Southeast Asia"), "BN ID KH LA MM MY PH SG TH TL VN"),
    "053": ("009", _("Australia and New Zealand"), "AU CC CX HM NF NZ"),
    "054": ("009", _("Melanesia"), "FJ NC PG SB VU"),
    "057": ("009", _("Micronesia"), "FM GU KI MH MP NR PW UM"),
    "061": ("009", _("Polynesia"), "AS CK NU PF PN TK TO TV WF WS"),
}


@functools.cache
def sub_region_of():
    """``{country code: sub-region code}`` for every country in a sub-region."""
    return {
        country: code for code, (_continent, _name, countries) in SUB_REGIONS.items() for country in countries.split()
    }


def people_by_region(country_counts):
    """``(continent name, sub-region name, count)`` from ``{country code: count}``: every sub-region
    holding someone, by continent (in ``CONTINENTS``' order) and then the largest first; then one
    row ``("", "", count)`` for people with no country or one in no region (Antarctica)."""
    regions = sub_region_of()
    counts, rest = {}, 0
    for country, count in country_counts.items():
        code = regions.get(country)
        if code is None:
            rest += count
        else:
            counts[code] = counts.get(code, 0) + count
    order = list(CONTINENTS)
    ranked = sorted(counts.items(), key=lambda item: (order.index(SUB_REGIONS[item[0]][0]), -item[1], item[0]))
    rows = [(CONTINENTS[SUB_REGIONS[code][0]], SUB_REGIONS[code][1], count) for code, count in ranked]
    return rows + ([("", "", rest)] if rest else [])

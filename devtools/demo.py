"""Invented demo data at any size: realistic, reproducible, bulk-inserted.

Every person, organization and event written here is made up (names from
Faker's en_US, zh_TW and a few other locales, e-mail addresses on example.*
domains, phone numbers cut from libphonenumber's example numbers) and marked so
it is recognisable and removable:

- ``Person.source``, ``Organization.notes`` and ``Event.description`` start
  with ``DEMO_MARK`` ("demo data (generate_demo_data seed S)");
- generated expertise areas have codes starting with ``demo-``.

The same seed gives the same data (names, contact details, links, UUIDs) on
any database. Rows are bulk-inserted in batches without per-row history
(simple-history only records ``save()``), so 100,000 people take a minute or
two on SQLite.
"""

import dataclasses
import datetime as dt
import json
import random
import re
import unicodedata
import uuid
import zoneinfo

import phonenumbers
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django_countries import countries
from django_countries.fields import CountryField

from conference.models import Appearance, Attendance, Candidacy, Event, Session
from partners.models import (
    Affiliation,
    ContactMethod,
    ExpertiseArea,
    Language,
    Organization,
    Person,
    PersonExpertise,
)

DEMO_MARK = "demo data (generate_demo_data"
AREA_CODE_PREFIX = "demo-"
TAXONOMY_SIZE = 2000
PEOPLE_PER_CHUNK = 2000


def demo_source(seed):
    """The mark written on every demo person, organization and event."""
    return f"{DEMO_MARK} seed {seed})"


def demo_sizes(people):
    """How many organizations, conferences and workshops go with ``people`` people."""
    return {
        "organizations": max(40, people // 20),
        "conferences": max(2, people // 250),
        "workshops": max(2, people // 5000),
    }


def demo_people():
    """Demo people (``Person.source`` carries the demo mark)."""
    return Person.objects.filter(source__startswith=DEMO_MARK)


def real_data_counts():
    """How many people, organizations and events are *not* demo data."""
    return {
        "people": Person.objects.exclude(source__startswith=DEMO_MARK).count(),
        "organizations": Organization.objects.exclude(notes__startswith=DEMO_MARK).count(),
        "events": Event.objects.exclude(description__startswith=DEMO_MARK).count(),
    }


@transaction.atomic
def delete_demo_data():
    """Remove every demo row (and links from other rows to demo rows); return the people removed.

    Uses raw deletes in dependency order, so it takes seconds even for 100,000
    people. The expertise taxonomy loaded from the seed fixture stays.
    """
    people = Person.objects.filter(source__startswith=DEMO_MARK)
    organizations = Organization.objects.filter(notes__startswith=DEMO_MARK)
    events = Event.objects.filter(description__startswith=DEMO_MARK)
    areas = ExpertiseArea.objects.filter(code__startswith=AREA_CODE_PREFIX)
    removed = people.count()

    def wipe(queryset):
        queryset._raw_delete(queryset.db)

    if not any(real_data_counts().values()):
        # Only demo data: empty the tables outright (minutes faster than matching 1M rows).
        for model in (
            Candidacy,
            PersonExpertise,
            Appearance,
            Attendance,
            Session.topics.through,
            Session,
            Event.themes.through,
            Event,
            ContactMethod,
            Affiliation,
            Person.languages.through,
            Person,
            Organization.focus_areas.through,
            Organization,
        ):
            wipe(model._base_manager.all())
        if areas.exists():
            wipe(areas)
            fix_numchild()
        return removed

    wipe(Candidacy.objects.filter(Q(person__in=people) | Q(workshop__in=events)))
    wipe(
        PersonExpertise.objects.filter(
            Q(person__in=people) | Q(area__in=areas) | Q(appearance__session__event__in=events)
        )
    )
    wipe(
        Appearance.objects.filter(
            Q(person__in=people) | Q(organization__in=organizations) | Q(session__event__in=events)
        )
    )
    wipe(Attendance.objects.filter(event__in=events))
    wipe(Session.topics.through.objects.filter(Q(session__event__in=events) | Q(expertisearea__in=areas)))
    wipe(Session.objects.filter(event__in=events))
    wipe(Event.themes.through.objects.filter(Q(event__in=events) | Q(expertisearea__in=areas)))
    Event.objects.filter(organizer__in=organizations).exclude(pk__in=events).update(organizer=None)
    wipe(events)
    wipe(ContactMethod.objects.filter(person__in=people))
    wipe(Affiliation.objects.filter(Q(person__in=people) | Q(organization__in=organizations)))
    wipe(Person.languages.through.objects.filter(person__in=people))
    wipe(people)
    wipe(
        Organization.focus_areas.through.objects.filter(Q(organization__in=organizations) | Q(expertisearea__in=areas))
    )
    Organization.objects.filter(parent__in=organizations).exclude(notes__startswith=DEMO_MARK).update(parent=None)
    wipe(organizations)
    if areas.exists():
        wipe(areas)
        fix_numchild()
    return removed


def analyze():
    """Refresh the planner's statistics after a bulk load, as autovacuum would later.

    On PostgreSQL outside a transaction also VACUUM, which sets the visibility map, so counts
    and index-only scans need not visit every row.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def fix_numchild():
    """Recount treebeard's ``numchild`` after areas were removed or added in bulk."""
    nodes = list(ExpertiseArea.objects.only("pk", "path", "depth", "numchild"))
    counts = {}
    for node in nodes:
        if node.depth > 1:
            parent_path = node.path[: -ExpertiseArea.steplen]
            counts[parent_path] = counts.get(parent_path, 0) + 1
    changed = []
    for node in nodes:
        if node.numchild != counts.get(node.path, 0):
            node.numchild = counts.get(node.path, 0)
            changed.append(node)
    ExpertiseArea.objects.bulk_update(changed, ["numchild"], batch_size=500)


@dataclasses.dataclass
class PersonPlan:
    person: Person
    affiliations: list = dataclasses.field(default_factory=list)
    contacts: list = dataclasses.field(default_factory=list)
    languages: list = dataclasses.field(default_factory=list)
    appearances: list = dataclasses.field(default_factory=list)
    areas: list = dataclasses.field(default_factory=list)
    expertise: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class DemoSummary:
    seed: int
    areas: int = 0
    organizations: int = 0
    people: int = 0
    affiliations: int = 0
    contact_methods: int = 0
    person_languages: int = 0
    expertise_links: int = 0
    events: int = 0
    sessions: int = 0
    appearances: int = 0
    workshops: int = 0
    candidacies: int = 0

    def as_dict(self):
        return dataclasses.asdict(self)


@transaction.atomic
def generate_demo_data(*, people, seed=1, progress=None, taxonomy_size=TAXONOMY_SIZE):
    """Replace any demo data with ``people`` invented people and everything around them.

    ``progress`` is called with the number of people just written (for a
    progress bar). Returns a ``DemoSummary`` of what was written. Does not check
    for real data: the command does, before calling this.
    """
    delete_demo_data()
    builder = DemoBuilder(seed=seed, progress=progress)
    summary = builder.build(people=people, taxonomy_size=taxonomy_size)
    builder.writer.finish()
    return summary


# --- reference tables (invented combinations of real places and common words) ---

BASE_TAXONOMY = [
    (
        ("Prevention", "預防"),
        [
            ("Public awareness", "公眾意識提升"),
            ("Education and school programmes", "教育及校園宣導"),
            ("Demand reduction", "需求端減少"),
            ("Community outreach", "社區外展"),
            ("Safe migration", "安全移民"),
            ("Risk screening", "風險篩檢"),
        ],
    ),
    (
        ("Protection", "保護"),
        [
            ("Victim services", "被害人服務"),
            ("Trauma-informed practice", "創傷知情實務"),
            ("Victim-centred approach", "以被害人為中心"),
            ("Cultural humility", "文化謙遜"),
            ("Shelter and case management", "庇護與個案管理"),
            ("Survivor economic empowerment", "倖存者經濟培力"),
            ("Survivor technology training", "倖存者科技培訓"),
            ("Victim identification", "被害人鑑別"),
        ],
    ),
    (
        ("Prosecution and investigation", "起訴與偵查"),
        [
            ("Law enforcement", "執法"),
            ("Prosecution", "起訴"),
            ("Financial investigation", "金融調查"),
            ("Digital forensics", "數位鑑識"),
            ("Online exploitation", "網路剝削"),
            ("Supply-chain forced labour", "供應鏈強迫勞動"),
            ("Asset forfeiture", "資產沒收"),
        ],
    ),
    (
        ("Partnership", "夥伴關係"),
        [
            ("Public-private partnership", "公私協力"),
            ("International cooperation", "國際合作"),
            ("Multidisciplinary task forces", "跨專業工作小組"),
            ("Survivor leadership", "倖存者領導"),
            ("NGO-government coordination", "民間與政府協調"),
        ],
    ),
    (
        ("Legal and immigration relief", "法律與移民救濟"),
        [
            ("T visa", "T 簽證"),
            ("U visa", "U 簽證"),
            ("Continued Presence", "持續居留許可"),
            ("Crime victims' rights", "犯罪被害人權利"),
            ("Criminal record relief", "犯罪紀錄救濟"),
            ("Repatriation and reintegration", "遣返與重返社會"),
            ("Civil remedies and restitution", "民事救濟與賠償"),
        ],
    ),
    (
        ("Labour trafficking", "勞力剝削"),
        [
            ("Fisheries and seafood", "漁業及海產"),
            ("Domestic work", "家事勞動"),
            ("Agriculture", "農業"),
            ("Construction", "營造業"),
            ("Recruitment fees and debt bondage", "仲介費與債務奴役"),
            ("Manufacturing", "製造業"),
        ],
    ),
    (
        ("Sex trafficking and commercial sexual exploitation", "性販運與商業性剝削"),
        [
            ("Commercial sexual exploitation of children", "兒少商業性剝削"),
            ("Online sexual exploitation", "網路性剝削"),
            ("Illicit massage businesses", "非法按摩業"),
            ("Exit services", "離開性產業服務"),
            ("Demand and buyers", "需求端與買方"),
        ],
    ),
    (
        ("Youth", "兒少"),
        [
            ("Runaway and homeless youth", "逃家及無家兒少"),
            ("Child welfare system", "兒童福利體系"),
            ("Juvenile justice", "少年司法"),
            ("Foster care", "寄養照顧"),
        ],
    ),
    (
        ("Disability", "身心障礙"),
        [
            ("Accessible services", "服務無障礙"),
            ("Intellectual disability", "智能障礙"),
            ("Deaf and hard of hearing", "聾及聽障"),
        ],
    ),
    (
        ("Racial equity", "種族平等"),
        [
            ("Anti-racism in services", "服務中的反種族歧視"),
            ("Indigenous communities", "原住民族社群"),
            ("Language access", "語言近用"),
        ],
    ),
    (
        ("Data and research", "資料與研究"),
        [
            ("Prevalence estimation", "盛行率推估"),
            ("Programme evaluation", "方案評估"),
            ("Data sharing and privacy", "資料分享與隱私"),
            ("Survivor-informed research", "倖存者參與研究"),
        ],
    ),
    (
        ("Policy and funding", "政策與經費"),
        [
            ("Legislation", "立法"),
            ("Grants and funding", "經費與補助"),
            ("National action plans", "國家行動計畫"),
            ("Corporate due diligence", "企業盡職調查"),
        ],
    ),
    (
        ("Digital technology", "數位科技"),
        [
            ("Online recruitment", "網路招募"),
            ("Platform safety", "平台安全"),
            ("Artificial intelligence and analytics", "人工智慧與分析"),
            ("Cryptocurrency tracing", "加密貨幣追蹤"),
            ("Open-source intelligence", "公開來源情報"),
            ("Technology-facilitated abuse", "科技助長的暴力"),
        ],
    ),
]

POPULATIONS = [
    ("children and youth", "兒童及少年"),
    ("women and girls", "婦女及女童"),
    ("men and boys", "男性及男童"),
    ("migrant workers", "移工"),
    ("LGBTQ+ people", "多元性別者"),
    ("indigenous peoples", "原住民族"),
    ("people with disabilities", "身心障礙者"),
    ("refugees and asylum seekers", "難民及尋求庇護者"),
    ("domestic workers", "家事移工"),
    ("fishers", "漁工"),
    ("students", "學生"),
    ("older people", "高齡者"),
]

REGIONS = [
    ("Southeast Asia", "東南亞"),
    ("East Asia", "東亞"),
    ("South Asia", "南亞"),
    ("Pacific Islands", "太平洋島國"),
    ("North America", "北美洲"),
    ("Latin America and the Caribbean", "拉丁美洲及加勒比海"),
    ("Europe", "歐洲"),
    ("Africa", "非洲"),
    ("Middle East", "中東"),
    ("Oceania", "大洋洲"),
]

# (city, Chinese name, country, time zone)
CITIES = [
    ("New York", "紐約", "US", "America/New_York"),
    ("Washington", "華盛頓", "US", "America/New_York"),
    ("Miami", "邁阿密", "US", "America/New_York"),
    ("Atlanta", "亞特蘭大", "US", "America/New_York"),
    ("Chicago", "芝加哥", "US", "America/Chicago"),
    ("Houston", "休士頓", "US", "America/Chicago"),
    ("Los Angeles", "洛杉磯", "US", "America/Los_Angeles"),
    ("San Francisco", "舊金山", "US", "America/Los_Angeles"),
    ("Seattle", "西雅圖", "US", "America/Los_Angeles"),
    ("Toronto", "多倫多", "CA", "America/Toronto"),
    ("Vancouver", "溫哥華", "CA", "America/Vancouver"),
    ("London", "倫敦", "GB", "Europe/London"),
    ("Manchester", "曼徹斯特", "GB", "Europe/London"),
    ("Paris", "巴黎", "FR", "Europe/Paris"),
    ("Lyon", "里昂", "FR", "Europe/Paris"),
    ("Berlin", "柏林", "DE", "Europe/Berlin"),
    ("Vienna", "維也納", "AT", "Europe/Vienna"),
    ("Geneva", "日內瓦", "CH", "Europe/Zurich"),
    ("The Hague", "海牙", "NL", "Europe/Amsterdam"),
    ("Madrid", "馬德里", "ES", "Europe/Madrid"),
    ("Mexico City", "墨西哥城", "MX", "America/Mexico_City"),
    ("Bogotá", "波哥大", "CO", "America/Bogota"),
    ("Buenos Aires", "布宜諾斯艾利斯", "AR", "America/Argentina/Buenos_Aires"),
    ("Taipei", "臺北", "TW", "Asia/Taipei"),
    ("Kaohsiung", "高雄", "TW", "Asia/Taipei"),
    ("Taichung", "臺中", "TW", "Asia/Taipei"),
    ("Hong Kong", "香港", "HK", "Asia/Hong_Kong"),
    ("Singapore", "新加坡", "SG", "Asia/Singapore"),
    ("Kuala Lumpur", "吉隆坡", "MY", "Asia/Kuala_Lumpur"),
    ("Manila", "馬尼拉", "PH", "Asia/Manila"),
    ("Cebu", "宿霧", "PH", "Asia/Manila"),
    ("Bangkok", "曼谷", "TH", "Asia/Bangkok"),
    ("Chiang Mai", "清邁", "TH", "Asia/Bangkok"),
    ("Hanoi", "河內", "VN", "Asia/Ho_Chi_Minh"),
    ("Ho Chi Minh City", "胡志明市", "VN", "Asia/Ho_Chi_Minh"),
    ("Jakarta", "雅加達", "ID", "Asia/Jakarta"),
    ("Surabaya", "泗水", "ID", "Asia/Jakarta"),
    ("Tokyo", "東京", "JP", "Asia/Tokyo"),
    ("Osaka", "大阪", "JP", "Asia/Tokyo"),
    ("Seoul", "首爾", "KR", "Asia/Seoul"),
    ("Phnom Penh", "金邊", "KH", "Asia/Phnom_Penh"),
    ("Yangon", "仰光", "MM", "Asia/Yangon"),
    ("Kathmandu", "加德滿都", "NP", "Asia/Kathmandu"),
    ("Dhaka", "達卡", "BD", "Asia/Dhaka"),
    ("New Delhi", "新德里", "IN", "Asia/Kolkata"),
    ("Sydney", "雪梨", "AU", "Australia/Sydney"),
    ("Melbourne", "墨爾本", "AU", "Australia/Melbourne"),
    ("Nairobi", "奈洛比", "KE", "Africa/Nairobi"),
    ("Lagos", "拉哥斯", "NG", "Africa/Lagos"),
    ("Dubai", "杜拜", "AE", "Asia/Dubai"),
]

# country: (weight among people, name style, languages spoken besides English)
COUNTRIES = {
    "US": (22, "en_US", ["es"]),
    "TW": (12, "zh", ["zh", "nan", "hak"]),
    "PH": (6, "en_PH", ["fil", "tl"]),
    "TH": (5, "mixed", ["th"]),
    "VN": (5, "vi_VN", ["vi"]),
    "ID": (5, "id_ID", ["id", "ms"]),
    "MY": (3, "zh", ["ms", "zh", "yue"]),
    "JP": (3, "ja_JP", ["ja"]),
    "KR": (2, "mixed", ["ko"]),
    "HK": (2, "zh", ["yue", "zh"]),
    "SG": (2, "zh", ["zh", "ms", "ta"]),
    "GB": (4, "en_GB", ["fr"]),
    "CA": (3, "en_US", ["fr"]),
    "AU": (3, "en_US", []),
    "FR": (2, "fr_FR", ["fr"]),
    "DE": (2, "de_DE", ["de"]),
    "NL": (1, "nl_NL", ["nl", "de"]),
    "AT": (1, "de_DE", ["de"]),
    "CH": (1, "de_DE", ["de", "fr", "it"]),
    "ES": (1, "es_MX", ["es"]),
    "MX": (3, "es_MX", ["es"]),
    "CO": (1, "es_MX", ["es"]),
    "AR": (1, "es_MX", ["es"]),
    "IN": (3, "en_IN", ["hi"]),
    "NP": (1, "en_IN", ["ne", "hi"]),
    "BD": (1, "en_IN", ["bn"]),
    "KH": (1, "mixed", ["km"]),
    "MM": (1, "mixed", ["my"]),
    "KE": (1, "mixed", ["sw"]),
    "NG": (1, "mixed", []),
    "AE": (1, "mixed", ["ar"]),
}

FAKER_LOCALES = ["en_US", "en_GB", "en_PH", "en_IN", "es_MX", "fr_FR", "de_DE", "nl_NL", "id_ID", "vi_VN"]

ZH_SURNAMES = [
    ("陳", "Chen"), ("林", "Lin"), ("黃", "Huang"), ("張", "Chang"), ("李", "Lee"), ("王", "Wang"),
    ("吳", "Wu"), ("劉", "Liu"), ("蔡", "Tsai"), ("楊", "Yang"), ("許", "Hsu"), ("鄭", "Cheng"),
    ("謝", "Hsieh"), ("郭", "Kuo"), ("洪", "Hung"), ("曾", "Tseng"), ("邱", "Chiu"), ("廖", "Liao"),
    ("賴", "Lai"), ("周", "Chou"), ("蘇", "Su"), ("葉", "Yeh"), ("莊", "Chuang"), ("呂", "Lu"),
    ("江", "Chiang"), ("何", "Ho"), ("蕭", "Hsiao"), ("羅", "Lo"), ("高", "Kao"), ("潘", "Pan"),
    ("簡", "Chien"), ("朱", "Chu"), ("鍾", "Chung"), ("彭", "Peng"), ("游", "Yu"), ("詹", "Chan"),
    ("胡", "Hu"), ("施", "Shih"), ("沈", "Shen"), ("余", "Yu"),
]  # fmt: skip
ZH_GIVEN = {
    "female": [
        ("美", "Mei"), ("玲", "Ling"), ("婷", "Ting"), ("雅", "Ya"), ("怡", "Yi"), ("淑", "Shu"), ("惠", "Hui"),
        ("芳", "Fang"), ("華", "Hua"), ("君", "Chun"), ("佩", "Pei"), ("珊", "Shan"), ("欣", "Hsin"),
        ("蓉", "Jung"), ("慧", "Hui"), ("安", "An"), ("宇", "Yu"), ("庭", "Ting"), ("嘉", "Chia"),
    ],
    "male": [
        ("志", "Chih"), ("明", "Ming"), ("偉", "Wei"), ("俊", "Chun"), ("宏", "Hung"), ("建", "Chien"),
        ("文", "Wen"), ("傑", "Chieh"), ("豪", "Hao"), ("哲", "Che"), ("家", "Chia"), ("冠", "Kuan"),
        ("承", "Cheng"), ("彥", "Yen"), ("翔", "Hsiang"), ("信", "Hsin"), ("安", "An"), ("宇", "Yu"),
    ],
}  # fmt: skip

# Chinese characters commonly used to transliterate foreign names, by consonant and vowel.
TRANSLIT = {
    "": "阿艾伊奧烏", "b": "巴貝比波布", "c": "卡塞西科庫", "d": "達德迪多杜", "f": "法費菲福富",
    "g": "加蓋吉戈古", "h": "哈赫希霍胡", "j": "賈傑吉喬朱", "k": "卡凱基科庫", "l": "拉勒利洛盧",
    "m": "馬梅米莫穆", "n": "納內尼諾努", "p": "帕佩皮波普", "q": "卡凱奎科庫", "r": "拉雷里羅魯",
    "s": "薩塞西索蘇", "t": "塔特蒂托圖", "v": "瓦維維沃武", "w": "瓦韋威沃伍", "x": "薩塞西索蘇",
    "y": "亞葉伊約尤", "z": "扎澤齊佐祖",
}  # fmt: skip
TRANSLIT_FINAL = {
    "s": "斯", "t": "特", "d": "德", "k": "克", "c": "克", "n": "恩", "m": "姆", "r": "爾", "l": "爾",
    "g": "格", "p": "普", "b": "布", "f": "夫", "x": "克斯", "z": "茲", "v": "夫",
}  # fmt: skip

TITLES = [
    ("Director", "主任"), ("Executive Director", "執行長"), ("Deputy Director", "副主任"),
    ("Program Manager", "專案經理"), ("Senior Attorney", "資深律師"), ("Staff Attorney", "律師"),
    ("Special Agent", "特別探員"), ("Prosecutor", "檢察官"), ("Case Manager", "個案管理師"),
    ("Policy Advisor", "政策顧問"), ("Researcher", "研究員"), ("Professor", "教授"),
    ("Associate Professor", "副教授"), ("Social Worker", "社工師"), ("Investigator", "調查員"),
    ("Legal Counsel", "法律顧問"), ("Coordinator", "協調員"), ("Analyst", "分析師"), ("Trainer", "講師"),
    ("Survivor Advocate", "倖存者倡議者"), ("Founder", "創辦人"), ("Chief of Section", "科長"),
]  # fmt: skip

GOVERNMENT_BODIES = [
    ("Ministry of Justice", "法務部", "MOJ"),
    ("Ministry of Labour", "勞動部", "MOL"),
    ("Ministry of the Interior", "內政部", "MOI"),
    ("Ministry of Foreign Affairs", "外交部", "MOFA"),
    ("Ministry of Health and Welfare", "衛生福利部", "MOHW"),
    ("National Police Agency", "警政署", "NPA"),
    ("National Immigration Agency", "移民署", "NIA"),
    ("Office of the Prosecutor General", "最高檢察署", "OPG"),
    ("Coast Guard Administration", "海洋委員會海巡署", "CGA"),
    ("Ministry of Social Development", "社會發展部", "MSD"),
]
GOVERNMENT_UNITS = [
    ("Anti-Trafficking Unit", "防制人口販運小組"),
    ("Office for Victims of Crime", "犯罪被害人辦公室"),
    ("Bureau of Investigation", "調查局"),
    ("Victim Services Division", "被害人服務科"),
    ("Labour Inspection Department", "勞動檢查處"),
    ("Child Protection Bureau", "兒童保護局"),
    ("Cybercrime Division", "網路犯罪科"),
    ("Border Management Division", "國境管理組"),
    ("Legal Affairs Department", "法律事務處"),
]
INTERNATIONAL_BODIES = [
    ("International Organization for Migration", "國際移民組織", "IOM", "CH"),
    ("United Nations Office on Drugs and Crime", "聯合國毒品和犯罪問題辦公室", "UNODC", "AT"),
    ("International Labour Organization", "國際勞工組織", "ILO", "CH"),
    ("United Nations Children's Fund", "聯合國兒童基金會", "UNICEF", "US"),
    ("United Nations High Commissioner for Refugees", "聯合國難民署", "UNHCR", "CH"),
    ("Organization for Security and Co-operation in Europe", "歐洲安全與合作組織", "OSCE", "AT"),
    ("International Criminal Police Organization", "國際刑警組織", "INTERPOL", "FR"),
    ("Association of Southeast Asian Nations", "東南亞國家協會", "ASEAN", "ID"),
]
CITY_ORGANIZATIONS = {
    "ngo": [
        ("{city} Coalition Against Trafficking", "{city_zh}反人口販運聯盟"),
        ("{city} Migrant Workers Centre", "{city_zh}移工中心"),
        ("{city} Survivor Support Network", "{city_zh}倖存者支持網絡"),
        ("{city} Women's Shelter", "{city_zh}婦女庇護中心"),
        ("{city} Youth Outreach", "{city_zh}青少年外展協會"),
        ("{city} Anti-Slavery Alliance", "{city_zh}反奴役聯盟"),
        ("{city} Refugee and Migrant Services", "{city_zh}難民與移民服務中心"),
        ("{city} Community Health Project", "{city_zh}社區健康計畫"),
    ],
    "legal_aid": [
        ("{city} Legal Aid Society", "{city_zh}法律扶助協會"),
        ("{city} Immigrant Legal Resource Center", "{city_zh}移民法律資源中心"),
        ("{city} Survivors' Legal Clinic", "{city_zh}倖存者法律診所"),
    ],
    "academic": [
        ("University of {city} Center for Human Rights", "{city_zh}大學人權中心"),
        ("{city} Institute of Criminology", "{city_zh}犯罪學研究所"),
        ("{city} School of Social Work", "{city_zh}社會工作學院"),
    ],
    "network": [
        ("{city} Anti-Trafficking Task Force", "{city_zh}防制人口販運工作小組"),
        ("{city} Regional Referral Network", "{city_zh}區域轉介網絡"),
    ],
}
FAMILY_ORGANIZATIONS = {
    "ngo": [("{surname} Family Foundation", "{surname_zh}家族基金會"), ("{surname} Trust", "{surname_zh}信託")],
    "academic": [("{surname} School of Public Policy", "{surname_zh}公共政策學院")],
    "legal_aid": [("{surname} Pro Bono Project", "{surname_zh}公益法律計畫")],
    "network": [("{surname} Alliance for Fair Recruitment", "{surname_zh}公平招募聯盟")],
}
ORGANIZATION_KINDS = [
    ("government", 24),
    ("ngo", 34),
    ("international", 5),
    ("legal_aid", 10),
    ("academic", 12),
    ("private", 11),
    ("network", 4),
]
CONFERENCES = [
    ("{city} Conference on Human Trafficking", "{city_zh}人口販運研討會"),
    ("International Forum on Forced Labour", "強迫勞動國際論壇"),
    ("Annual Summit on Victim Services", "被害人服務年度高峰會"),
    ("Regional Dialogue on Safe Migration", "安全移民區域對話"),
    ("Symposium on Technology and Exploitation", "科技與剝削研討會"),
    ("Anti-Trafficking Practitioners' Meeting", "防制人口販運實務工作者會議"),
]
SESSION_KINDS = [
    (Session.Kind.BREAKOUT, "Breakout", "分組"),
    (Session.Kind.PANEL, "Panel", "座談"),
    (Session.Kind.ROUND_TABLE, "Round table", "圓桌"),
    (Session.Kind.WORKSHOP, "Workshop", "工作坊"),
]
REASONS = {
    Candidacy.Suitability.SUITABLE: "Has spoken on the workshop's themes; recommended by the desk officer.",
    Candidacy.Suitability.POSSIBLE: "Related expertise; worth a call before inviting.",
    Candidacy.Suitability.NOT_SUITABLE: "Expertise lies outside the workshop's themes.",
    Candidacy.Suitability.NOT_ASSESSED: "",
}
STATUSES = {
    Candidacy.Suitability.SUITABLE: [
        Candidacy.Status.SHORTLISTED,
        Candidacy.Status.INVITED,
        Candidacy.Status.CONFIRMED,
        Candidacy.Status.DECLINED,
    ],
    Candidacy.Suitability.POSSIBLE: [Candidacy.Status.IDENTIFIED, Candidacy.Status.SHORTLISTED],
    Candidacy.Suitability.NOT_SUITABLE: [Candidacy.Status.IDENTIFIED, Candidacy.Status.WITHDRAWN],
    Candidacy.Suitability.NOT_ASSESSED: [Candidacy.Status.IDENTIFIED],
}


def transliterate(name):
    """A rough Chinese transliteration of a Latin-script name ("Christopher" → "克里斯托佩")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    characters = []
    for consonants, vowels, final in re.findall(r"([^aeiouy\W\d]*)([aeiouy]*)([^aeiouy\W\d]*$)?", plain):
        if not consonants and not vowels:
            continue
        if len(consonants) > 1 and consonants.endswith("h"):
            consonants = consonants[:-1]  # ch, ph, sh, th: one sound
        leading, onset = consonants[:-1], consonants[-1:]
        characters.extend(TRANSLIT_FINAL[c] for c in leading if c in TRANSLIT_FINAL)
        if vowels:
            row = TRANSLIT.get(onset, TRANSLIT[""])
            characters.append(row["aeiou".index(vowels[0]) if vowels[0] in "aeiou" else 2])
        elif onset in TRANSLIT_FINAL:
            characters.append(TRANSLIT_FINAL[onset])
        if final and final[0] in TRANSLIT_FINAL:
            characters.append(TRANSLIT_FINAL[final[0]])
    return "".join(characters[:5])


def ascii_slug(text):
    return slugify(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()) or "x"


class BulkWriter:
    """Inserts model instances fast: ids assigned here, then COPY (PostgreSQL) or executemany (others).

    ``bulk_create`` spends most of its time compiling SQL and preparing each
    value through the field; demo data needs none of that. Values are adapted
    per column type once; ``auto_now``/``auto_now_add`` fields get one
    timestamp; sequences are reset at the end (``finish``).
    """

    batch_size = 5000

    def __init__(self, using=DEFAULT_DB_ALIAS):
        self.connection = connections[using]
        self.next_ids = {}
        self.now = timezone.now()

    def insert(self, objects):
        if not objects:
            return
        model = type(objects[0])
        meta = model._meta
        if model not in self.next_ids:
            self.next_ids[model] = (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        for obj in objects:
            if obj.pk is None:
                obj.pk = self.next_ids[model]
                self.next_ids[model] += 1
            else:
                self.next_ids[model] = max(self.next_ids[model], obj.pk + 1)
            obj._state.adding = False
        fields = meta.concrete_fields
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                for obj in objects:
                    setattr(obj, field.attname, self.now)
        columns = [(field.attname, self.adapter(field)) for field in fields]
        rows = [tuple(adapt(obj.__dict__[name]) for name, adapt in columns) for obj in objects]
        quote = self.connection.ops.quote_name
        column_list = ", ".join(quote(field.column) for field in fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {quote(meta.db_table)} ({column_list}) VALUES ({placeholders})"
                for start in range(0, len(rows), self.batch_size):
                    cursor.executemany(sql, rows[start : start + self.batch_size])

    def adapter(self, field):
        connection = self.connection
        if isinstance(field, CountryField):
            return lambda value: str(value or "")
        if self.connection.vendor == "postgresql" or isinstance(
            field, models.CharField | models.TextField | models.BooleanField | models.IntegerField | models.ForeignKey
        ):
            return lambda value: value
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return connection.ops.adapt_datefield_value
        return lambda value: field.get_db_prep_save(value, connection)

    def finish(self):
        """Move PostgreSQL's id sequences past the ids assigned here."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class DemoBuilder:
    """Builds one demo data set; every random choice comes from one seeded generator."""

    def __init__(self, *, seed, progress=None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress or (lambda count: None)
        self.writer = BulkWriter()
        self.mark = demo_source(seed)
        self.summary = DemoSummary(seed=seed)
        self.today = dt.date(2025, 6, 30)
        self.names = self.name_pools()
        self.language_codes = set(Language.objects.values_list("code", flat=True))
        with translation.override("zh-hant"):
            self.country_zh = {code: str(countries.name(code)) for code in COUNTRIES}
        self.country_codes = list(COUNTRIES)
        self.country_weights = [COUNTRIES[code][0] for code in self.country_codes]
        self.used_emails = set()

    # --- helpers ---

    def new_uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def name_pools(self):
        """First and last names per Faker locale, drawn once with the seed (Faker per row is slow)."""
        from faker import Faker

        pools = {}
        for locale in [*FAKER_LOCALES, "ja_JP", "zh_TW"]:
            fake = Faker(locale)
            fake.seed_instance(self.seed)
            if locale == "ja_JP":
                pools[locale] = {
                    "female": sorted({fake.first_name_female_pair() for _ in range(300)}),
                    "male": sorted({fake.first_name_male_pair() for _ in range(300)}),
                    "last": sorted({fake.last_name_pair() for _ in range(300)}),
                }
            elif locale == "zh_TW":
                pools[locale] = {
                    "company": sorted({fake.company() for _ in range(400)}),
                    "staff": sorted({fake.name() for _ in range(40)}),
                }
            else:
                pools[locale] = {
                    "female": sorted({fake.first_name_female() for _ in range(300)}),
                    "male": sorted({fake.first_name_male() for _ in range(300)}),
                    "last": sorted({fake.last_name() for _ in range(400)}),
                    "company": sorted({fake.company() for _ in range(200)}),
                }
        return pools

    def weighted(self, choices):
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights)[0]

    def date_between(self, start, end):
        return start + dt.timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    # --- the build ---

    def build(self, *, people, taxonomy_size):
        self.build_taxonomy(taxonomy_size)
        sizes = demo_sizes(people)
        self.build_organizations(sizes["organizations"])
        self.build_conferences(sizes["conferences"])
        self.build_people(people)
        self.build_workshops(sizes["workshops"])
        return self.summary

    def build_taxonomy(self, size):
        """The real taxonomy (seed fixture, else a built-in one) plus generated sub-areas up to ``size``."""
        if not ExpertiseArea.objects.exists():
            self.load_fixture_taxonomy()
        if not ExpertiseArea.objects.exists():
            self.add_base_taxonomy()
        areas = list(ExpertiseArea.objects.all())
        by_path = {area.path: area for area in areas}
        next_step = {}
        for area in areas:
            parent_path = area.path[: -ExpertiseArea.steplen]
            step = int(area.path[-ExpertiseArea.steplen :], 36)
            next_step[parent_path] = max(next_step.get(parent_path, 0), step)
        new_areas = []

        def add_child(parent, name, name_zh):
            step = next_step.get(parent.path, 0) + 1
            next_step[parent.path] = step
            code = f"{AREA_CODE_PREFIX}{len(new_areas) + 1:04d}-{ascii_slug(name)}"[:100].rstrip("-")
            child = ExpertiseArea(
                path=ExpertiseArea._get_path(parent.path, parent.depth + 1, step),
                depth=parent.depth + 1,
                numchild=0,
                code=code,
                name=name,
                name_zh=name_zh,
                description="Generated sub-area (demo data).",
            )
            parent.numchild += 1
            new_areas.append(child)
            by_path[child.path] = child
            return child

        top_depth = 2 if any(area.depth == 2 for area in areas) else 1
        stems = [area for area in areas if area.depth == top_depth]
        budget = size - len(areas)
        populations = []
        for population, population_zh in POPULATIONS:
            for stem in stems:
                if budget <= 0:
                    break
                populations.append(
                    add_child(stem, f"{stem.name}: {population}", f"{stem.name_zh or stem.name}：{population_zh}")
                )
                budget -= 1
        for region, region_zh in REGIONS:
            for middle in populations:
                if budget <= 0:
                    break
                add_child(middle, f"{middle.name} ({region})", f"{middle.name_zh}（{region_zh}）")
                budget -= 1
        self.writer.insert(new_areas)
        touched = [area for area in areas if area.numchild != 0]
        ExpertiseArea.objects.bulk_update(touched, ["numchild"], batch_size=500)
        self.areas = sorted(ExpertiseArea.objects.all(), key=lambda area: area.path)
        self.summary.areas = len(self.areas)
        self.roots = [area for area in self.areas if area.depth == 1]
        self.branch_of = {}
        self.branch_areas = {index: [] for index in range(len(self.roots))}
        root_index = {root.path: index for index, root in enumerate(self.roots)}
        for position, area in enumerate(self.areas):
            branch = root_index[area.path[: ExpertiseArea.steplen]]
            self.branch_of[position] = branch
            self.branch_areas[branch].append(position)
        self.branch_weights = [len(self.branch_areas[index]) ** 0.5 for index in range(len(self.roots))]

    def load_fixture_taxonomy(self):
        """The expertise areas of the seed fixture, when it exists (nothing else from it)."""
        path = settings.BASE_DIR / "fixtures" / f"{settings.LIAISON_SEED_FIXTURE}.json"
        if not path.exists():
            return
        objects = [o for o in json.loads(path.read_text(encoding="utf-8")) if o["model"] == "partners.expertisearea"]
        for deserialized in serializers.deserialize("json", json.dumps(objects), handle_forward_references=True):
            deserialized.save()

    def add_base_taxonomy(self):
        for root_index, ((name, name_zh), children) in enumerate(BASE_TAXONOMY, start=1):
            root_code = f"{AREA_CODE_PREFIX}root-{ascii_slug(name)}"
            root_path = ExpertiseArea._get_path(None, 1, root_index)
            self.writer.insert(
                [
                    ExpertiseArea(
                        path=root_path, depth=1, numchild=len(children), code=root_code, name=name, name_zh=name_zh
                    ),
                    *[
                        ExpertiseArea(
                            path=ExpertiseArea._get_path(root_path, 2, step),
                            depth=2,
                            numchild=0,
                            code=f"{AREA_CODE_PREFIX}base-{ascii_slug(child)}",
                            name=child,
                            name_zh=child_zh,
                        )
                        for step, (child, child_zh) in enumerate(children, start=1)
                    ],
                ]
            )

    def pick_areas(self, branch, count):
        """``count`` distinct area positions, mostly from ``branch``."""
        chosen = []
        for _ in range(count * 3):
            if len(chosen) == count:
                break
            source = branch if self.rng.random() < 0.75 else self.rng.randrange(len(self.roots))
            position = self.rng.choice(self.branch_areas[source])
            if position not in chosen:
                chosen.append(position)
        return chosen

    def build_organizations(self, count):
        rng = self.rng
        organizations, by_key = [], {}

        def add(name, name_zh, kind, country, acronym="", parent=None):
            key = (name.lower(), country)
            if key in by_key:
                return None
            organization = Organization(
                uuid=self.new_uuid(),
                name=name,
                name_zh=name_zh,
                acronym=acronym,
                kind=kind,
                country=country,
                website=f"https://www.{ascii_slug(acronym or name)[:40].strip('-')}.example.org/",
                notes=self.mark,
            )
            organizations.append((organization, parent))
            by_key[key] = organization
            return organization

        def add_unique(name, name_zh, kind, country, **extra):
            suffix = 1
            while add(name if suffix == 1 else f"{name} {suffix}", name_zh, kind, country, **extra) is None:
                suffix += 1

        heads = {}
        for name, name_zh, acronym, country in INTERNATIONAL_BODIES:
            heads[acronym] = add(name, name_zh, "international", country, acronym=acronym)
        while len(organizations) < count:
            kind = self.weighted(ORGANIZATION_KINDS)
            city, city_zh, country, _zone = rng.choice(CITIES)
            country_zh = self.country_zh.get(country, "")
            if kind == "international":
                _name, name_zh, acronym, _home = rng.choice(INTERNATIONAL_BODIES)
                add_unique(
                    f"{acronym} Office in {city}", f"{name_zh}{city_zh}辦事處", kind, country, parent=heads[acronym]
                )
            elif kind == "government":
                body, body_zh, acronym = rng.choice(GOVERNMENT_BODIES)
                head = add(body, f"{country_zh}{body_zh}", kind, country, acronym=acronym)
                if head is None:
                    head = by_key[(body.lower(), country)]
                    unit, unit_zh = rng.choice(GOVERNMENT_UNITS)
                    add_unique(f"{unit}, {body}", f"{country_zh}{body_zh}{unit_zh}", kind, country, parent=head)
            elif kind == "private":
                if country == "TW":
                    company = rng.choice(self.names["zh_TW"]["company"])
                    add_unique(company, company, kind, country)
                else:
                    add_unique(rng.choice(self.names["en_US"]["company"]), "", kind, country)
            elif rng.random() < 0.6:
                name, name_zh = rng.choice(CITY_ORGANIZATIONS[kind])
                add_unique(name.format(city=city), name_zh.format(city_zh=city_zh), kind, country)
            else:
                surname = rng.choice(self.names["en_US"]["last"])
                name, name_zh = rng.choice(FAMILY_ORGANIZATIONS[kind])
                add_unique(
                    name.format(surname=surname), name_zh.format(surname_zh=transliterate(surname)), kind, country
                )
        for organization, _parent in organizations:
            if not organization.acronym and organization.kind in ("ngo", "network", "legal_aid"):
                initials = "".join(word[0] for word in organization.name.split() if word[:1].isupper())
                organization.acronym = initials if 2 <= len(initials) <= 6 else ""
        # Parents first, so children can point at saved rows.
        self.writer.insert([o for o, parent in organizations if parent is None])
        children = []
        for organization, parent in organizations:
            if parent is not None:
                organization.parent_id = parent.pk
                children.append(organization)
        self.writer.insert(children)
        self.organizations = [o for o, _parent in organizations]
        self.organizations_by_country = {}
        for position, organization in enumerate(self.organizations):
            self.organizations_by_country.setdefault(organization.country, []).append(position)
        # A name several countries share ("Ministry of Labour") only identifies an organization
        # together with the person's country (as the contact sheet's import reads it), so people
        # work abroad only for organizations whose name is unique.
        names = {}
        for organization in self.organizations:
            names[organization.name.lower()] = names.get(organization.name.lower(), 0) + 1
        self.organizations_abroad = [
            position for position, o in enumerate(self.organizations) if names[o.name.lower()] == 1
        ]
        through = Organization.focus_areas.through
        links = []
        for organization in self.organizations:
            for position in self.pick_areas(rng.randrange(len(self.roots)), rng.randint(1, 3)):
                links.append(through(organization_id=organization.pk, expertisearea_id=self.areas[position].pk))
        self.writer.insert(links)
        self.summary.organizations = len(self.organizations)

    def build_conferences(self, count):
        rng = self.rng
        events, sessions_by_event = [], []
        for _ in range(count):
            city, city_zh, country, zone = rng.choice(CITIES)
            year = rng.randint(2015, 2025)
            start = self.date_between(dt.date(year, 1, 10), dt.date(year, 12, 10))
            days = rng.randint(1, 3)
            name, name_zh = rng.choice(CONFERENCES)
            branch = rng.randrange(len(self.roots))
            themes = self.pick_areas(branch, rng.randint(1, 3))
            event = Event(
                uuid=self.new_uuid(),
                kind=Event.Kind.CONFERENCE,
                name=f"{year} {name.format(city=city)}",
                name_zh=f"{year}年{name_zh.format(city_zh=city_zh)}",
                organizer=self.organizations[rng.randrange(len(self.organizations))],
                start_date=start,
                end_date=start + dt.timedelta(days=days - 1),
                time_zone=zone,
                venue=f"{city} Convention Center",
                city=city,
                country=country,
                format=rng.choice(list(Event.Format)),
                theme=self.areas[themes[0]].name,
                theme_zh=self.areas[themes[0]].name_zh,
                description=self.mark,
            )
            events.append((event, branch, themes))
        self.writer.insert([event for event, _, _ in events])
        theme_links, sessions = [], []
        for event, branch, themes in events:
            for position in themes:
                theme_links.append(Event.themes.through(event_id=event.pk, expertisearea_id=self.areas[position].pk))
            total = rng.randint(6, 20)
            days = (event.end_date - event.start_date).days + 1
            per_day = -(-total // days)
            zone = zoneinfo.ZoneInfo(event.time_zone)
            for index in range(total):
                day = event.start_date + dt.timedelta(days=index // per_day)
                slot = index % per_day
                starts = dt.datetime.combine(day, dt.time(9, 0), zone) + dt.timedelta(minutes=100 * slot)
                topics = self.pick_areas(branch, rng.randint(1, 3))
                topic = self.areas[topics[0]]
                if index == 0:
                    kind, label, label_zh = Session.Kind.WELCOME, "Welcome and opening remarks", "開幕致詞"
                    title, title_zh = label, label_zh
                elif index < 3:
                    kind, label, label_zh = Session.Kind.KEYNOTE, "Keynote", "專題演講"
                    title, title_zh = f"{label}: {topic.name}", f"{label_zh}：{topic.name_zh}"
                else:
                    kind, label, label_zh = rng.choice(SESSION_KINDS)
                    title, title_zh = f"{label}: {topic.name}", f"{label_zh}：{topic.name_zh}"
                session = Session(
                    uuid=self.new_uuid(),
                    event=event,
                    kind=kind,
                    title=title[:300],
                    title_zh=title_zh[:300],
                    starts_at=starts.astimezone(dt.UTC),
                    ends_at=(starts + dt.timedelta(minutes=rng.choice([60, 75, 90]))).astimezone(dt.UTC),
                    summary=f"Speakers discussed {topic.name.lower()}.",
                    participant_count=rng.choice([None, rng.randint(20, 900)]),
                )
                sessions.append((session, branch, topics))
            sessions_by_event.append(event)
        self.writer.insert(theme_links)
        self.writer.insert([session for session, _, _ in sessions])
        topic_links, organization_appearances, attendance = [], [], []
        self.sessions_by_branch = {index: [] for index in range(len(self.roots))}
        for session, branch, topics in sessions:
            for position in topics:
                area_pk = self.areas[position].pk
                topic_links.append(Session.topics.through(session_id=session.pk, expertisearea_id=area_pk))
            self.sessions_by_branch[branch].append((session, topics))
            if rng.random() < 0.03:
                organization_appearances.append(
                    Appearance(
                        uuid=self.new_uuid(),
                        session=session,
                        organization=self.organizations[rng.randrange(len(self.organizations))],
                        role=Appearance.Role.PRESENTER,
                    )
                )
        staff = self.names["zh_TW"]["staff"]
        for event in sessions_by_event:
            if rng.random() < 0.2:
                for name in rng.sample(staff, 2):
                    attendance.append(
                        Attendance(
                            uuid=self.new_uuid(),
                            event=event,
                            day=event.start_date,
                            staff_name=name,
                            unit="Immigration Affairs Division",
                            mode=rng.choice(list(Attendance.Mode)),
                        )
                    )
        self.writer.insert(topic_links)
        self.writer.insert(organization_appearances)
        self.writer.insert(attendance)
        self.summary.events = len(events)
        self.summary.sessions = len(sessions)
        self.summary.appearances = len(organization_appearances)

    # --- people ---

    def person_name(self, country):
        """(full name, given, family, Chinese name, honorific) in the style of ``country``."""
        rng = self.rng
        style = COUNTRIES[country][1]
        if style == "mixed":
            style = rng.choice(["en_US", "en_GB", "fr_FR", "en_IN", "es_MX"])
        gender = rng.choice(["female", "male"])
        honorific = rng.choice(["Dr.", "Prof.", "", ""] + (["Ms."] * 3 if gender == "female" else ["Mr."] * 3))
        if style == "zh":
            surname, surname_latin = rng.choice(ZH_SURNAMES)
            first, first_latin = rng.choice(ZH_GIVEN[gender])
            second, second_latin = rng.choice(ZH_GIVEN[gender])
            given = f"{first_latin}-{second_latin.lower()}"
            return f"{given} {surname_latin}", given, surname_latin, f"{surname}{first}{second}", honorific
        if style == "ja_JP":
            pools = self.names["ja_JP"]
            last_kanji, _kana, last = rng.choice(pools["last"])
            first_kanji, _kana, first = rng.choice(pools[gender])
            return f"{first} {last}", first, last, f"{last_kanji}{first_kanji}", honorific
        pools = self.names[style]
        given = rng.choice(pools[gender])
        family = rng.choice(pools["last"])
        if style == "vi_VN":
            middle = "Thị" if gender == "female" else "Văn"
            full_name = f"{family} {middle} {given}"
        elif style == "es_MX" and rng.random() < 0.5:
            family = f"{family} {rng.choice(pools['last'])}"
            full_name = f"{given} {family}"
        else:
            full_name = f"{given} {family}"
        name_zh = ""
        if rng.random() < 0.65:
            name_zh = f"{transliterate(given)}·{transliterate(family.split()[0])}"
        return full_name, given, family, name_zh, honorific

    def email(self, given, family, domain):
        local = f"{ascii_slug(given)}.{ascii_slug(family)}".replace("-", "")
        address = f"{local}@{domain}"
        number = 1
        while address in self.used_emails:
            number += 1
            address = f"{local}{number}@{domain}"
        self.used_emails.add(address)
        return address

    def phone(self, country):
        """A valid E.164 number for ``country``: libphonenumber's example with other last digits."""
        kind = self.rng.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
        example = phonenumbers.example_number_for_type(country, kind) or phonenumbers.example_number(country)
        national = str(example.national_number)
        for _ in range(6):
            candidate = phonenumbers.PhoneNumber(
                country_code=example.country_code,
                national_number=int(national[:-3] + f"{self.rng.randrange(1000):03d}"),
                italian_leading_zero=example.italian_leading_zero,
            )
            if phonenumbers.is_valid_number(candidate):
                return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
        return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)

    def build_people(self, count):
        self.person_pks = []
        self.people_by_area = {}
        done = 0
        while done < count:
            size = min(PEOPLE_PER_CHUNK, count - done)
            self.build_people_chunk(done, size)
            done += size
            self.progress(size)

    def build_people_chunk(self, offset, size):
        """Plan ``size`` people with everything they hold, then insert them table by table."""
        plans = [self.plan_person() for _ in range(size)]
        self.writer.insert([plan.person for plan in plans])

        affiliations, contacts, languages, appearances = [], [], [], []
        for plan in plans:
            person = plan.person
            self.person_pks.append(person.pk)
            for affiliation in plan.affiliations:
                affiliation.person_id = person.pk
                affiliations.append(affiliation)
            for contact in plan.contacts:
                contact.person_id = person.pk
                contacts.append(contact)
            for code in plan.languages:
                languages.append(Person.languages.through(person_id=person.pk, language_id=code))
            for appearance in plan.appearances:
                appearance.person_id = person.pk
                appearances.append(appearance)
            for position in plan.areas:
                self.people_by_area.setdefault(position, []).append(len(self.person_pks) - 1)
        self.writer.insert(affiliations)
        self.writer.insert(contacts)
        self.writer.insert(languages)
        self.writer.insert(appearances)
        expertise = []
        for plan in plans:
            for position, appearance in plan.expertise:
                expertise.append(
                    PersonExpertise(
                        uuid=self.new_uuid(),
                        person_id=plan.person.pk,
                        area=self.areas[position],
                        appearance_id=appearance.pk if appearance else None,
                        note="" if appearance else "Noted by a desk officer from the person's published work.",
                    )
                )
        self.writer.insert(expertise)
        self.summary.people += len(plans)
        self.summary.affiliations += len(affiliations)
        self.summary.contact_methods += len(contacts)
        self.summary.person_languages += len(languages)
        self.summary.appearances += len(appearances)
        self.summary.expertise_links += len(expertise)

    def plan_person(self):
        """One person and their jobs, contacts, languages, appearances and expertise (not yet saved)."""
        rng = self.rng
        country = rng.choices(self.country_codes, self.country_weights)[0]
        full_name, given, family, name_zh, honorific = self.person_name(country)
        branch = rng.choices(range(len(self.roots)), self.branch_weights)[0]
        consent = self.weighted([("unknown", 60), ("given", 35), ("refused", 3), ("withdrawn", 2)])
        person = Person(
            uuid=self.new_uuid(),
            full_name=full_name,
            given_name=given,
            family_name=family,
            name_zh=name_zh,
            honorific=honorific,
            country=country,
            source=self.mark,
            last_confirmed=self.date_between(dt.date(2018, 1, 1), self.today) if rng.random() < 0.6 else None,
            consent=consent,
            do_not_contact=consent in ("refused", "withdrawn") or rng.random() < 0.01,
            sensitive=rng.random() < 0.02,
        )
        person.refresh_name_keys()  # the BulkWriter writes every column, past Person.save
        plan = PersonPlan(person=person)

        # Jobs over time, the last one current.
        jobs = self.weighted([(1, 45), (2, 35), (3, 15), (4, 5)])
        start = self.date_between(dt.date(1995, 1, 1), dt.date(2012, 1, 1))
        local = self.organizations_by_country.get(country)
        for job in range(jobs):
            if local and rng.random() < 0.8:
                organization = self.organizations[rng.choice(local)]
            else:
                organization = self.organizations[rng.choice(self.organizations_abroad)]
            title, title_zh = rng.choice(TITLES)
            is_current = job == jobs - 1
            end = None if is_current else min(self.today, start + dt.timedelta(days=rng.randint(400, 3000)))
            plan.affiliations.append(
                Affiliation(
                    uuid=self.new_uuid(),
                    organization=organization,
                    title=title,
                    title_zh=title_zh,
                    start_date=start,
                    end_date=end,
                    is_current=is_current,
                )
            )
            if not is_current:
                start = min(self.today, end + dt.timedelta(days=rng.randint(1, 200)))
        title, organization = plan.affiliations[-1].title, plan.affiliations[-1].organization

        contacts = []
        if rng.random() < 0.95:
            domain = rng.choice(["example.org", "example.com", "example.net"])
            contacts.append(("email", self.email(given, family, domain), "work", True))
            if rng.random() < 0.3:
                contacts.append(("email", self.email(given, family, "example.com"), "personal", False))
        if rng.random() < 0.7:
            contacts.append(("phone", self.phone(country), "office", True))
            if rng.random() < 0.25:
                second = self.phone(country)
                if second != contacts[-1][1]:
                    contacts.append(("phone", second, "mobile", False))
        if rng.random() < 0.1:
            contacts.append(("website", f"https://www.example.org/people/{ascii_slug(full_name)}", "", True))
        plan.contacts = [
            ContactMethod(
                uuid=self.new_uuid(),
                kind=kind,
                value=value,
                label=label,
                is_primary=is_primary,
                source="demo data",
                last_confirmed=person.last_confirmed,
            )
            for kind, value, label, is_primary in contacts
        ]

        others = COUNTRIES[country][2]
        spoken = ["en"] if rng.random() < 0.85 or not others else []
        spoken += [code for code in others if rng.random() < 0.6]
        plan.languages = [code for code in dict.fromkeys(spoken or others[:1]) if code in self.language_codes]

        # Expertise: some from sessions where the person spoke, the rest from notes.
        wanted = rng.randint(1, 6)
        held = {}
        sessions = self.sessions_by_branch.get(branch) or []
        if sessions and rng.random() < 0.25:
            chosen = rng.sample(sessions, min(len(sessions), self.weighted([(1, 70), (2, 20), (3, 10)])))
            for order, (session, topics) in enumerate(chosen):
                if person.sensitive:
                    role = Appearance.Role.SURVIVOR_SPEAKER
                else:
                    role = self.weighted(
                        [
                            (Appearance.Role.SPEAKER, 60),
                            (Appearance.Role.PANELIST, 25),
                            (Appearance.Role.MODERATOR, 10),
                            (Appearance.Role.PRESENTER, 5),
                        ]
                    )
                appearance = Appearance(
                    uuid=self.new_uuid(),
                    session=session,
                    organization=organization,
                    role=role,
                    affiliation_as_printed=f"{title}, {organization.name}",
                    order=order,
                )
                plan.appearances.append(appearance)
                held.setdefault(rng.choice(topics), []).append(appearance)
        for position in self.pick_areas(branch, max(0, wanted - len(held))):
            held.setdefault(position, []).append(None)
        plan.areas = list(held)
        plan.expertise = [(position, appearance) for position, evidence in held.items() for appearance in evidence]
        names = "; ".join(self.areas[position].name for position in plan.areas[:3])
        person.bio = f"{title} at {organization.name}. Works on {names}."
        return plan

    def build_workshops(self, count):
        """Our own workshops in Taipei, each with three themes and candidates whose expertise fits."""
        rng = self.rng
        organizers = [o for o in self.organizations if o.country == "TW" and o.kind == "government"]
        workshops, candidacies = [], []
        staff = self.names["zh_TW"]["staff"]
        for number in range(count):
            branch = rng.randrange(len(self.roots))
            root = self.roots[branch]
            candidates = [p for p in self.branch_areas[branch] if self.areas[p].depth == 2] or self.branch_areas[branch]
            themes = rng.sample(candidates, min(3, len(candidates)))
            while len(themes) < 3:
                extra = rng.choice(self.branch_areas[rng.randrange(len(self.roots))])
                if extra not in themes:
                    themes.append(extra)
            year = 2023 + number % 4
            start = self.date_between(dt.date(year, 3, 1), dt.date(year, 11, 1))
            workshop = Event(
                uuid=self.new_uuid(),
                kind=Event.Kind.WORKSHOP,
                name=f"{year} International Workshop on {root.name} ({number + 1})",
                name_zh=f"{year}年{root.name_zh or root.name}國際工作坊（{number + 1}）",
                organizer=rng.choice(organizers) if organizers else None,
                start_date=start,
                end_date=start + dt.timedelta(days=1),
                time_zone="Asia/Taipei",
                venue="Taipei International Convention Center",
                city="Taipei",
                country="TW",
                format=Event.Format.HYBRID,
                theme=root.name,
                theme_zh=root.name_zh,
                description=self.mark,
            )
            workshops.append((workshop, themes))
        self.writer.insert([w for w, _ in workshops])
        links = []
        for workshop, themes in workshops:
            pool = set()
            for theme in themes:
                links.append(Event.themes.through(event_id=workshop.pk, expertisearea_id=self.areas[theme].pk))
                prefix = self.areas[theme].path
                for position in self.branch_areas[self.branch_of[theme]]:
                    if self.areas[position].path.startswith(prefix):
                        pool.update(self.people_by_area.get(position, ()))
            for person_index in rng.sample(sorted(pool), min(len(pool), rng.randint(20, 80))):
                suitability = self.weighted(
                    [("not_assessed", 40), ("suitable", 25), ("possible", 20), ("not_suitable", 15)]
                )
                decided = suitability != "not_assessed"
                decided_on = workshop.start_date - dt.timedelta(days=rng.randint(20, 120))
                candidacies.append(
                    Candidacy(
                        uuid=self.new_uuid(),
                        workshop=workshop,
                        person_id=self.person_pks[person_index],
                        suitability=suitability,
                        reason=REASONS[suitability],
                        status=rng.choice(STATUSES[suitability]),
                        decided_by_name=rng.choice(staff) if decided else "",
                        decided_at=dt.datetime.combine(decided_on, dt.time(2, 0), dt.UTC) if decided else None,
                    )
                )
        self.writer.insert(links)
        self.writer.insert(candidacies)
        self.summary.workshops = len(workshops)
        self.summary.candidacies = len(candidacies)

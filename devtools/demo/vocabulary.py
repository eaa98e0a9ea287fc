"""Reference tables the demo data is drawn from (invented combinations of real places and common words)."""

import re
import unicodedata

from django.utils.text import slugify

from conference.models import Candidacy, Session

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

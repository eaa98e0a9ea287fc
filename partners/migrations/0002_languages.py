"""The languages staff pick from; ISO 639-1 codes with English and Chinese names."""

from django.db import migrations

LANGUAGES = [
    ("ar", "Arabic", "阿拉伯語"),
    ("bn", "Bengali", "孟加拉語"),
    ("de", "German", "德語"),
    ("en", "English", "英語"),
    ("es", "Spanish", "西班牙語"),
    ("fa", "Persian", "波斯語"),
    ("fil", "Filipino", "菲律賓語"),
    ("fr", "French", "法語"),
    ("hi", "Hindi", "印地語"),
    ("ht", "Haitian Creole", "海地克里奧爾語"),
    ("id", "Indonesian", "印尼語"),
    ("it", "Italian", "義大利語"),
    ("ja", "Japanese", "日語"),
    ("km", "Khmer", "高棉語"),
    ("ko", "Korean", "韓語"),
    ("lo", "Lao", "寮語"),
    ("mn", "Mongolian", "蒙古語"),
    ("ms", "Malay", "馬來語"),
    ("my", "Burmese", "緬甸語"),
    ("ne", "Nepali", "尼泊爾語"),
    ("nl", "Dutch", "荷蘭語"),
    ("pl", "Polish", "波蘭語"),
    ("pt", "Portuguese", "葡萄牙語"),
    ("ro", "Romanian", "羅馬尼亞語"),
    ("ru", "Russian", "俄語"),
    ("si", "Sinhala", "僧伽羅語"),
    ("sw", "Swahili", "斯瓦希里語"),
    ("ta", "Tamil", "坦米爾語"),
    ("th", "Thai", "泰語"),
    ("tl", "Tagalog", "他加祿語"),
    ("tr", "Turkish", "土耳其語"),
    ("uk", "Ukrainian", "烏克蘭語"),
    ("ur", "Urdu", "烏都語"),
    ("vi", "Vietnamese", "越南語"),
    ("yue", "Cantonese", "粵語"),
    ("zh", "Chinese (Mandarin)", "華語"),
    ("nan", "Taiwanese Hokkien", "臺灣台語"),
    ("hak", "Hakka", "客語"),
    ("asl", "American Sign Language", "美國手語"),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("partners", "Language")
    for code, name, name_zh in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name, "name_zh": name_zh})


def remove_languages(apps, schema_editor):
    Language = apps.get_model("partners", "Language")
    Language.objects.filter(code__in=[code for code, _name, _zh in LANGUAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(add_languages, remove_languages)]

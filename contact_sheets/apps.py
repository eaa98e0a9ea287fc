from django.apps import AppConfig


class ContactSheetsConfig(AppConfig):
    name = "contact_sheets"

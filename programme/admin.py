"""The "Import a programme" page and the agenda template download, added to the event admin."""

from functools import partial

from django.contrib import admin
from django.urls import path

from conference.admin import EventAdmin
from programme.models import TopicMapping
from programme.views import agenda_template, import_programme_view, may_import


def programme_urls(model_admin):
    site = model_admin.admin_site
    return [
        path(
            "import-programme/",
            site.admin_view(partial(import_programme_view, model_admin=model_admin)),
            name="conference_event_import_programme",
        ),
        path(
            "import-programme/agenda-template.<str:extension>",
            site.admin_view(partial(agenda_template, model_admin=model_admin)),
            name="conference_event_agenda_template",
        ),
    ]


EventAdmin.add(urls=programme_urls, permissions={"import_programme": may_import})


@admin.register(TopicMapping)
class TopicMappingAdmin(admin.ModelAdmin):
    list_display = ["label", "area", "updated_at"]
    list_select_related = ["area"]
    search_fields = ["label", "area__name", "area__name_zh"]
    autocomplete_fields = ["area"]

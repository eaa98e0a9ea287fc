"""The import page (``admin:partners_person_import``), added to the person admin."""

from functools import partial

from django.urls import path

from importing.views import IMPORT_PERMISSION, import_contacts_view
from partners.admin import PersonAdmin


def import_urls(model_admin):
    view = model_admin.admin_site.admin_view(partial(import_contacts_view, model_admin=model_admin))
    return [path("import/", view, name="partners_person_import")]


PersonAdmin.add(urls=import_urls, permissions={"import": lambda request: request.user.has_perm(IMPORT_PERMISSION)})

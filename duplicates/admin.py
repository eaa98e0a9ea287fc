"""The duplicates pages and the "merge the two selected" action, added to the person and organization admin."""

from duplicates.views import has_merge_permission, merge_selected, merge_urls
from partners.admin import OrganizationAdmin, PersonAdmin

for model_admin in (PersonAdmin, OrganizationAdmin):
    model_admin.add(actions=[merge_selected], urls=merge_urls, permissions={"merge": has_merge_permission})

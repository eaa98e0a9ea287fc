"""Interactions in the admin: their own list, and an inline on the person's and the organization's page.

The person's and organization's admins are partners' own, extended here (re-registered) so
partners never imports this app.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from outreach.filters import FollowUpListFilter, InteractionCountryListFilter, UnitListFilter
from outreach.forms import InteractionForm
from outreach.models import Interaction
from outreach.timeline import person_timeline
from partners.admin import (
    OrganizationAdmin,
    PersonAdmin,
    PreloadedAutocompleteInlineMixin,
    PreloadedRelationsForm,
)
from partners.models import Organization, Person
from partners.protection import ProtectedAdminMixin, ProtectedFormFieldsMixin, with_visible_people

INTERACTION_FIELDS = [
    "kind",
    "occurred_local",
    "time_zone",
    "place",
    "officer",
    "officer_name",
    "unit",
    "event",
    "summary",
    "follow_up",
    "follow_up_due",
    "follow_up_done",
]


class OfficerDefaultMixin:
    """The officer is chosen among active staff accounts, the user entering it by default.

    The choices are read once per page, not once per inline row.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "officer":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs.setdefault("initial", request.user.pk)
        kwargs["queryset"] = get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()
        field.choices = list(field.choices)
        return field


@admin.register(Interaction)
class InteractionAdmin(OfficerDefaultMixin, ProtectedAdminMixin, SimpleHistoryAdmin):
    list_display = ["occurred_local", "kind", "with_whom", "officer_label", "unit", "event", "follow_up_due_mark"]
    list_select_related = ["person", "organization", "officer", "event"]
    list_filter = [
        "officer",
        UnitListFilter,
        "kind",
        "occurred_at",
        InteractionCountryListFilter,
        FollowUpListFilter,
    ]
    search_fields = [
        "summary",
        "place",
        "officer_name",
        "unit",
        "person__full_name",
        "person__name_zh",
        "organization__name",
        "organization__name_zh",
    ]
    autocomplete_fields = ["person", "organization", "event"]
    form = InteractionForm
    fieldsets = [
        (None, {"fields": ["person", "organization", "kind", "occurred_local", "time_zone", "place"]}),
        (_("Who on our side"), {"fields": ["officer", "officer_name", "unit"]}),
        (_("What"), {"fields": ["event", "summary"]}),
        (_("Follow-up"), {"fields": ["follow_up", "follow_up_due", "follow_up_done"]}),
    ]
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def get_queryset(self, request):
        return with_visible_people(super().get_queryset(request), request.user)

    @admin.display(description=_("when (local time)"), ordering="occurred_at")
    def occurred_local(self, obj):
        return f"{obj.local_occurred_at():%Y-%m-%d %H:%M} ({obj.time_zone})"

    @admin.display(description=_("with"))
    def with_whom(self, obj):
        if obj.person_id and obj.organization_id:
            return f"{obj.person} ({obj.organization})"
        return str(obj.person or obj.organization)

    @admin.display(description=_("officer"), ordering="officer_name")
    def officer_label(self, obj):
        return obj.officer_label

    @admin.display(description=_("follow-up due"), ordering="follow_up_due")
    def follow_up_due_mark(self, obj):
        if obj.follow_up_due is None:
            return ""
        return f"{obj.follow_up_due:%Y-%m-%d}" + (f" ({_('done')})" if obj.follow_up_done else "")


class InteractionInlineForm(PreloadedRelationsForm, InteractionForm):
    """Rows show their organization, person and event from the rows' own query."""


class InteractionInline(
    OfficerDefaultMixin, PreloadedAutocompleteInlineMixin, ProtectedFormFieldsMixin, admin.StackedInline
):
    model = Interaction
    form = InteractionInlineForm
    fields = INTERACTION_FIELDS
    autocomplete_fields = ["event"]
    extra = 0
    show_change_link = True
    classes = ["collapse"]
    verbose_name = _("interaction")
    verbose_name_plural = _("interactions (meetings, calls, messages)")

    preloaded_relations = ["event", "person", "organization"]


class PersonInteractionInline(InteractionInline):
    fk_name = "person"
    fields = ["organization", *INTERACTION_FIELDS]
    autocomplete_fields = ["organization", "event"]


class OrganizationInteractionInline(InteractionInline):
    fk_name = "organization"
    fields = ["person", *INTERACTION_FIELDS]
    autocomplete_fields = ["person", "event"]

    def get_queryset(self, request):
        return with_visible_people(super().get_queryset(request), request.user)


admin.site.unregister(Person)
admin.site.unregister(Organization)


@admin.register(Person)
class PersonWithOutreachAdmin(PersonAdmin):
    """partners' PersonAdmin, with the person's interactions and timeline."""

    inlines = [*PersonAdmin.inlines, PersonInteractionInline]
    change_form_template = "admin/outreach/person/change_form.html"
    readonly_fields = [*PersonAdmin.readonly_fields, "last_confirmed_by"]

    def get_fieldsets(self, request, obj=None):
        # "last confirmed by" beside "last confirmed", where partners' fieldsets put the latter.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        part
                        for field in options["fields"]
                        for part in ([field, "last_confirmed_by"] if field == "last_confirmed" else [field])
                    ],
                },
            )
            for name, options in super().get_fieldsets(request, obj)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The person's page with their timeline (``?timeline_page=N``) below the form."""
        extra_context = extra_context or {}
        person = self.get_object(request, object_id)  # 404 for a person hidden from the user
        page = request.GET.get("timeline_page", "1")
        extra_context["timeline"] = person_timeline(person, page=int(page) if page.isdigit() else 1)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Organization)
class OrganizationWithOutreachAdmin(OrganizationAdmin):
    """partners' OrganizationAdmin, with interactions about the organization."""

    inlines = [*OrganizationAdmin.inlines, OrganizationInteractionInline]

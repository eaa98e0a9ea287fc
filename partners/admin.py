from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from conference.models import Appearance
from partners.filters import ExpertiseListFilter, OrganizationKindListFilter
from partners.models import (
    Affiliation,
    ContactMethod,
    ExpertiseArea,
    ExportLog,
    Language,
    Organization,
    Person,
    PersonExpertise,
)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_zh"]
    search_fields = ["code", "name", "name_zh"]


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(TreeAdmin):
    list_display = ["name", "name_zh", "code"]
    search_fields = ["name", "name_zh", "code", "description"]
    form = movenodeform_factory(ExpertiseArea, fields=["code", "name", "name_zh", "description"])


class ChildOrganizationInline(admin.TabularInline):
    model = Organization
    fk_name = "parent"
    fields = ["name", "name_zh", "acronym", "kind", "country"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("part of this organization")
    verbose_name_plural = _("parts of this organization")

    def has_add_permission(self, request, obj=None):
        return False


class OrganizationMemberInline(admin.TabularInline):
    """The people who work or worked here; sensitive people only for those allowed."""

    model = Affiliation
    fields = ["person", "title", "title_zh", "start_date", "end_date", "is_current"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name = _("person working here")
    verbose_name_plural = _("people working here")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible).select_related("person")


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_zh", "acronym", "kind", "country", "parent"]
    list_select_related = ["parent"]
    list_filter = ["kind", "country", ("focus_areas", ExpertiseListFilter)]
    search_fields = ["name", "name_zh", "acronym", "website"]
    autocomplete_fields = ["parent", "focus_areas"]
    fieldsets = [
        (None, {"fields": ["name", "name_zh", "acronym", "kind", "country", "parent", "website"]}),
        (_("Expertise"), {"fields": ["focus_areas"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    inlines = [ChildOrganizationInline, OrganizationMemberInline]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fields = ["organization", "title", "title_zh", "start_date", "end_date", "is_current"]
    autocomplete_fields = ["organization"]
    extra = 0


class ContactMethodFormSet(forms.BaseInlineFormSet):
    """Checks across the rows of one save, which the per-row model checks cannot see."""

    def clean(self):
        super().clean()
        primaries, values = {}, set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            kind = form.cleaned_data.get("kind")
            value = form.cleaned_data.get("value")
            if form.cleaned_data.get("is_primary"):
                if kind in primaries:
                    form.add_error(
                        "is_primary",
                        _("Only one %(kind)s can be primary.") % {"kind": ContactMethod.Kind(kind).label.lower()},
                    )
                primaries[kind] = form
            if (kind, value) in values:
                form.add_error("value", _("This contact detail is listed twice."))
            values.add((kind, value))


class ContactMethodInline(admin.TabularInline):
    model = ContactMethod
    formset = ContactMethodFormSet
    fields = ["kind", "value", "label", "is_primary", "source", "last_confirmed"]
    extra = 0


class PersonExpertiseInline(admin.TabularInline):
    model = PersonExpertise
    fields = ["area", "appearance", "note"]
    autocomplete_fields = ["area", "appearance"]
    extra = 0


class SpeakingHistoryInline(admin.TabularInline):
    """Where this person spoke, across events (read-only)."""

    model = Appearance
    fk_name = "person"
    fields = ["session_event", "session", "session_start", "role", "affiliation_as_printed"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("speaking appearance")
    verbose_name_plural = _("speaking history")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__event")

    @admin.display(description=_("event"))
    def session_event(self, obj):
        return obj.session.event

    @admin.display(description=_("starts (Taipei time)"))
    def session_start(self, obj):
        from django.utils import timezone

        return timezone.localtime(obj.session.starts_at).strftime("%Y-%m-%d %H:%M")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "name_zh",
        "country",
        "current_organizations",
        "primary_email",
        "expertise_list",
        "sensitive",
        "do_not_contact",
    ]
    list_select_related = []
    list_filter = [
        ("expertise_links__area", ExpertiseListFilter),
        "country",
        OrganizationKindListFilter,
        "languages",
        ("appearances__session__event", admin.RelatedOnlyFieldListFilter),
        "consent",
        "do_not_contact",
        "sensitive",
    ]
    search_fields = [
        "full_name",
        "given_name",
        "family_name",
        "name_zh",
        "affiliations__organization__name",
        "affiliations__organization__name_zh",
        "affiliations__organization__acronym",
        "contact_methods__value",
    ]
    autocomplete_fields = ["languages"]
    fieldsets = [
        (None, {"fields": ["full_name", "given_name", "family_name", "name_zh", "honorific", "country", "languages"]}),
        (_("About"), {"fields": ["bio", "notes"]}),
        (
            _("Provenance and consent"),
            {"fields": ["source", "last_confirmed", "consent", "do_not_contact", "sensitive"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AffiliationInline, ContactMethodInline, PersonExpertiseInline, SpeakingHistoryInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related(
                Prefetch(
                    "affiliations",
                    queryset=Affiliation.objects.filter(is_current=True).select_related("organization"),
                ),
                Prefetch(
                    "contact_methods",
                    queryset=ContactMethod.objects.filter(is_primary=True),
                ),
                Prefetch("expertise_links", queryset=PersonExpertise.objects.select_related("area")),
            )
        )

    @admin.display(description=_("current organization"))
    def current_organizations(self, obj):
        return "; ".join(str(a.organization) for a in obj.current_affiliations())

    @admin.display(description=_("primary e-mail"))
    def primary_email(self, obj):
        method = obj.primary_contact(ContactMethod.Kind.EMAIL)
        return method.value if method else ""

    @admin.display(description=_("expertise"))
    def expertise_list(self, obj):
        names = sorted({link.area.label for link in obj.expertise_links.all()})
        return "; ".join(names)


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organization", "title", "title_zh", "start_date", "end_date", "is_current"]
    list_select_related = ["person", "organization"]
    list_filter = ["is_current", "organization__kind"]
    search_fields = ["person__full_name", "person__name_zh", "organization__name", "organization__name_zh", "title"]
    autocomplete_fields = ["person", "organization"]

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible)


@admin.register(ContactMethod)
class ContactMethodAdmin(SimpleHistoryAdmin):
    list_display = ["person", "kind", "value", "label", "is_primary", "last_confirmed"]
    list_select_related = ["person"]
    list_filter = ["kind", "is_primary"]
    search_fields = ["value", "person__full_name", "person__name_zh"]
    autocomplete_fields = ["person"]

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible)


@admin.register(PersonExpertise)
class PersonExpertiseAdmin(SimpleHistoryAdmin):
    list_display = ["person", "area", "appearance", "note"]
    list_select_related = [
        "person",
        "area",
        "appearance__session",
        "appearance__person",
        "appearance__organization",
    ]
    list_filter = [("area", ExpertiseListFilter)]
    search_fields = ["person__full_name", "person__name_zh", "area__name", "area__name_zh", "note"]
    autocomplete_fields = ["person", "area", "appearance"]

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible)


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "username", "format", "source", "row_count", "included_sensitive"]
    list_select_related = []
    list_filter = ["format", "source", "included_sensitive"]
    search_fields = ["username"]
    readonly_fields = [
        "created_at",
        "user",
        "username",
        "format",
        "source",
        "row_count",
        "filters",
        "included_sensitive",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

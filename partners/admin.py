import functools

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import lookup_spawns_duplicates, quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from partners import textsearch
from partners.admin_additions import AdminAdditionsMixin
from partners.counting import EstimatedCountPaginator, count_or_estimate
from partners.countries import country_name
from partners.filters import CountryDropdownFilter, ExpertiseListFilter, OrganizationKindListFilter
from partners.history import ReadableHistoryAdminMixin, RelatedHistoryAdminMixin
from partners.locking import BumpsParentVersionMixin, VersionedAdminMixin
from partners.models import (
    Affiliation,
    ContactMethod,
    ExpertiseArea,
    ExportLog,
    ExportPurpose,
    Language,
    Organization,
    Person,
    PersonExpertise,
)
from partners.protection import ProtectedAdminMixin, ProtectedFormFieldsMixin
from partners.selectors import attach_list_columns, people_matching


@admin.register(Language)
class LanguageAdmin(ProtectedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_zh"]
    search_fields = ["code", "name", "name_zh"]


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(ProtectedAdminMixin, TreeAdmin):
    list_display = ["name", "name_zh", "code"]
    search_fields = ["name", "name_zh", "code", "description"]
    form = movenodeform_factory(ExpertiseArea, fields=["code", "name", "name_zh", "description"])

    def get_search_results(self, request, queryset, search_term):
        # The pickers (autocomplete) keep this order; the tree's own list reorders by path.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.ranked_by_match(search_term), may_have_duplicates


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
class OrganizationAdmin(
    AdminAdditionsMixin, ProtectedAdminMixin, VersionedAdminMixin, ReadableHistoryAdminMixin, SimpleHistoryAdmin
):
    list_display = ["name", "name_zh", "acronym", "kind", "country_name", "parent"]
    list_select_related = ["parent"]
    list_filter = ["kind", ("country", CountryDropdownFilter), ("focus_areas", ExpertiseListFilter)]
    search_fields = ["name", "name_zh", "acronym", "website"]
    autocomplete_fields = ["parent", "focus_areas"]
    fieldsets = [
        (None, {"fields": ["name", "name_zh", "acronym", "kind", "country", "parent", "website"]}),
        (_("Expertise"), {"fields": ["focus_areas"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    inlines = [ChildOrganizationInline, OrganizationMemberInline]
    actions = ["merge_selected"]

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        # Not the "country" field itself: the admin would rebuild 250 choices for every row.
        return country_name(obj.country.code)


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option is the related object its row already loaded (``preloaded``).

    Django's widget asks the database for the selected option of every row: a person with six
    areas and three jobs cost nine queries more on their page.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        to_field = getattr(self.field.remote_field, "field_name", None)
        if (
            self.preloaded is None
            or selected != {str(self.preloaded.pk)}
            or to_field not in (None, self.field.remote_field.model._meta.pk.name)
        ):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(self.preloaded)
        options.append(self.create_option(name, self.preloaded.pk, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedRelationsForm(forms.ModelForm):
    """Gives each ``PreloadedAutocompleteSelect`` the related object the instance holds already."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's add/change wrapper
            if isinstance(widget, PreloadedAutocompleteSelect):
                model_field = self.instance._meta.get_field(name)
                if model_field.is_cached(self.instance):
                    widget.preloaded = model_field.get_cached_value(self.instance)


class PreloadedAutocompleteInlineMixin:
    """Inline rows read with ``select_related`` the relations named in ``preloaded_relations``, whose
    autocomplete widgets then show the loaded object instead of asking for it row by row."""

    form = PreloadedRelationsForm
    preloaded_relations = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.preloaded_relations)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.preloaded_relations and db_field.name in self.get_autocomplete_fields(request):
            widget = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs.setdefault("widget", widget)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AffiliationInline(PreloadedAutocompleteInlineMixin, ProtectedFormFieldsMixin, admin.TabularInline):
    model = Affiliation
    fields = ["organization", "title", "title_zh", "start_date", "end_date", "is_current"]
    autocomplete_fields = ["organization"]
    preloaded_relations = ["organization"]
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
    fields = ["kind", "value", "label", "is_primary", "source", "last_confirmed", "marked_wrong"]
    extra = 0


class PersonExpertiseInline(PreloadedAutocompleteInlineMixin, ProtectedFormFieldsMixin, admin.TabularInline):
    model = PersonExpertise
    fields = ["area", "appearance", "note"]
    autocomplete_fields = ["area"]
    # The appearance's option keeps its own query: it names a person, whom the user may not see.
    preloaded_relations = ["area", "person"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The evidence picker offers this person's own appearances only (a handful), not everyone's.
        if db_field.name == "appearance":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            appearances = db_field.remote_field.model.objects
            appearances = appearances.filter(person_id=object_id) if str(object_id).isdigit() else appearances.none()
            kwargs["queryset"] = appearances.select_related("session__event", "person", "organization")
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            formfield.choices = list(formfield.choices)  # read once for every row of the inline
            return formfield
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HeldExpertiseListFilter(ExpertiseListFilter):
    """The expertise filter for people, reading the holders straight from the expertise links.

    ``person IN (SELECT person_id FROM expertise links …)`` skips the join back to every person
    that the generic filter's subquery makes (PostgreSQL, 100,000 people: 224 → 77 ms).
    """

    def queryset(self, request, queryset):
        area = self.selected_area()
        if area is None:
            return queryset
        holders = PersonExpertise.objects.filter(area__path__startswith=area.path).values("person_id")
        return queryset.filter(pk__in=holders)


class PersonChangeList(ChangeList):
    """The person list without DISTINCT where no filter in use can repeat a row.

    Django asks for DISTINCT whenever a filter on a to-many path is in use, but the expertise
    filter narrows through a subquery (``pk IN (…)``) and never repeats a person, and DISTINCT
    over every person of a broad area costs more than the rest of the page.
    """

    def get_filters(self, request):
        specs, has_filters, remaining, may_have_duplicates, has_active = super().get_filters(request)
        if may_have_duplicates:
            may_have_duplicates = any(lookup_spawns_duplicates(self.lookup_opts, key) for key in remaining) or any(
                lookup_spawns_duplicates(self.lookup_opts, spec.field_path)
                for spec in specs
                if isinstance(spec, admin.FieldListFilter)
                and not isinstance(spec, ExpertiseListFilter)
                and spec.used_parameters
            )
        return specs, has_filters, remaining, may_have_duplicates, has_active

    def get_results(self, request):
        # Everyone, unfiltered: PostgreSQL's estimate instead of counting every person on every view
        # (partners/counting.py); the pagination says "about". A filter or a search counts exactly.
        counted = None if self.has_active_filters or self.query else count_or_estimate(self.queryset)
        self.result_count_is_estimate = counted is not None and counted[1]
        request.person_count_estimate = counted[0] if counted is not None else None
        super().get_results(request)
        self.result_list = list(self.result_list)
        attach_list_columns(self.result_list)

    def url_for_result(self, result):
        # One reverse() per page instead of one per row, with the list's filters kept for the way back.
        if not hasattr(self, "_change_url"):
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=("__pk__",),
                current_app=self.model_admin.admin_site.name,
            )
            context = {"preserved_filters": self.preserved_filters, "opts": self.opts}
            self._change_url = add_preserved_filters(context, url)
            # What the admin would add to each row's link by resolving that link again (per row).
            self.preserved_filters = ""
        return self._change_url.replace("__pk__", str(quote(result.pk)), 1)


@functools.cache
def boolean_icon(value):
    """Django's yes/no icon, built once per value (the admin resolves the static URL for every cell)."""
    return _boolean_icon(value)


@admin.register(Person)
class PersonAdmin(
    AdminAdditionsMixin, ProtectedAdminMixin, VersionedAdminMixin, RelatedHistoryAdminMixin, SimpleHistoryAdmin
):
    """People; conference, contact_sheets, importing and duplicates add their parts (``admin_additions``)."""

    list_display = [
        "full_name",
        "name_zh",
        "country_name",
        "current_organizations",
        "primary_email",
        "expertise_list",
        "sensitive_mark",
        "do_not_contact_mark",
    ]
    list_select_related = []
    list_filter = [
        ("expertise_links__area", HeldExpertiseListFilter),
        ("country", CountryDropdownFilter),
        OrganizationKindListFilter,
        "languages",
        "consent",
        "do_not_contact",
        "sensitive",
    ]
    # What get_search_results (below) searches, as one UNION per word; full_name holds the given
    # and family names.
    search_fields = [
        "full_name",
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
    inlines = [AffiliationInline, ContactMethodInline, PersonExpertiseInline]
    # Edited inline with the person: listed on its history page and in a refused save.
    related_histories = ["contact_methods", "affiliations", "expertise_links"]
    # At 100,000 people a second COUNT(*) of everyone on each filtered page is not worth it.
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return PersonChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # PersonChangeList.get_results leaves the count or the estimate (or None) on the request.
        return EstimatedCountPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            estimate=getattr(request, "person_count_estimate", None),
        )

    def get_search_results(self, request, queryset, search_term):
        """Every word must match (see ``people_matching``); no DISTINCT needed, so none is asked for.

        Words as the candidate finder takes them (``textsearch.join_words``): 「T 簽證」 is one word,
        as 「T簽證」; a quoted phrase is one word."""
        tokens = []
        for word in smart_split(search_term):
            if word[:1] in "\"'" and word[-1:] == word[:1] and len(word) > 1:
                word = unescape_string_literal(word)
            tokens.append(word)
        for word in textsearch.join_words(tokens):
            queryset = queryset.filter(pk__in=people_matching(word))
        return queryset, False

    def get_queryset(self, request):
        # The list's related columns are read by PersonChangeList.get_results for its page only.
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        # Django's own markup, without rendering a form-widget template for each of 100 rows.
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        # Not the "country" field itself: the admin would rebuild 250 choices for every row.
        return country_name(obj.country.code)

    @admin.display(description=_("current organization"))
    def current_organizations(self, obj):
        return "; ".join(obj.list_columns["organizations"])

    @admin.display(description=_("primary e-mail"))
    def primary_email(self, obj):
        return obj.list_columns["email"]

    @admin.display(description=_("expertise"))
    def expertise_list(self, obj):
        return "; ".join(sorted(set(obj.list_columns["expertise"])))

    @admin.display(description=_("sensitive"), ordering="sensitive")
    def sensitive_mark(self, obj):
        return boolean_icon(obj.sensitive)

    @admin.display(description=_("do not contact"), ordering="do_not_contact")
    def do_not_contact_mark(self, obj):
        return boolean_icon(obj.do_not_contact)


@admin.register(Affiliation)
class AffiliationAdmin(ProtectedAdminMixin, BumpsParentVersionMixin, ReadableHistoryAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "organization", "title", "title_zh", "start_date", "end_date", "is_current"]
    list_select_related = ["person", "organization"]
    list_filter = ["is_current", "organization__kind"]
    search_fields = ["person__full_name", "person__name_zh", "organization__name", "organization__name_zh", "title"]
    autocomplete_fields = ["person", "organization"]

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible)


@admin.register(ContactMethod)
class ContactMethodAdmin(ProtectedAdminMixin, BumpsParentVersionMixin, ReadableHistoryAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "kind", "value", "label", "is_primary", "last_confirmed"]
    list_select_related = ["person"]
    list_filter = ["kind", "is_primary"]
    search_fields = ["value", "person__full_name", "person__name_zh"]
    autocomplete_fields = ["person"]

    def get_queryset(self, request):
        visible = Person.objects.visible_to(request.user)
        return super().get_queryset(request).filter(person__in=visible)


@admin.register(PersonExpertise)
class PersonExpertiseAdmin(ProtectedAdminMixin, BumpsParentVersionMixin, ReadableHistoryAdminMixin, SimpleHistoryAdmin):
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


@admin.register(ExportPurpose)
class ExportPurposeAdmin(ProtectedAdminMixin, admin.ModelAdmin):
    """The purposes offered when someone exports (administrators keep the list)."""

    list_display = ["name", "name_zh", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["name", "name_zh"]


class ExportedPersonFilter(admin.SimpleListFilter):
    """``?person=ID``: the exports that included that person ("who has exported this person's details?").

    No list of choices (people are many; the person's page links here); the chosen id shows as one.
    """

    title = _("person (id)")
    parameter_name = "person"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, f"#{value}")] if value and value.isdigit() else []

    def has_output(self):
        return bool(self.value())  # shown while in use, to be cleared

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**ExportLog.person_ids_lookup(value))


class PrintedOrDownloadedFilter(admin.SimpleListFilter):
    title = _("printed or downloaded")
    parameter_name = "way"

    def lookups(self, request, model_admin):
        return [("printed", _("Printed")), ("downloaded", _("Downloaded"))]

    def queryset(self, request, queryset):
        if self.value() == "printed":
            return queryset.printed()
        if self.value() == "downloaded":
            return queryset.downloaded()
        return queryset


PURPOSE_DETAIL_SHOWN = 60  # characters of an export's stated purpose shown in the log's list (all on the entry)


@admin.register(ExportLog)
class ExportLogAdmin(ProtectedAdminMixin, admin.ModelAdmin):
    """The export log: read by administrators (``view_exportlog``), added to, changed and deleted by no one.

    Formats and sources are shown as words; printing a sheet is told apart from downloading a file.
    """

    # Seven narrow columns, so the whole row fits beside the sidebar and the filters at 1366 px:
    # printed/downloaded and the format share one, the purpose and its words (cut short) another.
    list_display = [
        "created",
        "username",
        "what",
        "purpose_and_detail",
        "source",
        "row_count",
        "included_sensitive",
    ]
    list_select_related = ["purpose"]
    list_filter = [
        ("user", admin.RelatedOnlyFieldListFilter),
        "purpose",
        "created_at",
        ExportedPersonFilter,
        PrintedOrDownloadedFilter,
        "format",
        "source",
        "included_sensitive",
    ]
    search_fields = ["username", "purpose_detail"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created",
        "user",
        "username",
        "purpose",
        "purpose_detail",
        "format",
        "source",
        "row_count",
        "person_ids",
        "filters",
        "included_sensitive",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("printed or downloaded"))
    def printed_or_downloaded(self, obj):
        return _("Printed") if obj.printed else _("Downloaded")

    @admin.display(description=_("printed or downloaded"), ordering="format")
    def what(self, obj):
        if obj.printed:
            return _("Printed")
        return format_html("{}<br><small>{}</small>", _("Downloaded"), obj.get_format_display())

    @admin.display(description=_("purpose"), ordering="purpose")
    def purpose_and_detail(self, obj):
        detail = obj.purpose_detail
        if not detail:
            return obj.purpose or "-"
        short = Truncator(detail).chars(PURPOSE_DETAIL_SHOWN)
        return format_html(
            '{}<br><small title="{}">{}</small>', obj.purpose or "", detail if short != detail else "", short
        )

    @admin.display(description=_("when (Taipei time)"), ordering="created_at")
    def created(self, obj):
        from django.utils import timezone

        return timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M")

"""Admin list filters for partners."""

from html import escape

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from partners.models import ExpertiseArea, Organization


class ExpertiseListFilter(admin.FieldListFilter):
    """Filter by an expertise area *and everything below it* in the taxonomy.

    Use as ``(field_path, ExpertiseListFilter)`` where ``field_path`` ends at an
    ``ExpertiseArea`` relation. The sidebar offers the top two levels (a
    2,000-area taxonomy would drown it); any area id works in the URL.
    Filters through a subquery, so no row appears twice and no DISTINCT is needed.
    """

    list_depth = 2

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.parameter_name = f"{field_path}__under"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("expertise (with sub-areas)")
        value = self.used_parameters.get(self.parameter_name)
        self.value = value[-1] if isinstance(value, list) else value

    def expected_parameters(self):
        return [self.parameter_name]

    def listed_areas(self):
        """The areas the sidebar lists, and the chosen one wherever it sits: one query, kept for the request."""
        if not hasattr(self, "_areas"):
            chosen = Q()
            if self.value:
                try:
                    chosen = Q(pk=int(self.value))
                except ValueError as error:
                    raise IncorrectLookupParameters(error) from error
            self._areas = list(ExpertiseArea.objects.filter(Q(depth__lte=self.list_depth) | chosen))
        return self._areas

    def selected_area(self):
        if not self.value:
            return None
        for area in self.listed_areas():
            if str(area.pk) == str(self.value).strip():
                return area
        raise IncorrectLookupParameters(f"no expertise area {self.value!r}")

    def queryset(self, request, queryset):
        area = self.selected_area()
        if area is None:
            return queryset
        matching = queryset.model._default_manager.filter(**{f"{self.field_path}__path__startswith": area.path}).values(
            "pk"
        )
        return queryset.filter(pk__in=matching)

    def choices(self, changelist):
        yield {
            "selected": not self.value,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }
        for area in self.listed_areas():
            yield {
                "selected": str(area.pk) == str(self.value),
                "query_string": changelist.get_query_string({self.parameter_name: area.pk}),
                "display": "\u2003" * (area.depth - 1) + area.label,
            }


class OrganizationKindListFilter(admin.SimpleListFilter):
    """People by the kind of organization they currently work for."""

    title = _("organization kind")
    parameter_name = "organization_kind"

    def lookups(self, request, model_admin):
        return Organization.Kind.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        matching = queryset.model._default_manager.filter(
            affiliations__is_current=True, affiliations__organization__kind=self.value()
        ).values("pk")
        return queryset.filter(pk__in=matching)


class DropdownFilterMixin:
    """A list filter with hundreds of choices, shown as one drop-down list instead of a link for each.

    For a field filter with ``lookup_kwarg``, ``lookup_val`` and choices as ``(value, label)``
    pairs (``dropdown_choices``). The drop-down sits in a small GET form that carries the list's
    other parameters (search, other filters, ordering), so choosing submits the same list with
    this filter changed; ``partners/list_filter.js`` submits on change, the button works without
    JavaScript. Building the options in Python spares a query string and a template rendering
    per choice: 420 events and 250 countries made the sidebar the person list's costliest part.
    No "empty" choice is offered: use it for filters without one.
    """

    template = "admin/partners/dropdown_filter.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "All" submitted by the form without JavaScript: an empty value, not a filter on "".
        chosen = [value for value in self.used_parameters.pop(self.lookup_kwarg, []) if value != ""]
        if chosen:
            self.used_parameters[self.lookup_kwarg] = chosen
        self.lookup_val = chosen or None

    def dropdown_choices(self):
        return self.lookup_choices

    def choices(self, changelist):
        own = set(self.expected_parameters())
        hidden = [
            (key, value) for key, values in changelist.filter_params.items() if key not in own for value in values
        ]
        selected = {str(value) for value in self.lookup_val or ()}
        # Hundreds of options: escaped directly rather than through format_html for each.
        options = mark_safe(
            "".join(
                f'<option value="{escape(str(value))}"{" selected" if str(value) in selected else ""}>'
                f"{escape(str(label))}</option>"
                for value, label in self.dropdown_choices()
            )
        )
        yield {
            "name": self.lookup_kwarg,
            "hidden": hidden,
            "options": options,
            "selected": bool(selected),
        }


class CountryDropdownFilter(DropdownFilterMixin, admin.ChoicesFieldListFilter):
    """Countries (about 250) as a drop-down list."""

    def dropdown_choices(self):
        return [(value, label) for value, label in self.field.flatchoices if value]


class RelatedDropdownFilter(DropdownFilterMixin, admin.RelatedFieldListFilter):
    """A relation with many rows (events, workshops) as a drop-down list."""

"""Admin list filters for partners."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
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

    def selected_area(self):
        if not self.value:
            return None
        try:
            return ExpertiseArea.objects.get(pk=int(self.value))
        except (ValueError, ExpertiseArea.DoesNotExist) as error:
            raise IncorrectLookupParameters(error) from error

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
        areas = list(ExpertiseArea.objects.filter(depth__lte=self.list_depth))
        selected = self.selected_area()
        if selected is not None and selected.depth > self.list_depth:
            areas.append(selected)
        for area in areas:
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

"""The candidate finder's filters: the same query string always gives the same people, ranked the same way."""

from html import escape

import django_filters
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.forms.utils import flatatt
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from conference import selectors
from conference.models import Candidacy, Event, Session
from partners.countries import country_choices
from partners.models import ExpertiseArea, Language, Organization, Person, PersonExpertise


class QuickSelect(forms.Select):
    """Renders the options in Python rather than one template per option.

    The country list holds 250 countries: through Django's widget templates it alone
    would cost tens of milliseconds a page; this way, one.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attributes = self.build_attrs(self.attrs, attrs)
        attributes["name"] = name
        selected = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = str(option_value)
            mark = " selected" if option_value in selected else ""
            options.append(f'<option value="{escape(option_value)}"{mark}>{escape(str(label))}</option>')
        return mark_safe(f"<select{flatatt(attributes)}>{''.join(options)}</select>")


class FinderAutocompleteMixin:
    """The admin's select2 picker, searching through the finder's own endpoint (``candidates-autocomplete``).

    Only the chosen options are in the page: the expertise list holds the whole taxonomy
    (2,000 areas at scale) and the event list every event, which as plain selects made
    up half of the page's size and a third of its rendering time. ``relation`` is the model
    field whose target the picker searches (e.g. ``PersonExpertise.area``): the admin's
    search fields of that model apply.
    """

    def __init__(self, relation, attrs=None):
        super().__init__(relation, admin.site, attrs={"data-width": "100%", **(attrs or {})})

    def get_url(self):
        return reverse("candidates-autocomplete")


class FinderAutocomplete(FinderAutocompleteMixin, AutocompleteSelect):
    pass


class FinderAutocompleteMultiple(FinderAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class CandidateFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("workshop"):
            for name in ("suitability", "status"):
                if cleaned_data.get(name):
                    self.add_error(name, _("Choose a workshop to filter by its suitability or invitation status."))
        return cleaned_data


class CandidateFilter(django_filters.FilterSet):
    """People for the candidate finder (``/candidates/``), narrowed by the query string, then ranked.

    Ranking: by the chosen workshop's themes when it has any, otherwise by the chosen
    expertise areas; with neither, everyone by name (``score`` None). The expertise
    filter also narrows: with a workshop, it keeps the people holding one of the chosen
    areas (or an area below). Suitability and status refer to the chosen workshop.
    Always left out, whatever the query string: do-not-contact people and people the
    user may not see. Every narrowing filter is a subquery (see ``conference.selectors``).

    ``user`` (default ``request.user``) decides who may be seen; pass it when there is
    no request (a management command).
    """

    workshop = django_filters.ModelChoiceFilter(
        label=_("Workshop"),
        queryset=Event.objects.workshops(),
        method="filter_workshop",
        widget=QuickSelect,
        help_text=_("Ranks people by the workshop's themes and shows where they stand for it."),
    )
    expertise = django_filters.ModelMultipleChoiceFilter(
        label=_("Expertise"),
        queryset=ExpertiseArea.objects.all(),
        method="filter_expertise",
        widget=FinderAutocompleteMultiple(PersonExpertise._meta.get_field("area")),
        help_text=_(
            "An area includes every area below it. Type part of a name to find it; choose as many as you like."
        ),
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_("Names in either script, organization, bio or expertise; every word must match."),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, method="filter_country", widget=QuickSelect
    )
    organization_kind = django_filters.ChoiceFilter(
        label=_("Organization kind"),
        choices=Organization.Kind.choices,
        method="filter_organization_kind",
        widget=QuickSelect,
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language spoken"), queryset=Language.objects.all(), method="filter_language", widget=QuickSelect
    )
    event = django_filters.ModelChoiceFilter(
        label=_("Spoke at"),
        queryset=Event.objects.only("pk", "name", "name_zh", "start_date"),
        method="filter_event",
        widget=FinderAutocomplete(Session._meta.get_field("event")),
    )
    suitability = django_filters.MultipleChoiceFilter(
        label=_("Suitability for the workshop"),
        choices=Candidacy.Suitability.choices,
        method="filter_suitability",
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Invitation status"),
        choices=Candidacy.Status.choices,
        method="filter_status",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = []
        form = CandidateFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        # Always bound: an unbound FilterSet would skip filter_queryset, and with it
        # the ranking and the visibility rules.
        super().__init__(QueryDict() if data is None else data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)

    @property
    def chosen_workshop(self):
        """The chosen workshop, or None (also when the query string names none that exists)."""
        self.is_valid()  # validates once; cleaned_data then holds every valid field
        return self.form.cleaned_data.get("workshop")

    @cached_property
    def themes(self):
        workshop = self.chosen_workshop
        return list(workshop.themes.all()) if workshop else []

    @property
    def ranking_areas(self):
        """The areas people are ranked by: the workshop's themes, else the chosen expertise."""
        self.is_valid()
        return self.themes or list(self.form.cleaned_data.get("expertise") or [])

    @cached_property
    def ranking_plan(self):
        """The ``RankingPlan`` of ``ranking_areas`` (None without them), read once for the page and its count."""
        areas = self.ranking_areas
        return selectors.ranking_plan(areas, workshop=self.chosen_workshop) if areas else None

    @cached_property
    def narrowed(self):
        """The people the narrowing filters leave, neither ranked nor excluded yet (a ``Person`` queryset)."""
        self.is_valid()  # fills cleaned_data, as ``qs`` does
        return super().filter_queryset(self.queryset.all())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.ranking_plan is not None:
            queryset = selectors.candidates_for_areas(
                self.ranking_areas, user=self.user, people=queryset, plan=self.ranking_plan
            )
        else:
            queryset = selectors.all_candidates(user=self.user, people=queryset)
        return selectors.with_workshop_candidacies(queryset, workshop=self.chosen_workshop)

    def pages(self):
        """What the finder pages through: ``RankedCandidates`` when ranking (a page at a time), else ``qs``.

        The same people in the same order as ``qs``, which a contact sheet of the selection reads whole;
        ranking, ``qs`` itself is not built.
        """
        if self.ranking_plan is None:
            return self.qs
        return selectors.ranked_candidates(
            self.ranking_areas, user=self.user, people=self.narrowed, plan=self.ranking_plan
        )

    def filter_workshop(self, queryset, name, value):
        return queryset  # ranks rather than narrows: see filter_queryset

    def filter_expertise(self, queryset, name, value):
        if not value or not self.themes:
            return queryset  # without themes, the expertise ranks (and so narrows) in filter_queryset
        return selectors.people_with_expertise_under(queryset, value)

    def filter_text(self, queryset, name, value):
        return selectors.people_matching_text(queryset, value)

    def filter_country(self, queryset, name, value):
        return selectors.people_in_country(queryset, value)

    def filter_organization_kind(self, queryset, name, value):
        return selectors.people_working_for_kind(queryset, value)

    def filter_language(self, queryset, name, value):
        return selectors.people_speaking(queryset, value)

    def filter_event(self, queryset, name, value):
        return selectors.people_who_spoke_at(queryset, value)

    def filter_suitability(self, queryset, name, value):
        if not value or not self.chosen_workshop:
            return queryset
        return selectors.people_by_suitability(queryset, workshop=self.chosen_workshop, suitabilities=value)

    def filter_status(self, queryset, name, value):
        if not value or not self.chosen_workshop:
            return queryset
        return selectors.people_by_status(queryset, workshop=self.chosen_workshop, statuses=value)


def candidate_filter(request):
    """The finder's ``CandidateFilter`` for ``request.GET`` and ``request.user``."""
    return CandidateFilter(request.GET, request=request)


def finder_queryset(request):
    """The people the candidate finder shows for this request's query string, ranked, unpaginated.

    For other pages that take the finder's selection (the contact-sheet export): the same
    query string gives the same people in the same order, with the same exclusions.
    """
    return candidate_filter(request).qs

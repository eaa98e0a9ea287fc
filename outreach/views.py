"""Staff pages of outreach: the contacts to reconfirm and the overview in charts (the admin's look)."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from conference.models import Event
from outreach import selectors
from outreach.services import confirm_contact_details
from partners.countries import country_name
from partners.models import Person

PAGE_SIZE = 50


@staff_member_required
@permission_required("partners.view_person", raise_exception=True)
@require_http_methods(["GET"])
def reconfirm(request):
    """People whose contact details are due for confirming, candidates of an upcoming workshop first."""
    people = selectors.people_to_reconfirm(request.user)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.reconfirm_columns(list(page.object_list))
    context = {
        **admin.site.each_context(request),
        "title": _("Contacts to reconfirm"),
        "page": page,
        "rows": rows,
        "before": selectors.reconfirm_before(),
        "can_confirm": request.user.has_perm("partners.change_person"),
    }
    return TemplateResponse(request, "outreach/reconfirm.html", context)


@staff_member_required
@permission_required("partners.change_person", raise_exception=True)
@require_POST
def confirm(request, person_id):
    """One step: the person's contact details confirmed today, by the user; back to the list."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    confirm_contact_details(person, by=request.user)
    messages.success(request, _("Contact details of %(person)s confirmed today.") % {"person": person})
    page = request.POST.get("page", "")
    return redirect(reverse("reconfirm") + (f"?page={page}" if page.isdigit() else ""))


def _chart(chart_id, title, kind, labels, datasets, headers, rows, *, note="", label_columns=1):
    """One chart's description for overview.js, and the same numbers as a table (its first
    ``label_columns`` columns name the row, the others are numbers)."""
    return {
        "label_columns": label_columns,
        "id": chart_id,
        "title": title,
        "type": kind,
        "labels": labels,
        "datasets": datasets,
        "headers": headers,
        "rows": rows,
        "note": note,
    }


@staff_member_required
@permission_required("partners.view_person", raise_exception=True)
@require_http_methods(["GET"])
def overview(request):
    """Where Liaison's contacts are, in five charts, each with its table; only people the user may see count."""
    user = request.user
    workshops = list(Event.objects.workshops().order_by(F("start_date").desc(nulls_first=True), "name"))
    chosen = request.GET.get("workshop", "")
    workshop = next((w for w in workshops if str(w.pk) == chosen), None) or selectors.next_workshop()

    invisible = selectors.invisible_person_ids(user)
    coverage = selectors.expertise_coverage(user, invisible=invisible)
    pipeline = selectors.pipeline_counts(workshop, user, invisible=invisible)
    by_country = selectors.people_by_country(user)
    countries = selectors.contacts_by_country(by_country)
    regions = selectors.contacts_by_region(by_country)
    years = selectors.conferences_per_year(user, invisible=invisible)
    reconfirm = selectors.reconfirm_counts(by_country)

    people_label, workshops_label = _("People with this expertise"), _("Upcoming workshops asking for it")
    country_label = _("People")
    charts = [
        _chart(
            "expertise",
            _("People by expertise area, against the themes of upcoming workshops"),
            "bar",
            [row.area.label for row in coverage],
            [
                {"label": str(people_label), "data": [row.people for row in coverage]},
                {
                    "label": str(workshops_label),
                    "data": [row.upcoming_workshops for row in coverage],
                    "axis": "secondary",
                },
            ],
            [_("Expertise area"), people_label, workshops_label],
            [[row.area.label, row.people, row.upcoming_workshops] for row in coverage],
            note=_("An area that upcoming workshops ask for but few people hold is where to look for speakers."),
        ),
        _chart(
            "pipeline",
            _("Invitation pipeline: %(workshop)s") % {"workshop": workshop} if workshop else _("Invitation pipeline"),
            "funnel",
            [str(label) for _value, label, _count in pipeline],
            [{"label": str(_("Candidacies")), "data": [count for _value, _label, count in pipeline]}],
            [_("Invitation status"), _("Candidacies")],
            [[label, count] for _value, label, count in pipeline],
            note="" if workshop else _("No workshop yet."),
        ),
        _chart(
            "countries",
            _("Contacts by country"),
            "bar",
            [country_name(code) or _("Other or none") for code, _count in countries],
            [{"label": str(country_label), "data": [count for _code, count in countries]}],
            [_("Country"), country_label],
            [[country_name(code) or _("Other or none"), count] for code, count in countries],
        ),
        _chart(
            "regions",
            _("Contacts by region"),
            "bar",
            [str(sub_region or _("Other or none")) for _continent, sub_region, _count in regions],
            [{"label": str(country_label), "data": [count for _c, _s, count in regions]}],
            [_("Continent"), _("Region"), country_label],
            [[continent, sub_region or _("Other or none"), count] for continent, sub_region, count in regions],
            note=_("Regions of the UN M49 standard (as in CLDR)."),
            label_columns=2,
        ),
        _chart(
            "years",
            _("Conferences per year, with their speakers"),
            "bar",
            [str(year) for year, _c, _s in years],
            [
                {"label": str(_("Conferences")), "data": [count for _y, count, _s in years], "axis": "secondary"},
                {"label": str(_("Speakers")), "data": [speakers for _y, _c, speakers in years]},
            ],
            [_("Year"), _("Conferences"), _("Speakers")],
            [[year, count, speakers] for year, count, speakers in years],
        ),
        _chart(
            "reconfirm",
            _("Contacts to reconfirm"),
            "doughnut",
            [str(_("Confirmed recently")), str(_("Confirmed too long ago")), str(_("Never confirmed"))],
            [{"label": str(country_label), "data": [reconfirm["current"], reconfirm["stale"], reconfirm["never"]]}],
            [_("Contact details"), country_label],
            [
                [_("Confirmed recently"), reconfirm["current"]],
                [_("Confirmed too long ago"), reconfirm["stale"]],
                [_("Never confirmed"), reconfirm["never"]],
                [_("E-mail marked wrong or bounced"), reconfirm["wrong_email"]],
            ],
            note=_("Confirmed recently: since %(date)s.") % {"date": selectors.reconfirm_before().isoformat()},
        ),
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Overview"),
        "charts": charts,
        "chart_data": [{key: chart[key] for key in ("id", "type", "labels", "datasets")} for chart in charts],
        "workshops": workshops,
        "workshop": workshop,
    }
    return TemplateResponse(request, "outreach/overview.html", context)

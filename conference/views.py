"""Staff pages in the admin's look: the candidate finder and the assessment of selected candidates."""

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from conference import selectors
from conference.filters import candidate_filter
from conference.forms import AssessForm
from conference.models import Candidacy, Event
from conference.ranking import Weights
from conference.services import assess_candidates
from conference.textmatch import with_text_matches
from partners.models import Person

PAGE_SIZE = 50


@staff_member_required
@permission_required("partners.view_person", raise_exception=True)
@cache_control(no_store=True)  # names, e-mails and phones: never kept in a cache
def candidate_finder(request):
    """Candidates ranked by fit for the query string's workshop or expertise, a page at a time."""
    filterset = candidate_filter(request)
    # Ranked: a page of the links grouped by person and a capped count (RankedCandidates);
    # unranked: a page through the name index and a count.
    candidates = filterset.pages()
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": _("Candidate finder"),
        "is_nav_sidebar_enabled": False,  # the results need the width; the header and breadcrumbs lead back
        "filterset": filterset,
        "workshop": filterset.chosen_workshop,
        "ranking_areas": filterset.ranking_areas,
        "page": page,
        "rows": with_text_matches(
            selectors.candidate_rows(page.object_list, plan=filterset.ranking_plan),
            # A ranked search explains itself by its themes; a text search by where its words were found.
            "" if filterset.ranking_areas or not filterset.form.is_valid() else filterset.form.cleaned_data.get("q"),
        ),
        "count_is_capped": getattr(candidates, "count_is_capped", False),
        "weights": Weights,
        "can_assess": request.user.has_perm("conference.assess_candidacy"),
        "next": request.get_full_path(),
    }
    return TemplateResponse(request, "conference/candidate_finder.html", context)


class FinderAutocompleteView(AutocompleteJsonView):
    """What the finder's pickers search: the admin's autocomplete, for anyone who may use the finder.

    The finder's filter form offered every area and every event to the same people, so no
    model permission beyond the finder's is asked. Only the relations the pickers name
    (``conference.filters.FinderAutocompleteMixin``) are answered, never another model.
    """

    admin_site = admin.site
    sources = {("partners", "personexpertise", "area"), ("conference", "session", "event")}

    def process_request(self, request):
        source = tuple(request.GET.get(key) for key in ("app_label", "model_name", "field_name"))
        if source not in self.sources:
            raise PermissionDenied
        return super().process_request(request)

    def has_perm(self, request, obj=None):
        return True  # the decorators below asked for the finder's permission


candidate_autocomplete = staff_member_required(
    permission_required("partners.view_person", raise_exception=True)(FinderAutocompleteView.as_view())
)


def safe_next(request, url, fallback):
    allowed_hosts = {request.get_host()}
    # A path on this site only: anything else ("²", a view name, another host) goes to ``fallback``.
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=allowed_hosts, require_https=request.is_secure())
    ):
        return url
    return fallback


def _assess_context(request, form, people, workshop):
    return {
        **admin.site.each_context(request),
        "title": _("Assess candidates"),
        "form": form,
        "people": people,
        "workshop": workshop,
        "back": safe_next(request, form["next"].value(), reverse("candidates")),
    }


def assess_form_response(request, people, *, workshop=None, next_url=None):
    """The assessment form for ``people`` (a Person queryset), e.g. from an admin list action.

    Only people the user may see are listed. The form posts to the assessment page;
    afterwards the user returns to ``next_url`` (default: the current page).
    """
    people = list(Person.objects.visible_to(request.user).filter(pk__in=people.values("pk")).order_by("full_name"))
    form = AssessForm(
        initial={"person": people, "workshop": workshop, "next": next_url or request.get_full_path()},
        user=request.user,
    )
    return TemplateResponse(request, "conference/assess_form.html", _assess_context(request, form, people, workshop))


def assess_candidacies_response(request, candidacies):
    """The assessment form for the people of ``candidacies``, for their workshop when they share one."""
    workshop_ids = set(candidacies.values_list("workshop_id", flat=True))
    workshop = Event.objects.get(pk=workshop_ids.pop()) if len(workshop_ids) == 1 else None
    people = Person.objects.filter(pk__in=candidacies.values("person_id"))
    return assess_form_response(request, people, workshop=workshop)


@staff_member_required
@permission_required("conference.assess_candidacy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assess(request):
    """Assess selected people for a workshop in three steps: form → confirmation page → saved.

    GET ``?person=…&person=…&workshop=…&next=…`` shows the form (with no one ticked, it
    returns to ``next`` with a message); a valid POST shows the confirmation page listing the
    people; POST with ``confirm`` saves through ``assess_candidates`` and returns to
    ``next`` (when it is on this site; otherwise to the workshop's page). Only people the
    user may see can be assessed.
    """
    if request.method == "GET":
        next_url = safe_next(request, request.GET.get("next"), reverse("candidates"))
        ids = [value for value in request.GET.getlist("person") if value.isdigit()]
        if not ids:
            # "Tag selected…" with nobody ticked: back where the user was, saying why.
            messages.warning(request, _("Tick the people to tag first, then choose “Tag selected…”."))
            return redirect(next_url)
        people = Person.objects.filter(pk__in=ids)
        workshop_id = request.GET.get("workshop", "")
        workshop = Event.objects.workshops().filter(pk=workshop_id).first() if workshop_id.isdigit() else None
        return assess_form_response(request, people, workshop=workshop, next_url=next_url)

    form = AssessForm(request.POST, user=request.user)
    if not form.is_valid():
        people = form.cleaned_data.get("person") or []
        context = _assess_context(request, form, people, form.cleaned_data.get("workshop"))
        return TemplateResponse(request, "conference/assess_form.html", context)

    people = list(form.cleaned_data["person"])
    workshop = form.cleaned_data["workshop"]
    suitability = form.cleaned_data["suitability"]
    if "confirm" not in request.POST:
        current = {
            candidacy.person_id: candidacy
            for candidacy in Candidacy.objects.filter(workshop=workshop, person__in=people)
        }
        context = {
            **_assess_context(request, form, people, workshop),
            "title": _("Confirm the assessment"),
            "rows": [(person, current.get(person.pk)) for person in people],
            "suitability_label": Candidacy.Suitability(suitability).label,
        }
        return TemplateResponse(request, "conference/assess_confirm.html", context)

    try:
        result = assess_candidates(
            people, workshop=workshop, suitability=suitability, reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as error:
        form.add_error(None, error)
        context = _assess_context(request, form, people, workshop)
        return TemplateResponse(request, "conference/assess_form.html", context)
    messages.success(
        request,
        ngettext(
            "Recorded “%(suitability)s” for %(count)d person for %(workshop)s (%(created)d new, %(updated)d updated).",
            "Recorded “%(suitability)s” for %(count)d people for %(workshop)s (%(created)d new, %(updated)d updated).",
            result.count,
        )
        % {
            "suitability": Candidacy.Suitability(suitability).label,
            "count": result.count,
            "workshop": workshop,
            "created": len(result.created),
            "updated": len(result.updated),
        },
    )
    fallback = reverse("admin:conference_event_change", args=[workshop.pk])
    return redirect(safe_next(request, form.cleaned_data["next"], fallback))

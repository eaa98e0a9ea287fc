"""The access log's hook into every page: no view needs to know about it.

Before a page of ``access.PERSON_PAGES`` runs, the person it shows is looked up *as the user may
see them* (``Person.objects.visible_to``): someone who may not see a protected person passes
through untouched and gets the page's own 404, and no line names the person. For those who may,
a protected person's page first asks for a reason (once a session) and each view then writes a
line. After a page of ``access.PEOPLE_LISTS`` is built (before it is rendered), one line says how
many protected people it showed.
"""

from django.template.response import TemplateResponse

from privacy.access import PEOPLE_LISTS, PERSON_PAGES, guard_person_access, log_bulk_access, person_shown


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        page = PERSON_PAGES.get(match.view_name) if match is not None else None
        if page is None or not request.user.is_authenticated or "object_id" not in view_kwargs:
            return None
        view, lookup = page
        person = person_shown(request, lookup, view_kwargs["object_id"])
        return guard_person_access(request, person, view=view)

    def process_template_response(self, request, response):
        match = request.resolver_match
        listing = PEOPLE_LISTS.get(match.view_name) if match is not None else None
        if listing is not None and isinstance(response, TemplateResponse) and response.status_code == 200:
            view, people_of = listing
            log_bulk_access(request, people_of(response), view=view)
        return response

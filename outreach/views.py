"""Staff pages of outreach: the contacts to reconfirm and the overview in charts (the admin's look)."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from conference.models import Event
from outreach import selectors
from outreach.services import confirm_contact_details
from partners.models import Person

PAGE_SIZE = 50


@staff_member_required
@permission_required("partners.view_person", raise_exception=True)
@require_http_methods(["GET"])
def reconfirm(request):
    """People whose contact details are due for confirming, candidates of an upcoming workshop first."""
    people = selectors.people_to_reconfirm(request.user)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    workshop_ids = {person.next_workshop_id for person in rows if person.next_workshop_id}
    workshops = Event.objects.in_bulk(workshop_ids) if workshop_ids else {}
    for person in rows:
        person.next_workshop = workshops.get(person.next_workshop_id)
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

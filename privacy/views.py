"""Staff pages of personal data: the reason asked before a protected record, and erasure on request."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.sessions import require_recent_login
from partners.models import Person
from privacy.access import access_reason, remember_access_reason
from privacy.forms import AccessReasonForm, ErasureForm
from privacy.services import ErasureRefused, erase_person


def safe_next(request, url, fallback):
    allowed_hosts = {request.get_host()}
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=allowed_hosts, require_https=request.is_secure()):
        return url
    return fallback


def visible_person(request, person_id):
    """The person ``person_id`` if ``request.user`` may see them; 404 otherwise (as for no such person)."""
    person = Person.objects.visible_to(request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404(_("No such record."))
    return person


@staff_member_required
@permission_required("partners.view_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def access_reason_view(request, person_id):
    """Before a protected person's record, once a session: why the user needs to see it.

    The page names the person only by number: the reason is asked before anything is shown.
    """
    person = visible_person(request, person_id)
    fallback = reverse("admin:partners_person_change", args=[person.pk])
    if request.method == "POST":
        form = AccessReasonForm(request.POST)
        if form.is_valid():
            remember_access_reason(request, person.pk, form.cleaned_data["reason"].strip())
            return redirect(safe_next(request, form.cleaned_data["next"], fallback))
    else:
        form = AccessReasonForm(
            initial={"next": request.GET.get("next", ""), "reason": access_reason(request, person.pk) or ""}
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Reason for viewing a protected record"),
        "form": form,
        "person_id": person.pk,
        "back": reverse("admin:partners_person_changelist"),
    }
    return TemplateResponse(request, "privacy/access_reason.html", context)


@staff_member_required
@permission_required("privacy.erase_person", raise_exception=True)
@require_recent_login  # a fresh sign-in before erasure (accounts/sessions.py)
@require_http_methods(["GET", "POST"])
def erase_person_view(request, person_id):
    """Erasure on request of one person: what goes and what stays, a reason, a confirmation; then erased."""
    person = visible_person(request, person_id)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = erase_person(person, reason=form.cleaned_data["reason"], by=request.user)
        except ErasureRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Person #%(id)d erased; the erasure record is #%(record)d.") % {"id": person.pk, "record": record.pk},
            )
            return redirect("admin:privacy_erasurerecord_changelist")
    context = {
        **admin.site.each_context(request),
        "title": _("Erase a person's data on request"),
        "person": person,
        "form": form,
        "counts": {
            _("jobs"): person.affiliations.count(),
            _("contact details"): person.contact_methods.count(),
            _("expertise"): person.expertise_links.count(),
            _("candidacies"): person.candidacies.count(),
        },
        "appearances": person.appearances.count(),
    }
    return TemplateResponse(request, "privacy/erase_person.html", context)

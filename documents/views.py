"""Downloads of the documents and the letters page; each download is written to the export log.

Who may do what: whoever may view an event downloads its trip report and its calendar (the
report's annex with contact details also needs ``partners.export_person``); letters and their
template need the coordinator's right, ``conference.assess_candidacy``.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from conference.models import Candidacy, Event
from conference.services import StatusStepRefused, allowed_next_statuses, change_candidacies_status
from documents import log
from documents.calendars import write_calendar
from documents.forms import LettersForm, MarkInvitedForm
from documents.jobs import start_letters_job
from documents.letters import current_template, default_template
from documents.models import LetterTemplate
from documents.reading import (
    calendar_entries,
    excluded_recipients_count,
    letter_recipients,
    read_trip_report,
)
from documents.trip_report import write_trip_report
from privacy.purposes import purpose_or_form

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPORT_PERMISSION = "partners.export_person"


def attachment(content, *, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_stem(event):
    year = f"{event.start_date:%Y}-" if event.start_date else ""
    return f"{year}{slugify(event.name) or event.pk}"


@staff_member_required
@permission_required("conference.view_event", raise_exception=True)
@require_GET
def trip_report(request, pk):
    """The conference's trip-report sections as DOCX; ``?contacts=1`` adds contact details to the annex."""
    event = get_object_or_404(Event.objects.conferences().select_related("organizer"), pk=pk)
    with_contacts = request.GET.get("contacts") == "1"
    if with_contacts and not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    purpose = None
    if with_contacts:  # contact details leave the system: for a stated purpose (privacy.purposes), like a sheet
        purpose, purpose_form = purpose_or_form(request, title=_("Trip report with contact details"))
        if purpose_form is not None:
            return purpose_form
    report = read_trip_report(event, with_contacts=with_contacts)
    content = write_trip_report(report)
    log.log_document(
        request.user,
        format="docx",
        kind=log.TRIP_REPORT,
        row_count=len(report.sessions),
        filters={"event": event.pk, "contacts": with_contacts},
        purpose=purpose,
        people=log.annex_people(event) if with_contacts else (),
    )
    return attachment(content, filename=f"trip-report-{file_stem(event)}.docx", content_type=DOCX)


@staff_member_required
@permission_required("conference.view_event", raise_exception=True)
@require_GET
def calendar(request, pk):
    """The event's sessions (and a workshop's dates) as an iCalendar file."""
    event = get_object_or_404(Event, pk=pk)
    entries = calendar_entries(event)
    if not entries:
        messages.error(request, _("This event has no dates or sessions yet, so there is no calendar to download."))
        return redirect("admin:conference_event_change", event.pk)
    content = write_calendar(event, entries)
    log.log_document(request.user, format="ics", kind=log.CALENDAR, row_count=len(entries), filters={"event": event.pk})
    return attachment(content, filename=f"{file_stem(event)}.ics", content_type="text/calendar; charset=utf-8")


@staff_member_required
@permission_required("conference.assess_candidacy", raise_exception=True)
@require_http_methods(["GET", "POST"])
def letters(request, pk):
    """Invitation letters for a workshop's candidates in one status, then (confirmed) mark them invited.

    GET ``?status=…`` lists who gets a letter. POST ``download`` starts a background job writing
    the listed people's letters (``documents.jobs``) and redirects to its page; nothing changes.
    POST ``mark_invited`` with the confirmation box ticked moves the listed candidacies to
    "invited" through the conference's status service.
    """
    workshop = get_object_or_404(Event.objects.workshops().select_related("organizer"), pk=pk)
    status = request.POST.get("status") or request.GET.get("status") or Candidacy.Status.SHORTLISTED
    if status not in Candidacy.Status.values:
        status = Candidacy.Status.SHORTLISTED
    recipients = letter_recipients(workshop, status=status, user=request.user)
    form = LettersForm(initial={**LettersForm.initial_for(request.user), "status": status})
    mark_form = MarkInvitedForm(initial={"candidacy": list(recipients)}, recipients=recipients)

    if request.method == "POST" and "download" in request.POST:
        form = LettersForm(request.POST)
        if form.is_valid():
            rows = list(recipients)
            if not rows:
                form.add_error(None, _("No candidate with this status can get a letter."))
            else:
                job = start_letters_job(
                    request.user,
                    workshop,
                    rows,
                    status=status,
                    layout=form.cleaned_data["layout"],
                    letter_date=form.cleaned_data["letter_date"],
                    contact=form.contact(),
                )
                return redirect(job)
    elif request.method == "POST" and "mark_invited" in request.POST:
        mark_form = MarkInvitedForm(request.POST, recipients=recipients)
        if mark_form.is_valid():
            try:
                count = change_candidacies_status(
                    mark_form.cleaned_data["candidacy"], status=Candidacy.Status.INVITED, by=request.user
                )
            except StatusStepRefused as refused:
                mark_form.add_error(None, refused.messages)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d candidacy marked “invited”.", "%(count)d candidacies marked “invited”.", count)
                    % {"count": count},
                )
                return redirect("admin:conference_event_change", workshop.pk)

    template_name, _content = current_template()
    context = {
        **admin.site.each_context(request),
        "title": _("Invitation letters"),
        "workshop": workshop,
        "status": status,
        "status_label": Candidacy.Status(status).label,
        "statuses": Candidacy.Status.choices,
        "recipients": recipients,
        "excluded": excluded_recipients_count(workshop, status=status, user=request.user),
        "form": form,
        "mark_form": mark_form,
        "can_mark_invited": Candidacy.Status.INVITED in allowed_next_statuses(status),
        "template_name": template_name or _("the default template"),
        "has_dates": bool(workshop.start_date),
    }
    return TemplateResponse(request, "documents/letters.html", context)


@staff_member_required
@permission_required("conference.assess_candidacy", raise_exception=True)
@require_GET
def default_letter_template(request):
    """The shipped default template, to start an agency's own from."""
    return attachment(default_template(), filename="invitation-letter-template.docx", content_type=DOCX)


@staff_member_required
@permission_required("conference.assess_candidacy", raise_exception=True)
@require_GET
def letter_template_file(request, pk):
    template = get_object_or_404(LetterTemplate, pk=pk)
    return attachment(bytes(template.content), filename=template.file_name or "template.docx", content_type=DOCX)

"""The response: a contact sheet as a download or a printable page, from the finder's URLs or admin actions.

A selection (``contact_sheets.selection``) in, its rows (``rows``) written in a format
(``formats``) out, each export recorded in the export log (``log``). The admin actions are
added to the person and candidacy admin by ``contact_sheets.admin``.
"""

import tempfile

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from contact_sheets.formats import (
    FORMATS,
    GROUPINGS,
    PRINT_LIMIT,
    export_filename,
    iter_csv,
    render_printable,
    write_contact_sheet,
)
from contact_sheets.jobs import start_export_job
from contact_sheets.log import included_ids, log_export
from contact_sheets.rows import contact_sheet_rows
from contact_sheets.selection import contact_sheet_people, describe_filters
from partners.models import Person
from partners.resources import ContactSheetResource
from privacy.purposes import purpose_or_form

EXPORT_PERMISSION = "partners.export_person"


def export_response(
    request, people, fmt, *, workshop=None, source, filters, ranked=False, group="organization", query=None
):
    """A download (or the printable page) of ``people``'s contact sheet, recorded in the export log.

    ``people`` is narrowed to those ``request.user`` may see here, whatever the caller passed;
    ``ranked`` keeps its order (the candidate finder's ranking) instead of sorting by name.
    Without a stated purpose (``purpose``, ``purpose_detail`` in the request) the answer is the
    purpose form, which sends the same request again with it; nothing is exported or logged.
    A download of more than ``LIAISON_EXPORT_JOB_PEOPLE`` people is written by the background
    worker instead (``contact_sheets.jobs``): the response is the job's page. ``query`` (the
    finder's query string) lets the worker select the people again, ranking included; without
    it the worker exports the ids selected here.
    """
    check_export_permission(request)
    purpose, purpose_form = purpose_or_form(request)
    if purpose_form is not None:
        return purpose_form
    people = people.filter(pk__in=Person.objects.visible_to(request.user).values("pk"))
    total = people.count()
    if fmt != "html" and total > settings.LIAISON_EXPORT_JOB_PEOPLE:
        job = start_export_job(
            request.user,
            people,
            fmt,
            source=source,
            filters=filters,
            query=query,
            workshop=workshop,
            total=total,
            purpose=purpose,
        )
        messages.info(
            request,
            gettext("%(count)d people: the file is written in the background. This page shows its progress.")
            % {"count": total},
        )
        return redirect(job)
    row_count = min(total, PRINT_LIMIT) if fmt == "html" else total
    log_export(
        request.user,
        format=fmt,
        source=source,
        row_count=row_count,
        filters=filters,
        included_sensitive=people.filter(sensitive=True).exists(),
        people=included_ids(people, ranked=ranked, limit=row_count),
        **purpose.as_log_fields(),
    )
    export_format = FORMATS[fmt]
    rows = contact_sheet_rows(people, workshop=workshop, ranked=ranked)
    resource = ContactSheetResource(workshop=workshop)
    if fmt == "html":
        html = render_printable(
            rows,
            resource,
            request=request,
            filters=describe_filters(filters),
            group=group,
            total=total,
            query=query,
        )
        response = HttpResponse(html, content_type=export_format.content_type)
        response["Cache-Control"] = "no-store"  # names, e-mails and phones: never kept in a cache
        return response
    if fmt == "csv":
        response = StreamingHttpResponse(iter_csv(rows, resource), content_type=export_format.content_type)
    else:
        # Written to a temporary file and streamed from it, never held whole in the web worker.
        stream = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it, which deletes it)
        write_contact_sheet(people, fmt, stream, workshop=workshop, rows=rows)
        stream.seek(0)
        response = FileResponse(stream, content_type=export_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


def check_export_permission(request):
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied


def query_without(request, *keys):
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


@require_GET
@staff_member_required  # as the finder: unticking "Staff status" ends access at once
def contact_sheet(request):
    """The printable contact sheet of the candidate finder's query string (or of ``ids``)."""
    check_export_permission(request)
    selection = contact_sheet_people(request.GET, user=request.user)
    return export_response(
        request,
        selection.people,
        "html",
        workshop=selection.workshop,
        source="contact-sheet",
        filters=selection.filters,
        ranked=selection.ranked,
        group=request.GET.get("group", GROUPINGS[0]),
        query=query_without(request, "group", "format"),
    )


@require_GET
@staff_member_required  # as the finder: unticking "Staff status" ends access at once
def contact_sheet_export(request):
    """A download: ``format`` (csv, xlsx, json, vcf, html) of the candidate finder's query string (or ``ids``)."""
    check_export_permission(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(gettext("Unknown format; choose one of: %s") % ", ".join(FORMATS))
    selection = contact_sheet_people(request.GET, user=request.user)
    return export_response(
        request,
        selection.people,
        fmt,
        workshop=selection.workshop,
        source="ids" if "ids" in selection.filters else "candidate-finder",
        filters=selection.filters,
        ranked=selection.ranked,
        group=request.GET.get("group", GROUPINGS[0]),
        query=query_without(request, "group", "format"),
    )


def admin_filters(request, queryset):
    """What an admin action exported: the list's filters and the selection."""
    filters = {key: request.GET.getlist(key) for key in request.GET}
    if request.POST.get("select_across") == "1":
        return {"admin": filters, "select_across": True}
    return {"admin": filters, "ids": sorted(queryset.values_list("pk", flat=True))[:1000]}


def contact_sheet_action(fmt):
    """An admin action on people exporting the selection (or the whole filtered list) as ``fmt``."""

    def action(modeladmin, request, queryset):
        return export_response(request, queryset, fmt, source="admin-people", filters=admin_filters(request, queryset))

    action.__name__ = f"export_contact_sheet_{fmt}"
    return admin.action(
        description=format_lazy("{}: {}", _("Export contact sheet"), FORMATS[fmt].label),
        permissions=["export"],
    )(action)


def candidacy_contact_sheet_action(fmt):
    """An admin action on candidacies: their people's sheet with suitability, reason and status."""

    def action(modeladmin, request, queryset):
        workshop_ids = set(queryset.values_list("workshop_id", flat=True).distinct())
        if len(workshop_ids) != 1:
            modeladmin.message_user(
                request,
                _("Select the candidacies of one workshop (filter the list by workshop first)."),
                messages.WARNING,
            )
            return None
        workshop = queryset.first().workshop
        people = Person.objects.filter(pk__in=queryset.values("person_id"))
        filters = {**admin_filters(request, queryset), "workshop": workshop.pk}
        return export_response(request, people, fmt, workshop=workshop, source="admin-candidacies", filters=filters)

    action.__name__ = f"export_candidates_{fmt}"
    return admin.action(
        description=format_lazy("{}: {}", _("Export the workshop's candidates"), FORMATS[fmt].label),
        permissions=["export"],
    )(action)


PERSON_EXPORT_ACTIONS = [contact_sheet_action(fmt) for fmt in FORMATS]
CANDIDACY_EXPORT_ACTIONS = [candidacy_contact_sheet_action(fmt) for fmt in FORMATS]

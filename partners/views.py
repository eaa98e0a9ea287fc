"""Staff pages for contact sheets: the printable sheet, downloads, admin export actions and the import."""

import contextlib
import io

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from partners.exporters import (
    FORMATS,
    GROUPINGS,
    PRINT_LIMIT,
    export_filename,
    iter_csv,
    render_printable,
    write_contact_sheet,
)
from partners.forms import ImportUploadForm
from partners.models import Person
from partners.resources import ContactSheetResource
from partners.selectors import contact_sheet_people, contact_sheet_rows, describe_filters
from partners.services import MAX_FILE_BYTES, MAX_ROWS, RowPlan, import_contacts, log_export

EXPORT_PERMISSION = "partners.export_person"
IMPORT_PERMISSION = "partners.import_person"
PREVIEW_ROW_LIMIT = 500


# -- exports ------------------------------------------------------------------------------------


def export_response(
    request, people, fmt, *, workshop=None, source, filters, ranked=False, group="organization", query=None
):
    """A download (or the printable page) of ``people``'s contact sheet, recorded in the export log.

    ``people`` is narrowed to those ``request.user`` may see here, whatever the caller passed;
    ``ranked`` keeps its order (the candidate finder's ranking) instead of sorting by name.
    """
    check_export_permission(request)
    people = people.filter(pk__in=Person.objects.visible_to(request.user).values("pk"))
    total = people.count()
    log_export(
        request.user,
        format=fmt,
        source=source,
        row_count=min(total, PRINT_LIMIT) if fmt == "html" else total,
        filters=filters,
        included_sensitive=people.filter(sensitive=True).exists(),
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
        return HttpResponse(html, content_type=export_format.content_type)
    if fmt == "csv":
        response = StreamingHttpResponse(iter_csv(rows, resource), content_type=export_format.content_type)
    else:
        buffer = io.BytesIO()
        write_contact_sheet(people, fmt, buffer, workshop=workshop, rows=rows)
        response = HttpResponse(buffer.getvalue(), content_type=export_format.content_type)
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
@login_required
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
@login_required
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


# -- import -------------------------------------------------------------------------------------


def tmp_storage_class():
    """Where an upload waits between preview and confirmation: django-import-export's storage
    (``IMPORT_EXPORT_TMP_STORAGE_CLASS``; use ``MediaStorage`` when several servers share the work)."""
    name = getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", "import_export.tmp_storages.TempFolderStorage")
    return import_string(name) if isinstance(name, str) else name


TOKEN_SALT = "partners.import-contacts"
TOKEN_MAX_AGE = 24 * 60 * 60


def import_contacts_view(request, model_admin):
    """Upload → preview (new / updated / unchanged with differences, duplicates, bad rows) → confirm."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import people and organizations"),
        "limits": {"megabytes": MAX_FILE_BYTES // 1024 // 1024, "rows": f"{MAX_ROWS:,}"},
        "columns": ContactSheetResource().headers(),
        "changelist_url": reverse("admin:partners_person_changelist"),
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "cancel":
        _discard_upload(request.POST.get("token", ""), request)
        messages.info(request, _("The import was cancelled; nothing was written."))
        return redirect("admin:partners_person_changelist")
    if step == "confirm":
        return _confirm(request, context)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        result = import_contacts(content, user=request.user, dry_run=True, filename=upload.name)
        if result.file_errors:
            form.add_error("file", result.file_errors)
        else:
            storage = tmp_storage_class()(read_mode="rb")
            storage.save(content)
            token = signing.dumps(
                {"name": storage.name, "filename": upload.name, "user": request.user.pk}, salt=TOKEN_SALT
            )
            return _render_preview(request, context, result, token, decisions={})
    return TemplateResponse(request, "admin/partners/person/import.html", {**context, "form": form})


def _read_token(token, request):
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != request.user.pk:
        return None
    return data


def _discard_upload(token, request):
    data = _read_token(token, request)
    if data is None:
        return
    with contextlib.suppress(OSError):
        tmp_storage_class()(name=data["name"], read_mode="rb").remove()


def _confirm(request, context):
    token = request.POST.get("token", "")
    data = _read_token(token, request)
    content = None
    if data is not None:
        try:
            content = tmp_storage_class()(name=data["name"], read_mode="rb").read()
        except OSError:
            content = None
    if content is None:
        messages.error(request, _("The uploaded file has expired or is gone; upload it again."))
        return redirect("admin:partners_person_import")
    decisions = {}
    for key, value in request.POST.items():
        if key.startswith("decision-") and key[len("decision-") :].isdigit() and value:
            decisions[int(key[len("decision-") :])] = value
    result = import_contacts(content, user=request.user, dry_run=False, decisions=decisions, filename=data["filename"])
    if not result.committed:
        if result.needs_decisions:
            messages.warning(request, _("Decide for each possible duplicate whether it is a stored person."))
        return _render_preview(request, context, result, token, decisions=decisions)
    _discard_upload(token, request)
    counts = result.counts
    messages.success(
        request,
        gettext("Imported %(file)s: %(new)d new, %(update)d updated, %(unchanged)d unchanged.")
        % {"file": data["filename"], **counts},
    )
    return redirect("admin:partners_person_changelist")


def _render_preview(request, context, result, token, *, decisions):
    shown = [row for row in result.rows if row.status != RowPlan.UNCHANGED][:PREVIEW_ROW_LIMIT]
    hidden = sum(1 for row in result.rows if row.status != RowPlan.UNCHANGED) - len(shown)
    return TemplateResponse(
        request,
        "admin/partners/person/import.html",
        {
            **context,
            "result": result,
            "counts": result.counts,
            "rows": shown,
            "hidden_rows": hidden,
            "token": token,
            "decisions": {str(key): str(value) for key, value in decisions.items()},
            "duplicates": [row for row in result.rows if row.status == RowPlan.DUPLICATE or row.candidates],
        },
    )

"""The admin's import pages: upload → preview (new, updated, unchanged, duplicates, bad rows) → confirm.

The file is read and planned by ``importing.contacts`` (a dry run for the preview); its rows as
read are kept by ``importing.preview`` until the user confirms (the file itself is not kept nor
parsed again), then planned against the records as they are and imported all or nothing. The page is added
to the person admin (``admin:partners_person_import``) by ``importing.admin``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from importing.contacts import import_contacts
from importing.files import CSV_ENCODINGS, MAX_FILE_BYTES, MAX_ROWS
from importing.forms import ImportUploadForm
from importing.jobs import estimated_rows, start_import_job
from importing.plans import RowPlan
from importing.preview import PREVIEW_ROW_LIMIT, discard_upload, read_table, stash_table
from partners.resources import ContactSheetResource

IMPORT_PERMISSION = "partners.import_person"


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
        "job_rows": f"{settings.LIAISON_IMPORT_JOB_ROWS:,}",
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "cancel":
        discard_upload(request.POST.get("token", ""), request)
        messages.info(request, _("The import was cancelled; nothing was written."))
        return redirect("admin:partners_person_changelist")
    if step == "confirm":
        return _confirm(request, context)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        if is_large(content, filename=upload.name):
            job = start_import_job(
                content,
                filename=upload.name,
                user=request.user,
                dry_run=form.cleaned_data["check_only"],
                unsure="new" if form.cleaned_data["duplicates_as_new"] else "ask",
                encoding=form.cleaned_data["encoding"],
            )
            return redirect(job)
        result = import_contacts(
            content, user=request.user, dry_run=True, filename=upload.name, encoding=form.cleaned_data["encoding"]
        )
        if result.file_errors:
            form.add_error("file", result.file_errors)
        else:
            token = stash_table(result.table, filename=upload.name, user=request.user)
            return _render_preview(request, context, result, token, decisions={})
    return TemplateResponse(request, "admin/partners/person/import.html", {**context, "form": form})


def is_large(content, *, filename):
    """More rows than a request should plan (``LIAISON_IMPORT_JOB_ROWS``); an XLSX that does not
    say its size counts as large from 1 MB."""
    rows = estimated_rows(content, filename=filename)
    if rows is None:
        return len(content) > 1024 * 1024
    return rows > settings.LIAISON_IMPORT_JOB_ROWS


def _confirm(request, context):
    token = request.POST.get("token", "")
    data, table = read_table(token, request)
    if table is None:
        messages.error(request, _("The uploaded file has expired or is gone; upload it again."))
        return redirect("admin:partners_person_import")
    decisions = {}
    for key, value in request.POST.items():
        if key.startswith("decision-") and key[len("decision-") :].isdigit() and value:
            decisions[int(key[len("decision-") :])] = value
    try:
        result = import_contacts(
            None, user=request.user, dry_run=False, decisions=decisions, filename=data["filename"], table=table
        )
    except BaseException:
        discard_upload(token, request)  # a crashed confirmation leaves no file behind
        raise
    if result.file_errors:
        # The database refused the write (or the records changed meanwhile): nothing was written
        # and this upload cannot be confirmed as it is; it is removed, the reason shown.
        discard_upload(token, request)
        for message in result.file_errors:
            messages.error(request, message)
        return redirect("admin:partners_person_import")
    if not result.committed:
        if result.needs_decisions:
            messages.warning(request, _("Decide for each possible duplicate whether it is a stored person."))
        return _render_preview(request, context, result, token, decisions=decisions)
    discard_upload(token, request)
    messages.success(
        request,
        gettext("Imported %(file)s: %(new)s new, %(update)s updated, %(unchanged)s unchanged.")
        % {"file": data["filename"], **result.grouped_counts},
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
            "encoding": CSV_ENCODINGS.get(result.encoding) if result.encoding else None,
            "counts": result.counts,
            "rows": shown,
            "hidden_rows": hidden,
            "token": token,
            "decisions": {str(key): str(value) for key, value in decisions.items()},
            "duplicates": [row for row in result.rows if row.status == RowPlan.DUPLICATE or row.candidates],
        },
    )

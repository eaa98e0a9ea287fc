"""The admin page "Import a programme": upload → preview (sessions with their times, matches,
topics, errors) → confirm, all or nothing. Added to the event admin by ``programme.admin``."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.models import Event
from conference.writeup import span_in_zone, taipei_zone, zone_choices
from importing.preview import discard_upload, read_upload, stash_upload
from partners.models import ExpertiseArea
from programme.formats.base import known_zone
from programme.forms import ProgrammeUploadForm
from programme.importing import import_programme
from programme.planning import DECIDE, MATCHED

IMPORT_PERMISSIONS = (
    "conference.add_event",
    "conference.add_session",
    "conference.add_appearance",
    "partners.add_person",
    "partners.add_organization",
)
TOKEN_SALT = "programme.import"
TEMPLATES = {"csv": "agenda-template.csv", "xlsx": "agenda-template.xlsx"}


def may_import(request):
    return request.user.has_perms(IMPORT_PERMISSIONS)


def agenda_template(request, model_admin, extension):
    """The agenda template from ``docs/`` as a download."""
    if extension not in TEMPLATES:
        raise Http404
    path = Path(settings.BASE_DIR) / "docs" / TEMPLATES[extension]
    return FileResponse(path.open("rb"), as_attachment=True, filename=TEMPLATES[extension])


def import_programme_view(request, model_admin):
    """Upload → preview → confirm (or cancel); nothing is written before the confirmation."""
    if not may_import(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import a programme"),
        "changelist_url": reverse("admin:conference_event_changelist"),
        "zones": zone_choices(),
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "cancel":
        discard_upload(request.POST.get("token", ""), request, salt=TOKEN_SALT)
        messages.info(request, _("The import was cancelled; nothing was written."))
        return redirect("admin:conference_event_changelist")
    if step == "confirm":
        return _confirm(request, context)
    form = ProgrammeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        event, zone = form.cleaned_data["event"], form.cleaned_data["time_zone"]
        plan = import_programme(content, filename=upload.name, user=request.user, event=event, time_zone=zone)
        if plan.file_errors and plan.programme is None:
            form.add_error("file", plan.file_errors)
        else:
            token = stash_upload(content, filename=upload.name, user=request.user, salt=TOKEN_SALT)
            return _render_preview(request, context, plan, token, event=event, zone=zone)
    return TemplateResponse(request, "admin/conference/event/import_programme.html", {**context, "form": form})


def _confirm(request, context):
    token = request.POST.get("token", "")
    data, content = read_upload(token, request, salt=TOKEN_SALT)
    if content is None:
        messages.error(request, _("The uploaded file has expired or is gone; upload it again."))
        return redirect("admin:conference_event_import_programme")
    event = Event.objects.filter(pk=request.POST.get("event") or None).first() if request.POST.get("event") else None
    zone = request.POST.get("time_zone", "")
    zone = zone if known_zone(zone) else ""
    decisions = _numbered(request.POST, "decision-")
    topics = _numbered(request.POST, "topic-")
    plan = import_programme(
        content,
        filename=data["filename"],
        user=request.user,
        dry_run=False,
        event=event,
        time_zone=zone,
        decisions=decisions,
        topic_choices=topics,
        expertise_from_topics=bool(request.POST.get("expertise_from_topics")),
    )
    if not plan.committed:
        if plan.undecided:
            messages.warning(request, _("Decide for each possible match whether it is a stored person."))
        return _render_preview(request, context, plan, token, event=event, zone=zone, decisions=decisions)
    discard_upload(token, request, salt=TOKEN_SALT)
    counts = plan.counts
    messages.success(
        request,
        gettext(
            "Imported %(file)s: %(new)d new sessions, %(updated)d updated, %(unchanged)d unchanged; "
            "%(people)d new people, %(matched)d matched."
        )
        % {
            "file": data["filename"],
            "new": counts["sessions"]["new"],
            "updated": counts["sessions"]["update"],
            "unchanged": counts["sessions"]["unchanged"],
            "people": counts["people"]["new"],
            "matched": counts["people"]["matched"],
        },
    )
    return redirect("admin:conference_event_change", plan.event.pk)


def _numbered(data, prefix):
    return {
        int(key[len(prefix) :]): value
        for key, value in data.items()
        if key.startswith(prefix) and key[len(prefix) :].isdigit()
    }


def _render_preview(request, context, plan, token, *, event, zone, decisions=None):
    local = known_zone(plan.zone_name) if plan.zone_name else None
    days = []
    for session in plan.sessions:
        entry = session.entry
        if entry.starts_at is None or local is None:
            continue
        day = timezone.localtime(entry.starts_at, local).date()
        if not days or days[-1]["day"] != day:
            days.append({"day": day, "sessions": []})
        days[-1]["sessions"].append(
            {
                "plan": session,
                "local": span_in_zone(entry.starts_at, entry.ends_at, local),
                "taipei": span_in_zone(entry.starts_at, entry.ends_at, taipei_zone()),
            }
        )
    dropped = [
        {"session": session, "local": span_in_zone(session.starts_at, session.ends_at, local or taipei_zone())}
        for session in plan.dropped
    ]
    return TemplateResponse(
        request,
        "admin/conference/event/import_programme.html",
        {
            **context,
            "plan": plan,
            "counts": plan.counts,
            "days": days,
            "dropped": dropped,
            "token": token,
            "event_choice": event.pk if event else "",
            "zone_choice": zone,
            "notes": [*plan.notes, *(plan.programme.notes if plan.programme else [])],
            "speakers_to_decide": [
                s for s in plan.speakers if s.status == DECIDE or (s.candidates and s.status != MATCHED)
            ],
            "matched_speakers": [s for s in plan.speakers if s.status == MATCHED],
            "decisions": {str(key): str(value) for key, value in (decisions or {}).items()},
            "areas": ExpertiseArea.objects.order_by("path") if plan.topics else [],
        },
    )

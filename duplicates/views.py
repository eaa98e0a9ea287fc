"""Admin pages for duplicates: "possible duplicates" (pairs, score, why) and the side-by-side merge.

Added to the person and organization admin by ``duplicates.admin``; the finding is
``duplicates.finding``, the choices and the writing ``duplicates.merging.merge_people`` /
``merge_organizations`` / ``mark_not_duplicates``. Both pages need ``partners.merge_person``
(403 otherwise); people the user may not see answer 404, as if they did not exist.
"""

from functools import partial
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conference.models import Appearance, Candidacy, Event
from duplicates.finding import organization_duplicate_pairs, person_duplicate_pairs
from duplicates.merging import (
    PERSON_MERGE_CONTACTS,
    MergeRefused,
    mark_not_duplicates,
    merge_fields,
    merge_organizations,
    merge_people,
)
from partners.locking import ConcurrentEditError
from partners.models import Affiliation, ContactMethod, Organization, Person

MERGE_PERMISSION = "partners.merge_person"
PAIRS_PER_PAGE = 25


def _check_permission(request):
    if not request.user.has_perm(MERGE_PERMISSION):
        raise PermissionDenied


def _records(model, request):
    """The rows the user may merge, with what the pages show of them prefetched."""
    if model is Person:
        return Person.objects.visible_to(request.user).prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(is_current=True).select_related("organization"),
            ),
            "contact_methods",
        )
    return Organization.objects.select_related("parent")


def _url(model, view, **params):
    url = reverse(f"admin:partners_{model._meta.model_name}_{view}")
    return f"{url}?{urlencode(params)}" if params else url


def duplicates_view(request, model_admin):
    """The list of possible duplicates, most likely first, 25 a page; POST marks one pair "not a duplicate"."""
    _check_permission(request)
    model = model_admin.model
    if request.method == "POST":
        first, second = _pair_from(request, model, request.POST.get("first"), request.POST.get("second"))
        mark_not_duplicates(first, second, by=request.user)
        messages.success(
            request,
            _("“%(first)s” and “%(second)s” will no longer be offered as duplicates.")
            % {"first": first, "second": second},
        )
        return redirect(request.get_full_path())
    pairs = person_duplicate_pairs(user=request.user) if model is Person else organization_duplicate_pairs()
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("p"))
    shown = list(page.object_list)
    ids = {pk for pair in shown for pk in (pair.first_id, pair.second_id)}
    records = _records(model, request).in_bulk(ids) if ids else {}
    rows = []
    for pair in shown:
        pair.first, pair.second = records.get(pair.first_id), records.get(pair.second_id)
        if pair.first is None or pair.second is None:
            continue  # deleted since the pairs were read
        rows.append(
            {
                "pair": pair,
                "merge_url": _url(model, "merge", survivor=pair.first_id, duplicate=pair.second_id),
                "people": model is Person,
                "records": [_summary(model, pair.first), _summary(model, pair.second)],
            }
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model._meta,
        "title": _("Possible duplicates: %(what)s") % {"what": model._meta.verbose_name_plural},
        "rows": rows,
        "page": page,
        "pair_count": len(pairs),
        "changelist_url": reverse(f"admin:partners_{model._meta.model_name}_changelist"),
    }
    return TemplateResponse(request, "admin/partners/duplicates/list.html", context)


def _summary(model, record):
    url = reverse(f"admin:partners_{model._meta.model_name}_change", args=[record.pk])
    if model is Person:
        details = [
            record.country.name if record.country else "",
            "; ".join(str(job.organization) for job in record.affiliations.all()),
            ", ".join(method.value for method in record.contact_methods.all() if method.is_primary),
        ]
    else:
        details = [
            record.get_kind_display(),
            record.country.name if record.country else "",
            record.website,
            str(record.parent) if record.parent_id else "",
        ]
    return {"record": record, "url": url, "details": [detail for detail in details if detail]}


def _pair_from(request, model, first_id, second_id):
    """The two records named by ids, or 404 for a missing, hidden or repeated one."""
    try:
        ids = [int(first_id), int(second_id)]
    except (TypeError, ValueError):
        raise Http404(_("No such record.")) from None
    records = _records(model, request).in_bulk(ids)
    if ids[0] == ids[1] or len(records) != 2:
        raise Http404(_("No such record."))
    return records[ids[0]], records[ids[1]]


def merge_view(request, model_admin):
    """Both records side by side; the user picks a value per field and which record stays, then merges."""
    _check_permission(request)
    model = model_admin.model
    data = request.POST if request.method == "POST" else request.GET
    survivor, duplicate = _pair_from(request, model, data.get("survivor"), data.get("duplicate"))
    fields = merge_fields(survivor, duplicate)
    if request.method == "POST" and "merge" in request.POST:
        values = {}
        for row in fields:
            side = request.POST.get(f"choice_{row.name}", row.default)
            values[row.name] = row.duplicate_value if side == "duplicate" else row.survivor_value
        if model is Organization and "parent" in values:
            values["parent"] = Organization.objects.filter(pk=values["parent"]).first() if values["parent"] else None
        merge = merge_people if model is Person else merge_organizations
        label = str(duplicate)
        survivor_version = _int(request.POST.get("survivor_version"))
        duplicate_version = _int(request.POST.get("duplicate_version"))
        if survivor_version is None or duplicate_version is None:
            # The page always sends both: without them a change made meanwhile could go unnoticed.
            messages.error(
                request, _("The merge was refused: the page did not say which versions you saw; merge again.")
            )
            return redirect(_url(model, "merge", survivor=survivor.pk, duplicate=duplicate.pk))
        try:
            merged = merge(
                survivor,
                duplicate,
                values=values,
                by=request.user,
                survivor_version=survivor_version,
                duplicate_version=duplicate_version,
            )
        except ConcurrentEditError:
            messages.error(
                request, _("One of the two records was changed meanwhile; check the values again and merge.")
            )
            return redirect(_url(model, "merge", survivor=survivor.pk, duplicate=duplicate.pk))
        except MergeRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(_url(model, "merge", survivor=survivor.pk, duplicate=duplicate.pk))
        messages.success(
            request,
            _("“%(duplicate)s” was merged into “%(survivor)s”.")
            % {
                "duplicate": label,
                "survivor": merged,
            },
        )
        return redirect(reverse(f"admin:partners_{model._meta.model_name}_change", args=[merged.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model._meta,
        "title": _("Merge two %(what)s") % {"what": model._meta.verbose_name_plural},
        "survivor": _summary(model, survivor),
        "duplicate": _summary(model, duplicate),
        "fields": fields,
        "contact_fields": list(PERSON_MERGE_CONTACTS) if model is Person else [],
        "links": _link_counts(model, survivor, duplicate, user=request.user),
        "swap_url": _url(model, "merge", survivor=duplicate.pk, duplicate=survivor.pk),
        "duplicates_url": _url(model, "duplicates"),
        "changelist_url": reverse(f"admin:partners_{model._meta.model_name}_changelist"),
        "sensitive": model is Person and (survivor.sensitive or duplicate.sensitive),
        "do_not_contact": model is Person and (survivor.do_not_contact or duplicate.do_not_contact),
    }
    return TemplateResponse(request, "admin/partners/merge/form.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _link_counts(model, survivor, duplicate, *, user):
    """What hangs off each record, so the user sees what the merge moves: (label, survivor's, duplicate's).

    An organization's jobs and appearances of people ``user`` may not see are not counted.
    """
    hidden = Person.objects.hidden_from(user)

    if model is Person:
        counts = [
            (_("jobs"), Affiliation.objects, "person"),
            (_("contact details"), ContactMethod.objects, "person"),
            (_("expertise"), Person.expertise_links.rel.related_model.objects, "person"),
            (_("appearances"), Appearance.objects, "person"),
            (_("candidacies"), Candidacy.objects, "person"),
        ]
    else:
        counts = [
            (_("people working there"), Affiliation.objects.exclude(person__in=hidden), "organization"),
            (_("appearances"), Appearance.objects.exclude(person__in=hidden), "organization"),
            (_("parts of the organization"), Organization.objects, "parent"),
            (_("events organized"), Event.objects, "organizer"),
        ]
    return [
        (label, manager.filter(**{key: survivor}).count(), manager.filter(**{key: duplicate}).count())
        for label, manager, key in counts
    ]


def merge_selected_response(model_admin, request, queryset):
    """The admin action "merge the two selected": to the merge page, or a message when not exactly two."""
    chosen = list(queryset.values_list("pk", flat=True)[:3])
    if len(chosen) != 2:
        model_admin.message_user(request, _("Select exactly two records to merge."), messages.WARNING)
        return None
    return redirect(_url(model_admin.model, "merge", survivor=min(chosen), duplicate=max(chosen)))


def merge_urls(model_admin):
    """The two pages of a person or organization admin: ``admin:partners_<model>_duplicates`` and ``_merge``."""
    name = model_admin.model._meta.model_name
    return [
        path(
            "duplicates/",
            model_admin.admin_site.admin_view(partial(duplicates_view, model_admin=model_admin)),
            name=f"partners_{name}_duplicates",
        ),
        path(
            "merge/",
            model_admin.admin_site.admin_view(partial(merge_view, model_admin=model_admin)),
            name=f"partners_{name}_merge",
        ),
    ]


def has_merge_permission(request):
    return request.user.has_perm(MERGE_PERMISSION)


@admin.action(description=gettext_lazy("Merge the two selected"), permissions=["merge"])
def merge_selected(model_admin, request, queryset):
    return merge_selected_response(model_admin, request, queryset)

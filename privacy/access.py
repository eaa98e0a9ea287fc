"""The access log: who looked at a protected person's record, when, what, from where and why.

A protected person is one marked ``sensitive``; only users allowed to see them reach their
pages (everyone else gets 404 from ``partners.protection`` before anything here runs, so no
line ever names a person to, or for, someone who may not see them). The first look in a
session asks for a reason (``privacy.views.access_reason``); the reason is kept in the session
for that person and written on every line of that session's looks.

Lists (the admin's person list, the candidate finder) write one line per request saying how
many protected people were shown, never who.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from partners.models import Person
from privacy.models import AccessLog

View = AccessLog.View

# Pages that show one person's records, by URL name: (what is looked at, the path from a Person to
# the page's ``object_id``). An app adding such a page adds its line here.
PERSON_PAGES = {
    "admin:partners_person_change": (View.PAGE, "pk"),
    "admin:partners_person_delete": (View.PAGE, "pk"),
    "admin:partners_person_history": (View.HISTORY, "pk"),
    "admin:partners_person_simple_history": (View.HISTORY, "pk"),
    "admin:partners_contactmethod_change": (View.CONTACTS, "contact_methods__pk"),
    "admin:partners_contactmethod_delete": (View.CONTACTS, "contact_methods__pk"),
    "admin:partners_contactmethod_history": (View.CONTACTS, "contact_methods__pk"),
    "admin:partners_contactmethod_simple_history": (View.CONTACTS, "contact_methods__pk"),
    # The interactions app (outreach, issue 18); these names never match while it is not installed.
    "admin:outreach_interaction_change": (View.INTERACTIONS, "interactions__pk"),
    "admin:outreach_interaction_delete": (View.INTERACTIONS, "interactions__pk"),
    "admin:outreach_interaction_history": (View.INTERACTIONS, "interactions__pk"),
    "admin:outreach_interaction_simple_history": (View.INTERACTIONS, "interactions__pk"),
}


def changelist_people(response):
    changelist = response.context_data.get("cl")
    return changelist.result_list if changelist is not None else ()


def finder_people(response):
    page = response.context_data.get("page")
    return page.object_list if page is not None else ()


# Pages that list people, by URL name: (what, the people a rendered page shows, read from its context).
PEOPLE_LISTS = {
    "admin:partners_person_changelist": (View.PERSON_LIST, changelist_people),
    "admin:partners_contactmethod_changelist": (
        View.CONTACTS,
        lambda response: [row.person for row in changelist_people(response)],  # list_select_related
    ),
    "candidates": (View.FINDER, finder_people),
}

SESSION_KEY = "privacy.access_reasons"


def client_address(request):
    """The client's address as the log-in lock-out sees it (``AXES_CLIENT_IP_CALLABLE``), or ``None``."""
    resolve = getattr(settings, "AXES_CLIENT_IP_CALLABLE", None)
    address = resolve(request) if callable(resolve) else request.META.get("REMOTE_ADDR")
    return address or None


def access_reason(request, person_id):
    """The reason given in this session for looking at person ``person_id``, or ``None``."""
    return request.session.get(SESSION_KEY, {}).get(str(person_id))


def remember_access_reason(request, person_id, reason):
    reasons = dict(request.session.get(SESSION_KEY, {}))
    reasons[str(person_id)] = reason
    request.session[SESSION_KEY] = reasons


def reason_form_redirect(request, person_id):
    """A redirect to the reason form, which comes back to the page asked for."""
    url = reverse("privacy:access-reason", args=[person_id])
    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def log_person_access(request, person, *, view):
    """Write one line for ``request.user`` looking at protected ``person`` (``AccessLog.View``); return it.

    The caller has checked that the user may see ``person`` and that a reason was given.
    """
    user = request.user
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        person=person,
        view=view,
        path=request.path[:500],
        ip_address=client_address(request),
        reason=access_reason(request, person.pk) or "",
    )


def person_shown(request, lookup, object_id):
    """The person a page about ``object_id`` shows, if ``request.user`` may see them; else ``None``."""
    try:
        return Person.objects.visible_to(request.user).filter(**{lookup: object_id}).only("pk", "sensitive").first()
    except (ValueError, TypeError, ValidationError):
        return None  # not an id: the page itself answers 404


def guard_person_access(request, person, *, view):
    """For a view showing ``person`` (already known visible to the user): ``None`` to go on, else a response.

    A person who is not protected needs nothing. A protected one needs a reason given in this
    session (else: the redirect to the reason form) and gets a line in the access log.
    """
    if person is None or not person.sensitive:
        return None
    if access_reason(request, person.pk) is None:
        return reason_form_redirect(request, person.pk)
    log_person_access(request, person, view=view)
    return None


def log_bulk_access(request, people, *, view):
    """One line (no names) when ``people`` — already fetched rows shown on one page — include protected people."""
    count = sum(1 for person in people if person.sensitive)
    if not count:
        return None
    user = request.user
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        view=view,
        path=request.path[:500],
        ip_address=client_address(request),
        protected_count=count,
    )

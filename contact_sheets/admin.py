"""The contact-sheet export actions, added to the person and candidacy admin."""

from conference.admin import CandidacyAdmin
from contact_sheets.views import CANDIDACY_EXPORT_ACTIONS, EXPORT_PERMISSION, PERSON_EXPORT_ACTIONS
from partners.admin import PersonAdmin


def has_export_permission(request):
    return request.user.has_perm(EXPORT_PERMISSION)


PersonAdmin.add(actions=PERSON_EXPORT_ACTIONS, permissions={"export": has_export_permission})
CandidacyAdmin.add(actions=CANDIDACY_EXPORT_ACTIONS, permissions={"export": has_export_permission})

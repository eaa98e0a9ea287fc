"""Writes for candidacies: suitability decisions and invitation status steps.

Every write stamps who decided and when, bumps ``version`` and leaves a history row
(simple-history) naming the user. The admin, the staff pages and commands call these
functions; they never change a candidacy themselves.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from conference.models import Candidacy, Event

Status = Candidacy.Status
Suitability = Candidacy.Suitability

# The invitation's allowed steps, in one place: identified → shortlisted → invited →
# confirmed or declined; withdrawn from any open state. Declined and withdrawn are
# final. ``None`` is a candidacy not yet saved.
ALLOWED_STATUS_STEPS = {
    None: {Status.IDENTIFIED},
    Status.IDENTIFIED: {Status.SHORTLISTED, Status.WITHDRAWN},
    Status.SHORTLISTED: {Status.INVITED, Status.WITHDRAWN},
    Status.INVITED: {Status.CONFIRMED, Status.DECLINED, Status.WITHDRAWN},
    Status.CONFIRMED: {Status.WITHDRAWN},
    Status.DECLINED: set(),
    Status.WITHDRAWN: set(),
}

ASSESSMENTS = [Suitability.SUITABLE, Suitability.POSSIBLE, Suitability.NOT_SUITABLE]

DECISION_FIELDS = ["suitability", "reason", "status", "decided_by", "decided_by_name", "decided_at", "version"]


class StatusStepRefused(ValidationError):
    """A status change the invitation steps do not allow; nothing was changed."""


def allowed_next_statuses(current):
    """The statuses a candidacy in ``current`` (None when new) may move to, in the table's order."""
    allowed = ALLOWED_STATUS_STEPS.get(current, set())
    return [status for status in Status if status in allowed]


def check_status_step(current, new, *, candidacy=None):
    """Raise ``StatusStepRefused`` unless ``current`` → ``new`` is allowed. Staying put is always allowed."""
    if current == new:
        return
    if new in ALLOWED_STATUS_STEPS.get(current, set()):
        return
    allowed = allowed_next_statuses(current)
    if current is None:
        message = _("A new candidacy starts as “%(allowed)s”, not “%(new)s”.") % {
            "allowed": ", ".join(str(Status(s).label) for s in allowed),
            "new": Status(new).label,
        }
    else:
        message = _("%(who)sThe invitation cannot go from “%(current)s” to “%(new)s”; %(allowed)s") % {
            "who": f"{candidacy}: " if candidacy is not None else "",
            "current": Status(current).label,
            "new": Status(new).label,
            "allowed": (
                _("allowed next: %(steps)s.") % {"steps": ", ".join(str(Status(s).label) for s in allowed)}
                if allowed
                else _("“%(current)s” is final.") % {"current": Status(current).label}
            ),
        }
    raise StatusStepRefused(message, code="status_step")


def _stamp(candidacy, *, by, now):
    candidacy.decided_by = by
    candidacy.decided_by_name = (by.get_full_name() or by.get_username()) if by is not None else ""
    candidacy.decided_at = now
    candidacy.updated_at = now


@dataclass
class AssessmentResult:
    created: list[Candidacy]
    updated: list[Candidacy]

    @property
    def count(self):
        return len(self.created) + len(self.updated)


@transaction.atomic
def assess_candidates(people, *, workshop, suitability, reason, by):
    """Record one suitability decision with ``reason`` for each of ``people`` for ``workshop``.

    Creates the ``Candidacy`` where there is none (status "identified") and updates the
    existing one otherwise (its invitation status is left as it is). Each gets
    ``decided_by``/``decided_at`` and a new ``version``; each gets a history row by ``by``.
    A person listed twice is assessed once. All or nothing.

    Raises ``ValidationError`` when ``workshop`` is not one of our workshops,
    ``suitability`` is not suitable/possible/not suitable, or ``reason`` is blank.
    Does not check permissions or visibility: callers pass only people ``by`` may see.
    Returns an ``AssessmentResult`` (created and updated candidacies).
    """
    if not isinstance(workshop, Event) or workshop.kind != Event.Kind.WORKSHOP:
        raise ValidationError(_("Candidates are assessed for one of our workshops."), code="not_a_workshop")
    if suitability not in ASSESSMENTS:
        raise ValidationError(_("Choose suitable, possible or not suitable."), code="suitability")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for this decision."), code="reason")
    people = list({person.pk: person for person in people}.values())
    existing = {
        candidacy.person_id: candidacy
        for candidacy in Candidacy.objects.select_for_update().filter(
            workshop=workshop, person__in=[person.pk for person in people]
        )
    }
    now = timezone.now()
    created, updated = [], []
    for person in people:
        candidacy = existing.get(person.pk)
        if candidacy is None:
            candidacy = Candidacy(workshop=workshop, person=person)
            created.append(candidacy)
        else:
            candidacy.version += 1
            updated.append(candidacy)
        candidacy.suitability = suitability
        candidacy.reason = reason
        _stamp(candidacy, by=by, now=now)
    if created:
        created = bulk_create_with_history(created, Candidacy, default_user=by, default_date=now)
    if updated:
        bulk_update_with_history(
            updated, Candidacy, fields=[*DECISION_FIELDS, "updated_at"], default_user=by, default_date=now
        )
    return AssessmentResult(created=created, updated=updated)


@transaction.atomic
def change_candidacy_status(candidacy, *, status, by):
    """Move one candidacy's invitation to ``status`` along the allowed steps; return the saved candidacy.

    Reads the stored status (locked), so a stale copy cannot skip a step. Raises
    ``StatusStepRefused`` (with a message naming the allowed steps) and changes nothing
    when the step is not allowed; staying in the same status changes nothing either.
    """
    stored = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    check_status_step(stored.status, status, candidacy=candidacy)
    if stored.status == status:
        return stored
    now = timezone.now()
    stored.status = status
    stored.version += 1
    _stamp(stored, by=by, now=now)
    stored._history_user = by
    stored.save()
    for name in [*DECISION_FIELDS, "updated_at"]:
        setattr(candidacy, name, getattr(stored, name))
    return stored


@transaction.atomic
def change_candidacies_status(candidacies, *, status, by):
    """Move several candidacies to ``status``: all of them or, if any step is not allowed, none.

    Candidacies already in ``status`` are left alone. Raises ``StatusStepRefused`` naming
    every refused candidacy. Returns the number of candidacies changed.
    """
    pks = [candidacy.pk for candidacy in candidacies]
    locked = list(
        Candidacy.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .select_related("person", "workshop")
        .order_by("person__full_name", "pk")
    )
    messages = []
    for candidacy in locked:
        try:
            check_status_step(candidacy.status, status, candidacy=candidacy)
        except StatusStepRefused as refused:
            messages.extend(refused.messages)
    if messages:
        raise StatusStepRefused(
            [*messages, _("Nothing was changed.")],
        )
    changing = [candidacy for candidacy in locked if candidacy.status != status]
    now = timezone.now()
    for candidacy in changing:
        candidacy.status = status
        candidacy.version += 1
        _stamp(candidacy, by=by, now=now)
    if changing:
        bulk_update_with_history(
            changing, Candidacy, fields=[*DECISION_FIELDS, "updated_at"], default_user=by, default_date=now
        )
    return len(changing)


@transaction.atomic
def save_candidacy(candidacy, *, by, version_claimed=False):
    """Save a candidacy edited as a whole (the admin's forms), enforcing the status steps.

    Compares with the stored row (locked): a new candidacy must start as "identified";
    a status change must be an allowed step (``StatusStepRefused`` otherwise, nothing
    saved). When suitability, reason or status changed — or the candidacy is new — the
    decision is stamped with ``by`` and now. The save leaves a history row by ``by``
    and moves ``version`` on by one, unless the caller already claimed the next version
    (``version_claimed``: the admin's ``VersionedAdminMixin`` does, in ``save_model``).
    """
    stored = Candidacy.objects.select_for_update().filter(pk=candidacy.pk).first() if candidacy.pk else None
    check_status_step(stored.status if stored else None, candidacy.status, candidacy=candidacy)
    changed = stored is None or any(
        getattr(stored, name) != getattr(candidacy, name) for name in ("suitability", "reason", "status")
    )
    if changed:
        _stamp(candidacy, by=by, now=timezone.now())
    if stored is not None and not version_claimed:
        candidacy.version = stored.version + 1
    candidacy._history_user = by
    candidacy.save()
    return candidacy

"""Which people: the selection of a contact-sheet request, from the admin, the candidate finder or a workshop.

A request's parameters and its user in, a ``ContactSheetSelection`` out (a Person queryset of
people the user may see, the workshop, the filters as JSON for the log and the printed sheet).
``contact_sheets.rows`` turns the people into the sheet's rows.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from conference.models import Candidacy, Event
from partners.models import ExpertiseArea, Organization, Person


@dataclass
class ContactSheetSelection:
    """The people of a contact-sheet request and how they were chosen."""

    people: object  # a Person queryset, limited to what the user may see
    workshop: Event | None
    filters: dict  # JSON-ready, for the export log and the printed sheet
    ranked: bool  # keep the queryset's order (the finder's ranking) rather than sorting by name


def contact_sheet_people(params, *, user):
    """The people a contact-sheet request asks for, as a ``ContactSheetSelection``.

    ``params`` is a ``QueryDict`` in the candidate finder's vocabulary (``workshop``,
    ``expertise``, ``q``, ``country``, ``organization_kind``, ``language``, ``event``,
    ``suitability``, ``status``): the sheet then holds exactly the finder's people, ranked as
    the finder ranks them (``conference.filters.CandidateFilter``: do-not-contact people left
    out). Or ``ids`` (repeatable person ids): an explicit selection, with ``workshop`` for the
    workshop's columns. Either way only people ``user`` may see: a tampered ``ids`` selection
    never reaches a sensitive person.
    """
    from conference.filters import CandidateFilter

    visible = Person.objects.visible_to(user)
    ids = _integers(params.getlist("ids"))
    if ids:
        workshop_ids = _integers(params.getlist("workshop"))
        workshop = Event.objects.workshops().filter(pk__in=workshop_ids[:1]).first()
        filters = {"ids": ids, **({"workshop": workshop.pk} if workshop else {})}
        return ContactSheetSelection(visible.filter(pk__in=ids), workshop, filters, ranked=False)
    filterset = CandidateFilter(params, user=user)
    people = filterset.qs.filter(pk__in=visible.values("pk"))
    filters = {}
    filterset.form.is_valid()
    for name in filterset.filters:
        if name in filterset.form.errors:
            continue  # a value the finder ignores (an unknown country, say) is neither logged nor printed
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            filters[name] = values
    return ContactSheetSelection(people, filterset.chosen_workshop, filters, ranked=True)


def _integers(values):
    result = []
    for value in values:
        for part in str(value).split(","):
            if part.strip().isdigit() and int(part) not in result:
                result.append(int(part))
    return result


def describe_filters(filters):
    """``(label, value)`` pairs saying in words what a sheet's ``filters`` chose, for the printed sheet."""
    from django_countries import countries

    from partners.models import Language

    def names(model, values, key="pk"):
        return "; ".join(str(item) for item in model.objects.filter(**{f"{key}__in": _strings(values)}))

    described = []
    for key, values in filters.items():
        values = values if isinstance(values, list) else [values]
        if key == "ids":
            described.append((_("Selected people"), str(len(values))))
        elif key == "workshop":
            described.append((_("Workshop"), names(Event, values)))
        elif key == "expertise":
            described.append((_("Expertise"), "; ".join(a.label for a in ExpertiseArea.objects.filter(pk__in=values))))
        elif key == "event":
            described.append((_("Spoke at"), names(Event, values)))
        elif key == "country":
            described.append((_("Country"), "; ".join(f"{countries.name(code)} ({code})" for code in values)))
        elif key == "language":
            described.append((_("Language spoken"), names(Language, values, key="code")))
        elif key == "organization_kind":
            labels = dict(Organization.Kind.choices)
            described.append((_("Organization kind"), "; ".join(str(labels.get(v, v)) for v in values)))
        elif key == "suitability":
            labels = dict(Candidacy.Suitability.choices)
            described.append((_("Suitability"), "; ".join(str(labels.get(v, v)) for v in values)))
        elif key == "status":
            labels = dict(Candidacy.Status.choices)
            described.append((_("Invitation status"), "; ".join(str(labels.get(v, v)) for v in values)))
        elif key == "q":
            described.append((_("Search"), " ".join(values)))
        elif key != "admin":
            described.append((key, ", ".join(map(str, values))))
    return described


def _strings(values):
    return [str(value) for value in values]

"""The programme import's entry point: a file's bytes → read → planned → (confirmed) written.

``import_programme`` serves the admin page and the ``import_programme`` command alike.
"""

from django.utils.translation import gettext

from importing.files import ImportFileError
from importing.writing import apply_in_one_transaction
from programme.formats import read_programme
from programme.planning import ProgrammePlan, plan_programme
from programme.writing import write_programme


def import_programme(
    content,
    *,
    filename,
    user=None,
    dry_run=True,
    event=None,
    time_zone="",
    decisions=None,
    topic_choices=None,
    unsure="ask",
    expertise_from_topics=False,
):
    """Read, plan and — unless ``dry_run`` — write a programme file: every record or none.

    Returns the ``ProgrammePlan``. Nothing is written when the file, a session or a speaker has
    an error or a possible match is undecided (``unsure="new"`` takes those as new people); a
    database refusal rolls everything back and lands in ``plan.file_errors``.
    """
    try:
        programme = read_programme(content, filename=filename)
    except ImportFileError as error:
        plan = ProgrammePlan(filename=filename)
        plan.file_errors.append(str(error))
        return plan
    plan = plan_programme(
        programme,
        filename=filename,
        user=user,
        event=event,
        time_zone=time_zone,
        decisions=decisions,
        topic_choices=topic_choices,
    )
    if unsure == "new":
        for speaker in plan.undecided:
            speaker.status = "new"
    if dry_run or not plan.ok:
        return plan
    reason = gettext("Imported from the programme %(file)s") % {"file": filename}
    event_was_new = plan.event.pk is None
    if (
        not apply_in_one_transaction(
            plan,
            lambda: write_programme(plan, reason=reason, expertise_from_topics=expertise_from_topics),
            filename=filename,
        )
        and event_was_new
    ):
        plan.event.pk = None
    return plan

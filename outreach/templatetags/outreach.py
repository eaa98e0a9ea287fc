from django import template

from outreach.reminders import reminders_for

register = template.Library()


@register.inclusion_tag("admin/outreach/index_panel.html", takes_context=True)
def outreach_panel(context):
    """The admin index's panel: the user's due reminders and the links to the outreach pages."""
    request = context["request"]
    user = request.user
    return {
        "reminders": reminders_for(user),
        "can_view_people": user.has_perm("partners.view_person"),
        "can_confirm": user.has_perm("partners.change_person"),
    }
